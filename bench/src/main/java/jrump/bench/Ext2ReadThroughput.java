package jrump.bench;

import java.nio.ByteBuffer;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Reads one file of an ext2/3/4 image through a rump kernel (library level: etfs block device, read-only
 * ext2fs mount, read(2) with a 1 MiB buffer) and prints the best of several passes in GB/s. Run by
 * scripts/bench-ext2fs beside cat and debugfs on the same image, by scripts/bench-msdosfs (type msdos) and by scripts/bench-cd9660 (type cd9660).
 * Usage: Ext2ReadThroughput IMAGE PATH-IN-IMAGE PASSES [TYPE]   (TYPE: ext2fs, the default, msdos, cd9660 or ffs)
 */
public final class Ext2ReadThroughput {
    private Ext2ReadThroughput() {
    }

    public static void main(String[] args) {
        String image = args[0];
        String path = "/mnt" + args[1];
        int passes = Integer.parseInt(args[2]);
        String type = args.length > 3 ? args[3] : "ext2fs";
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", image, Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount(type, "/mnt", Sys.MNT_RDONLY, "/dev/img");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            double best = 0;
            long bytes = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                int fd = sys.open(path, Sys.O_RDONLY, 0);
                bytes = 0;
                long n;
                while ((n = sys.read(fd, buf.clear())) > 0) bytes += n;
                sys.close(fd);
                double gbs = bytes / ((System.nanoTime() - t0) / 1e9) / 1e9;
                best = Math.max(best, gbs);
            }
            System.out.printf("jrump library read: %d bytes, best of %d: %.2f GB/s%n", bytes, passes, best);
        }
    }
}
