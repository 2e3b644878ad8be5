package jrump.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The small fs-utils commands on IMAGE:PATH: mv, ln, chmod, chown, touch, write, du, find. */
final class SimpleCommands {
    private SimpleCommands() {
    }

    static ImagePath inImage(String arg) {
        ImagePath p = ImagePath.parse(arg, false);
        if (p == null) throw new CliException(arg + ": not IMAGE:PATH");
        return p;
    }

    /** Runs {@code call} on the image path, turning its errno into "IMAGE:PATH: message". */
    static void on(ImagePath p, Runnable call) {
        try {
            call.run();
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
    }

    /** Runs {@code action} on each IMAGE:PATH argument's mounted image and path, errnos reported per path. */
    static void each(Images images, List<String> paths, boolean write, java.util.function.BiConsumer<Ukfs, ImagePath> action) {
        for (String s : paths) {
            ImagePath p = inImage(s);
            Ukfs u = images.of(p, write);
            on(p, () -> action.accept(u, p));
        }
    }

    @Command(name = "mv", mixinStandardHelpOptions = true, description = "Rename or move within one image.")
    static final class Mv implements Callable<Integer> {
        @Mixin
        Images images;

        @Parameters(index = "0", paramLabel = "IMAGE:FROM")
        String from;

        @Parameters(index = "1", paramLabel = "IMAGE:TO")
        String to;

        @Override
        public Integer call() {
            try (Images opened = images) {
                ImagePath f = inImage(from);
                ImagePath t = inImage(to);
                if (!f.image().toAbsolutePath().normalize().equals(t.image().toAbsolutePath().normalize())) {
                    throw new CliException("mv: " + from + " and " + to + " are in different images (use cp, then rm)");
                }
                Ukfs u = images.of(f, true);
                String target = t.path();
                try {
                    if (u.stat(target).isDirectory()) target = t.child(f.name()).path();
                } catch (RumpException e) {
                    if (e.errno() != Errno.ENOENT) throw Images.failure(t, e);
                }
                String dst = target;
                on(f, () -> u.rename(f.path(), dst));
            }
            return 0;
        }
    }

    @Command(name = "ln", mixinStandardHelpOptions = true, description = "Make a hard link, or with -s a symbolic link, in an image.")
    static final class Ln implements Callable<Integer> {
        @Mixin
        Images images;

        @Option(names = "-s", description = "a symbolic link holding TARGET as written")
        boolean symbolic;

        @Parameters(index = "0", paramLabel = "TARGET", description = "IMAGE:PATH for a hard link; any text for -s")
        String target;

        @Parameters(index = "1", paramLabel = "IMAGE:LINK")
        String link;

        @Override
        public Integer call() {
            try (Images opened = images) {
                ImagePath l = inImage(link);
                Ukfs u = images.of(l, true);
                if (symbolic) {
                    on(l, () -> u.symlink(target, l.path()));
                } else {
                    ImagePath t = inImage(target);
                    on(l, () -> u.link(t.path(), l.path()));
                }
            }
            return 0;
        }
    }

    @Command(name = "chmod", mixinStandardHelpOptions = true, description = "Change modes (octal) inside an image.")
    static final class Chmod implements Callable<Integer> {
        @Mixin
        Images images;

        @Parameters(index = "0", paramLabel = "MODE", description = "octal, e.g. 0644")
        String mode;

        @Parameters(index = "1..*", paramLabel = "IMAGE:PATH")
        List<String> paths;

        @Override
        public Integer call() {
            int m;
            try {
                m = Integer.parseInt(mode, 8);
            } catch (NumberFormatException e) {
                throw new CliException("chmod: " + mode + ": not an octal mode");
            }
            if ((m & ~07777) != 0) throw new CliException("chmod: " + mode + ": not a mode");
            try (Images opened = images) {
                each(images, paths, true, (u, p) -> u.syscalls().chmod(u.kernelPath(p.path()), m));
            }
            return 0;
        }
    }

    @Command(name = "chown", mixinStandardHelpOptions = true, description = "Change owner and group (numbers: UID[:GID]) inside an image.")
    static final class Chown implements Callable<Integer> {
        @Mixin
        Images images;

        @Option(names = "-h", description = "change a symbolic link itself, not what it points to")
        boolean noFollow;

        @Parameters(index = "0", paramLabel = "UID[:GID]")
        String owner;

        @Parameters(index = "1..*", paramLabel = "IMAGE:PATH")
        List<String> paths;

        @Override
        public Integer call() {
            int uid;
            int gid;
            try {
                String[] parts = owner.split(":", -1);
                uid = parts[0].isEmpty() ? -1 : Integer.parseInt(parts[0]);
                gid = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                throw new CliException("chown: " + owner + ": UID[:GID] as numbers (an image has no user names)");
            }
            try (Images opened = images) {
                each(images, paths, true, (u, p) -> {
                    if (noFollow) u.syscalls().lchown(u.kernelPath(p.path()), uid, gid);
                    else u.syscalls().chown(u.kernelPath(p.path()), uid, gid);
                });
            }
            return 0;
        }
    }

    @Command(name = "touch", mixinStandardHelpOptions = true, description = "Create empty files or set their times to now, inside an image.")
    static final class Touch implements Callable<Integer> {
        @Mixin
        Images images;

        @Parameters(paramLabel = "IMAGE:PATH", arity = "1..*")
        List<String> paths;

        @Override
        public Integer call() {
            try (Images opened = images) {
                each(images, paths, true, (u, p) -> {
                    Syscalls sys = u.syscalls();
                    sys.close(sys.open(u.kernelPath(p.path()), Sys.O_WRONLY | Sys.O_CREAT, 0644));
                    sys.utimes(u.kernelPath(p.path()), null);
                });
            }
            return 0;
        }
    }

    @Command(name = "write", mixinStandardHelpOptions = true, description = "Write standard input into a file inside an image.")
    static final class Write implements Callable<Integer> {
        @Mixin
        Images images;

        @Option(names = "-a", description = "append instead of replacing")
        boolean append;

        @Parameters(index = "0", paramLabel = "IMAGE:PATH")
        String path;

        @Override
        public Integer call() throws IOException {
            try (Images opened = images) {
                ImagePath p = inImage(path);
                Ukfs u = images.of(p, true);
                Syscalls sys = u.syscalls();
                InputStream in = Jrump.rawIn();
                int flags = Sys.O_WRONLY | Sys.O_CREAT | (append ? Sys.O_APPEND : Sys.O_TRUNC);
                int fd;
                try {
                    fd = sys.open(u.kernelPath(p.path()), flags, 0644);
                } catch (RumpException e) {
                    throw Images.failure(p, e);
                }
                try {
                    byte[] buf = new byte[1 << 20];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) sys.write(fd, b);
                    }
                } catch (RumpException e) {
                    throw Images.failure(p, e);
                } finally {
                    sys.close(fd);
                }
            }
            return 0;
        }
    }

    @Command(name = "du", mixinStandardHelpOptions = true, description = "Disk usage of trees inside an image, in KiB (du -s).")
    static final class Du implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Images images;

        @Parameters(paramLabel = "IMAGE[:PATH]", arity = "1..*")
        List<String> paths;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Images opened = images) {
                for (String s : paths) {
                    ImagePath p = ImagePath.parse(s, true);
                    Ukfs u = images.of(p, false);
                    long[] blocks = {0};
                    java.util.Set<Long> seen = new java.util.HashSet<>();
                    on(p, () -> walk(u, p, u.lstat(p.path()), blocks, seen));
                    out.println(blocks[0] / 2 + "\t" + p);
                }
            }
            return 0;
        }

        private static void walk(Ukfs u, ImagePath p, Stat st, long[] blocks, java.util.Set<Long> seen) {
            if (st.nlink() > 1 && !st.isDirectory() && !seen.add(st.ino())) return; // a hard link counts once
            blocks[0] += st.blocks();
            if (st.isDirectory()) for (Ukfs.Entry e : u.list(p.path())) walk(u, p.child(e.name()), e.stat(), blocks, seen);
        }
    }

    @Command(name = "find", mixinStandardHelpOptions = true, description = "Walk a tree inside an image, printing the paths that match.")
    static final class Find implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Images images;

        @Option(names = "-name", description = "shell pattern the last component must match")
        String name;

        @Option(names = "-type", description = "f (file), d (directory), l (symbolic link)")
        String type;

        @Parameters(index = "0", paramLabel = "IMAGE[:PATH]")
        String start;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PathMatcher m = name == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + name);
            if (type != null && !List.of("f", "d", "l").contains(type)) throw new CliException("find: -type " + type + ": f, d or l");
            try (Images opened = images) {
                ImagePath p = ImagePath.parse(start, true);
                Ukfs u = images.of(p, false);
                on(p, () -> walk(out, u, p, u.lstat(p.path()), m));
            }
            return 0;
        }

        private void walk(PrintWriter out, Ukfs u, ImagePath p, Stat st, PathMatcher m) {
            boolean typeOk = type == null || (type.equals("f") && st.isRegularFile()) || (type.equals("d") && st.isDirectory())
                    || (type.equals("l") && st.isSymbolicLink());
            boolean nameOk = m == null || m.matches(java.nio.file.Path.of(p.name().isEmpty() ? "/" : p.name()));
            if (typeOk && nameOk) out.println(p);
            if (st.isDirectory()) for (Ukfs.Entry e : u.list(p.path())) walk(out, u, p.child(e.name()), e.stat(), m);
        }
    }
}
