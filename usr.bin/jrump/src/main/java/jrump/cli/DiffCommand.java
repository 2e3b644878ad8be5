package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jrump diff IMAGE:PATH HOSTPATH}: diff -r's verdicts between a tree inside an image and one on the
 * host — names only on one side, types that differ, files whose bytes differ, symlinks whose targets
 * differ. Exit status 0 when the trees are the same, 1 when they differ (as diff), 2 for trouble.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "Compare a tree inside an image with a host tree (exit 0: same).")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Images images;

    @Parameters(index = "0", paramLabel = "IMAGE:PATH")
    String inImage;

    @Parameters(index = "1", paramLabel = "HOSTPATH")
    Path host;

    private int differences;

    @Override
    public Integer call() throws IOException {
        try (Images opened = images) {
            ImagePath p = ImagePath.parse(inImage, true);
            Ukfs u = images.of(p, false);
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) throw new CliException(host + ": No such file or directory");
            compare(spec.commandLine().getOut(), u, p, host);
        }
        return differences == 0 ? 0 : 1;
    }

    private void differ(PrintWriter out, String line) {
        out.println(line);
        differences++;
    }

    private void compare(PrintWriter out, Ukfs u, ImagePath p, Path h) throws IOException {
        Stat st;
        try {
            st = u.lstat(p.path());
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
        char ti = type(st);
        char th = Files.isSymbolicLink(h) ? 'l' : Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS) ? 'd'
                : Files.isRegularFile(h, LinkOption.NOFOLLOW_LINKS) ? 'f' : '?';
        if (ti != th) {
            differ(out, "File " + p + " is a " + name(ti) + " while file " + h + " is a " + name(th));
            return;
        }
        switch (ti) {
            case 'd' -> {
                TreeSet<String> a = new TreeSet<>();
                for (Ukfs.Entry e : u.list(p.path())) a.add(e.name());
                TreeSet<String> b = new TreeSet<>();
                try (var list = Files.list(h)) {
                    list.forEach(x -> b.add(x.getFileName().toString()));
                }
                for (String n : a) if (!b.contains(n)) differ(out, "Only in " + p + ": " + n);
                for (String n : b) if (!a.contains(n)) differ(out, "Only in " + h + ": " + n);
                for (String n : a) if (b.contains(n)) compare(out, u, p.child(n), h.resolve(n));
            }
            case 'l' -> {
                String ta = u.readlink(p.path());
                String tb = Files.readSymbolicLink(h).toString();
                if (!ta.equals(tb)) differ(out, "Symbolic links " + p + " -> " + ta + " and " + h + " -> " + tb + " differ");
            }
            case 'f' -> {
                if (!sameContent(u, p, h, st.size())) differ(out, "Files " + p + " and " + h + " differ");
            }
            default -> {
                // devices, FIFOs, sockets: the same kind on both sides is all diff -r says of them
            }
        }
    }

    private static boolean sameContent(Ukfs u, ImagePath p, Path h, long size) throws IOException {
        if (Files.size(h) != size) return false;
        Syscalls sys = u.syscalls();
        ByteBuffer a = ByteBuffer.allocateDirect(1 << 20);
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        int fd;
        try {
            fd = sys.open(u.kernelPath(p.path()), Sys.O_RDONLY, 0);
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
        try (FileChannel ch = FileChannel.open(h, StandardOpenOption.READ)) {
            while (true) {
                long n = sys.read(fd, a.clear());
                b.clear().limit((int) Math.max(n, 0));
                while (b.hasRemaining() && ch.read(b) > 0) {
                    // fill to the same length
                }
                if (n <= 0) return ch.read(b.clear()) <= 0;
                if (b.position() != n || !a.flip().equals(b.flip())) return false;
            }
        } finally {
            sys.close(fd);
        }
    }

    private static char type(Stat st) {
        return st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isRegularFile() ? 'f' : '?';
    }

    private static String name(char t) {
        return switch (t) {
            case 'd' -> "directory";
            case 'l' -> "symbolic link";
            case 'f' -> "regular file";
            default -> "special file";
        };
    }
}
