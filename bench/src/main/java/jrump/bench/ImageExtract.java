package jrump.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Extracts a directory of a disk image to the host through a rump kernel (library level: etfs block
 * device, read-only mount, getdents, stat, read(2) into one reused 1 MiB buffer, host files written with
 * FileChannel), as bsdtar -x or 7z x would, and prints the best of several passes in seconds. Regular files
 * and directories only. Run by scripts/bench-cd9660.
 * Usage: ImageExtract TYPE IMAGE PATH-IN-IMAGE OUTDIR PASSES
 */
public final class ImageExtract {
    private ImageExtract() {
    }

    public static void main(String[] args) throws IOException {
        String type = args[0];
        String image = args[1];
        String from = "/mnt" + args[2];
        Path out = Path.of(args[3]);
        int passes = Integer.parseInt(args[4]);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", image, Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount(type, "/mnt", Sys.MNT_RDONLY, "/dev/img");
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            double best = Double.MAX_VALUE;
            int[] files = {0};
            for (int p = 0; p < passes; p++) {
                Path dst = out.resolve("pass" + p);
                long t0 = System.nanoTime();
                files[0] = 0;
                copyDir(sys, from, dst, buf, files);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("jrump library extraction (%s): %d files, best of %d: %.3f s%n", type, files[0], passes, best);
        }
    }

    private static void copyDir(Syscalls sys, String dir, Path dst, ByteBuffer buf, int[] files) throws IOException {
        Files.createDirectories(dst);
        for (String name : names(sys, dir)) {
            String path = dir + "/" + name;
            Stat st = sys.lstat(path);
            if (st.isDirectory()) {
                copyDir(sys, path, dst.resolve(name), buf, files);
            } else if (st.isRegularFile()) {
                int fd = sys.open(path, Sys.O_RDONLY, 0);
                try (FileChannel ch = FileChannel.open(dst.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    while (sys.read(fd, buf.clear()) > 0) {
                        buf.flip();
                        while (buf.hasRemaining()) ch.write(buf);
                    }
                } finally {
                    sys.close(fd);
                }
                files[0]++;
            }
        }
    }

    private static List<String> names(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(64 << 10);
        List<String> out = new ArrayList<>();
        try {
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) if (!d.name().equals(".") && !d.name().equals("..")) out.add(d.name());
            }
        } finally {
            sys.close(fd);
        }
        return out;
    }
}
