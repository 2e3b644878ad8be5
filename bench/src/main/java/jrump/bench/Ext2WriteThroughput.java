package jrump.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Writes into an ext2/3/4 image through a rump kernel (etfs block device, read-write ext2fs mount): one
 * host file copied in with 1 MiB writes, or a host directory tree of small files, then fsync/sync and
 * unmount — everything on the image when it returns. Prints the time of the copy. Run by
 * scripts/bench-ext2fs beside debugfs -w and the Linux kernel on the same data.
 * Each pass starts from a copy of an empty image (the copy is not timed; EMPTY-IMAGE "-" uses WORK-IMAGE as
 * it is, for a single timed whole process); prints the best pass.
 * Usage: Ext2WriteThroughput EMPTY-IMAGE WORK-IMAGE file|tree HOSTFILE|HOSTDIR PASSES
 */
public final class Ext2WriteThroughput {
    private Ext2WriteThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path empty = Path.of(args[0]);
        Path image = Path.of(args[1]);
        boolean file = args[2].equals("file");
        Path src = Path.of(args[3]);
        int passes = Integer.parseInt(args[4]);
        double best = Double.MAX_VALUE;
        long bytes = 0;
        for (int p = 0; p < passes; p++) {
            if (!args[0].equals("-")) Files.copy(empty, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // not timed
            try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
                Syscalls sys = rk.syscalls();
                rk.pub().etfsRegister("/dev/img", image.toString(), Sys.RUMP_ETFS_BLK);
                sys.mkdir("/mnt", 0755);
                sys.mount("ext2fs", "/mnt", 0, "/dev/img");
                long t0 = System.nanoTime();
                bytes = file ? copyFile(sys, src, "/mnt/" + src.getFileName()) : copyTree(sys, src, "/mnt/" + src.getFileName());
                sys.sync();
                sys.unmount("/mnt", 0);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("jrump library write (%s): %d bytes, best of %d: %.3f s (%.2f GB/s)%n", args[2], bytes, passes, best, bytes / best / 1e9);
    }

    private static long copyFile(Syscalls sys, Path src, String to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        int fd = sys.open(to, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0644);
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            while (in.read(buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) total += sys.write(fd, buf);
            }
            sys.fsync(fd);
        } finally {
            sys.close(fd);
        }
        return total;
    }

    private static long copyTree(Syscalls sys, Path dir, String to) throws IOException {
        sys.mkdir(to, 0755);
        long total = 0;
        List<Path> entries;
        try (var list = Files.list(dir)) {
            entries = list.sorted().toList();
        }
        for (Path p : entries) {
            String target = to + "/" + p.getFileName();
            if (Files.isDirectory(p)) {
                total += copyTree(sys, p, target);
            } else {
                byte[] data = Files.readAllBytes(p);
                int fd = sys.open(target, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0644);
                try {
                    total += sys.write(fd, ByteBuffer.wrap(data));
                } finally {
                    sys.close(fd);
                }
            }
        }
        return total;
    }
}
