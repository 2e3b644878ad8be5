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
    private volatile boolean incomplete;

    private synchronized void failed(String message) {
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
            try {
                for (String s : sources) {
                    ImagePath srcImage = ImagePath.parse(s, false);
                    if ((srcImage == null) == (dstImage == null)) {
                        throw new CliException("cp: exactly one of " + s + " and " + dstArg + " must be IMAGE:PATH");
                    }
                    if (srcImage != null) copyOut(srcImage, Path.of(dstArg), sources.size() > 1);
                    else copyIn(Path.of(s), dstImage, sources.size() > 1);
                }
                for (TreeExport e : exports.values()) e.await();
            } finally {
                for (TreeExport e : exports.values()) e.close();
            }
        }
        return incomplete ? 1 : 0;
    }

    /** One export per image out of which sources are copied: its sources' copies overlap until the end. */
    private final java.util.Map<Ukfs, TreeExport> exports = new java.util.LinkedHashMap<>();

    // --- out of an image ------------------------------------------------------------------------

    private void copyOut(ImagePath src, Path dst, boolean intoDir) throws IOException {
        Ukfs u = images.of(src, false);
        Stat s = lstat(u, src);
        Path target = Files.isDirectory(dst) || intoDir ? dst.resolve(TreeExport.safeName(src, src.name().isEmpty() ? "root" : src.name())) : dst;
        if (intoDir && !Files.isDirectory(dst)) throw new CliException(dst + ": Not a directory");
        if ((s.mode() & Stat.S_IFMT) == Stat.S_IFDIR && !recursive) throw new CliException(src + ": is a directory (not copied without -r)");
        exports.computeIfAbsent(u, image -> new TreeExport(image, preserve, verbose ? spec.commandLine().getOut() : null, progress, this::failed))
                .start(src, s, target);
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
