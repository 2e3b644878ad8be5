package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Dirent;
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

/**
 * {@code jrump cp [-r] [-p] [-v] SRC... DST}: cp(1) between the host and an image, either way. Trees keep
 * symlinks as symlinks and hard links as hard links. Copying out never writes outside DST: names an image
 * may hold that a host path cannot safely take ("..", "/", NUL) are refused, nothing is followed, and files
 * are only ever created new.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
        description = "Copy files and directories between the host and an image (one side IMAGE:PATH).")
final class CpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Images images;

    @Option(names = {"-r", "-R"}, description = "copy directories recursively")
    boolean recursive;

    @Option(names = "-p", description = "keep mode, owner, group and times")
    boolean preserve;

    @Option(names = "-v", description = "name each file as it is copied")
    boolean verbose;

    @Option(names = "-q", description = "no progress bar (one appears on a terminal when a copy takes more than a second)")
    boolean quiet;

    @Parameters(paramLabel = "SRC... DST", arity = "2..*")
    List<String> args;

    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private Progress progress;
    /** Set when something could not be copied but the copy went on (cp's exit status 1). */
    private boolean incomplete;

    private void failed(String message) {
        spec.commandLine().getErr().println("jrump: " + message);
        incomplete = true;
    }

    @Override
    public Integer call() throws IOException {
        String dstArg = args.get(args.size() - 1);
        List<String> sources = args.subList(0, args.size() - 1);
        ImagePath dstImage = ImagePath.parse(dstArg, false);
        try (Images opened = images; Progress p = Progress.start("cp", -1, quiet || verbose)) {
            progress = p;
            for (String s : sources) {
                ImagePath srcImage = ImagePath.parse(s, false);
                if ((srcImage == null) == (dstImage == null)) {
                    throw new CliException("cp: exactly one of " + s + " and " + dstArg + " must be IMAGE:PATH");
                }
                if (srcImage != null) copyOut(srcImage, Path.of(dstArg), sources.size() > 1);
                else copyIn(Path.of(s), dstImage, sources.size() > 1);
            }
        }
        return incomplete ? 1 : 0;
    }

    // --- out of an image ------------------------------------------------------------------------

    private void copyOut(ImagePath src, Path dst, boolean intoDir) throws IOException {
        Ukfs u = images.of(src, false);
        Stat s = lstat(u, src);
        Path target = Files.isDirectory(dst) || intoDir ? dst.resolve(safeName(src, src.name().isEmpty() ? "root" : src.name())) : dst;
        if (intoDir && !Files.isDirectory(dst)) throw new CliException(dst + ": Not a directory");
        if ((s.mode() & Stat.S_IFMT) == Stat.S_IFDIR && !recursive) throw new CliException(src + ": is a directory (not copied without -r)");
        out(u, src, s, target, new HashMap<>());
    }

    private void out(Ukfs u, ImagePath src, Stat s, Path target, Map<Long, Path> linked) throws IOException {
        if (verbose) spec.commandLine().getOut().println(src + " -> " + target);
        switch (s.mode() & Stat.S_IFMT) {
            case Stat.S_IFDIR -> {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(target);
                Syscalls sys = u.syscalls();
                int dfd;
                List<Dirent> entries;
                try {
                    // one open of the directory: its entries, and its files opened relative to it (no path walk each)
                    dfd = sys.open(u.kernelPath(src.path()), Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
                    entries = u.names(src.path());
                } catch (RumpException e) {
                    throw Images.failure(src, e);
                }
                try {
                    for (Dirent d : entries) {
                        ImagePath child = src.child(d.name());
                        Path to = target.resolve(safeName(child, d.name()));
                        if (d.type() == Dirent.DT_REG && !preserve && !verbose) {
                            // the common case without a stat walk: the entry's inode number finds hard links,
                            // and the open file's fstat says whether there are any
                            Path first = linked.get(d.fileno());
                            if (first != null) Files.createLink(to, first);
                            else if (copyFileOut(u, dfd, d.name(), child, to) > 1) linked.put(d.fileno(), to);
                            continue;
                        }
                        out(u, child, lstat(u, child), to, linked);
                    }
                } finally {
                    sys.close(dfd);
                }
            }
            case Stat.S_IFREG -> {
                Path first = s.nlink() > 1 ? linked.get(s.ino()) : null;
                if (first != null) {
                    Files.createLink(target, first);
                    return;
                }
                copyFileOut(u, Sys.AT_FDCWD, u.kernelPath(src.path()), src, target);
                if (s.nlink() > 1) linked.put(s.ino(), target);
            }
            case Stat.S_IFLNK -> {
                try {
                    Files.createSymbolicLink(target, Path.of(u.readlink(src.path())));
                } catch (RumpException e) {
                    throw Images.failure(src, e);
                }
            }
            case Stat.S_IFIFO, Stat.S_IFCHR, Stat.S_IFBLK -> {
                try {
                    long dev = DevNumbers.linuxOfNetbsd(s.rdev());
                    HostNodes.mknod(target, s.mode() & (Stat.S_IFMT | 0777), dev);
                } catch (IOException e) {
                    failed(e.getMessage()); // a device node needs root on the host: the rest is still copied
                    return;
                }
            }
            default -> {
                failed(src + ": a socket: not copied");
                return;
            }
        }
        if (preserve) keepOnHost(target, s);
    }

    /** A name from an image as a host path component: never "..", ".", empty, or holding '/' or NUL. */
    private static String safeName(ImagePath where, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new CliException(where + ": a name no host path can safely take; refused");
        }
        return name;
    }

    /** Copies one file out ({@code name} relative to directory {@code dfd}); returns its link count (from the open file's fstat). */
    private long copyFileOut(Ukfs u, int dfd, String name, ImagePath src, Path target) throws IOException {
        Syscalls sys = u.syscalls();
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            int fd = sys.openat(dfd, name, Sys.O_RDONLY | Sys.O_NOFOLLOW, 0);
            try {
                long links = sys.fstat(fd).nlink();
                long n;
                while ((n = sys.read(fd, buf.clear())) > 0) {
                    buf.flip();
                    while (buf.hasRemaining()) out.write(buf);
                    progress.bytes(n);
                }
                progress.file();
                return links;
            } finally {
                sys.close(fd);
            }
        } catch (RumpException e) {
            throw Images.failure(src, e);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(target + ": File exists");
        }
    }

    private static void keepOnHost(Path target, Stat s) throws IOException {
        if ((s.mode() & Stat.S_IFMT) != Stat.S_IFLNK) Files.setAttribute(target, "unix:mode", s.mode() & 07777);
        try {
            Files.setAttribute(target, "unix:uid", s.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", s.gid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // not root: cp -p keeps what it may, as cp(1) does
        }
        long mtime = s.mtime().sec() * 1_000_000_000L + s.mtime().nsec();
        long atime = s.atime().sec() * 1_000_000_000L + s.atime().nsec();
        int type = s.mode() & Stat.S_IFMT;
        if (type == Stat.S_IFIFO || type == Stat.S_IFCHR || type == Stat.S_IFBLK) {
            HostNodes.setTimes(target, atime, mtime); // java.nio would open it: a FIFO blocks, a device may not exist
            return;
        }
        FileTime m = FileTime.from(mtime, TimeUnit.NANOSECONDS);
        FileTime a = FileTime.from(atime, TimeUnit.NANOSECONDS);
        Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(m, a, null);
    }

    private static Stat lstat(Ukfs u, ImagePath p) {
        try {
            return u.lstat(p.path());
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
    }

    // --- into an image --------------------------------------------------------------------------

    private void copyIn(Path src, ImagePath dst, boolean intoDir) throws IOException {
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) throw new CliException(src + ": No such file or directory");
        Ukfs u = images.of(dst, true);
        ImagePath target = dst;
        Stat d = null;
        try {
            d = u.stat(dst.path());
        } catch (RumpException e) {
            if (e.errno() != Errno.ENOENT || intoDir) throw Images.failure(dst, e);
        }
        if (d != null && (d.mode() & Stat.S_IFMT) == Stat.S_IFDIR) target = dst.child(src.getFileName().toString());
        else if (intoDir) throw new CliException(dst + ": Not a directory");
        if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) && !recursive) throw new CliException(src + ": is a directory (not copied without -r)");
        in(u, src, target, new HashMap<>());
    }

    private void in(Ukfs u, Path src, ImagePath target, Map<Object, String> linked) throws IOException {
        if (verbose) spec.commandLine().getOut().println(src + " -> " + target);
        Map<String, Object> a = Files.readAttributes(src, "unix:mode,uid,gid,ino,dev,nlink,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        try {
            if (Files.isSymbolicLink(src)) {
                u.symlink(Files.readSymbolicLink(src).toString(), target.path());
            } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    u.mkdir(target.path(), mode & 07777);
                } catch (RumpException e) {
                    if (e.errno() != Errno.EEXIST) throw e;
                }
                try (var list = Files.list(src)) {
                    for (Path child : list.sorted().toList()) in(u, child, target.child(child.getFileName().toString()), linked);
                }
            } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                Object key = List.of(a.get("dev"), a.get("ino"));
                String first = (Integer) a.get("nlink") > 1 ? linked.get(key) : null;
                if (first != null) {
                    u.link(first, target.path());
                    return;
                }
                copyFileIn(u, src, target, mode & 07777);
                if ((Integer) a.get("nlink") > 1) linked.put(key, target.path());
            } else if ((mode & Stat.S_IFMT) != Stat.S_IFSOCK) {
                long rdev = (Long) Files.getAttribute(src, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
                try {
                    u.mknod(target.path(), mode & (Stat.S_IFMT | 07777), DevNumbers.netbsdOfLinux(rdev));
                } catch (RumpException e) {
                    failed(target + ": " + e.errno().message()); // FAT holds no device nodes: the rest is still copied
                    return;
                }
            } else {
                failed(src + ": a socket: not copied");
                return;
            }
            if (preserve) {
                if (!Files.isSymbolicLink(src)) u.chmod(target.path(), mode & 07777);
                u.chown(target.path(), (Integer) a.get("uid"), (Integer) a.get("gid"));
                u.utimes(target.path(), ((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS),
                        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            }
        } catch (RumpException e) {
            throw Images.failure(target, e);
        }
    }

    private void copyFileIn(Ukfs u, Path src, ImagePath target, int perm) throws IOException {
        Syscalls sys = u.syscalls();
        int fd = sys.open(u.kernelPath(target.path()), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, perm);
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            int n;
            while ((n = in.read(buf.clear())) > 0) {
                buf.flip();
                while (buf.hasRemaining()) sys.write(fd, buf);
                progress.bytes(n);
            }
            progress.file();
        } finally {
            sys.close(fd);
        }
    }
}
