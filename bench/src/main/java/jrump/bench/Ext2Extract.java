package jrump.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Extracts a whole ext2/3/4 image to a host directory through a rump kernel (read-only mount, getdents,
 * lstat, read, readlink), as debugfs' rdump does: directories, files and symlinks. Prints the best of
 * several passes (each into a fresh directory). Run by scripts/bench-ext2fs beside debugfs -R rdump.
 * Usage: Ext2Extract IMAGE OUTDIR PASSES
 */
public final class Ext2Extract {
    private Ext2Extract() {
    }

    public static void main(String[] args) throws IOException {
        String image = args[0];
        Path out = Path.of(args[1]);
        int passes = Integer.parseInt(args[2]);
        double best = Double.MAX_VALUE;
        long[] counts = new long[2];
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", image, Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            for (int p = 0; p < passes; p++) {
                Path to = out.resolve("pass" + p);
                long t0 = System.nanoTime();
                counts[0] = counts[1] = 0;
                extract(sys, "/mnt", to, buf, counts);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("jrump library extract: %d files, %d bytes, best of %d: %.3f s%n", counts[0], counts[1], passes, best);
    }

    private static void extract(Syscalls sys, String dir, Path to, ByteBuffer buf, long[] counts) throws IOException {
        Files.createDirectories(to);
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer dents = ByteBuffer.allocate(64 << 10);
        try {
            int n;
            while ((n = sys.getdents(fd, dents.clear())) > 0) {
                for (Dirent d : Dirent.parse(dents.flip(), n)) {
                    String name = d.name();
                    if (name.equals(".") || name.equals("..")) continue;
                    String path = dir + "/" + name;
                    Path target = to.resolve(name);
                    switch (d.type()) {
                        case Dirent.DT_DIR -> extract(sys, path, target, buf, counts);
                        case Dirent.DT_REG -> counts[1] += copyOut(sys, path, target, buf);
                        case Dirent.DT_LNK -> {
                            ByteBuffer t = ByteBuffer.allocate(4096);
                            long len = sys.readlink(path, t);
                            Files.createSymbolicLink(target, Path.of(new String(t.array(), 0, (int) len, StandardCharsets.UTF_8)));
                        }
                        default -> {
                            continue; // devices, FIFOs, sockets: rdump skips them too
                        }
                    }
                    counts[0]++;
                }
            }
        } finally {
            sys.close(fd);
        }
    }

    private static long copyOut(Syscalls sys, String path, Path target, ByteBuffer buf) throws IOException {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        long total = 0;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long n;
            while ((n = sys.read(fd, buf.clear())) > 0) {
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
                total += n;
            }
        } finally {
            sys.close(fd);
        }
        return total;
    }
}
