package jrump.tests.ext2fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Touches everything a mounted, possibly corrupt file system has: getdents of every directory, lstat of
 * every name, every file read (up to a bound, then its last bytes), readlink of every symlink, listxattr
 * and getxattr of every file and directory. A system call that fails is counted by errno and the walk goes
 * on, so one bad inode does not hide the rest; anything else a call throws (a KernelPanic, a
 * RuntimeException) is not caught. Directories are entered once each by inode number, so a corrupt image
 * whose directories form a cycle is walked in bounded time.
 */
final class RobustWalk {
    /** A file is read up to this many bytes; then its last 64 KiB are read at its end. */
    static final long READ_LIMIT = 32L << 20;
    /** A directory's getdents may return this many entries: beyond, it is looping. */
    static final int ENTRIES_LIMIT = 1_000_000;
    /** Directories deeper than this are not entered (paths would pass MAXPATHLEN anyway). */
    static final int DEPTH_LIMIT = 256;

    /** What a walk saw and which errnos it met (by name of the call that failed). */
    static final class Result {
        int dirs;
        int files;
        int symlinks;
        int others;
        long bytesRead;
        final Map<String, Integer> errors = new TreeMap<>();

        int entries() {
            return dirs + files + symlinks + others;
        }

        @Override
        public String toString() {
            return entries() + " entries (" + dirs + " directories, " + files + " files, " + symlinks + " symlinks, "
                    + others + " other), " + bytesRead + " bytes read" + (errors.isEmpty() ? "" : ", errors " + errors);
        }
    }

    private final Syscalls sys;
    private final Result result = new Result();
    private final Set<Long> visitedDirs = new HashSet<>();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

    private RobustWalk(Syscalls sys) {
        this.sys = sys;
    }

    /** Walks everything under {@code root} (a directory's absolute path). */
    static Result walk(Syscalls sys, String root) {
        RobustWalk w = new RobustWalk(sys);
        Stat st = w.call("lstat", () -> sys.lstat(root));
        if (st != null) w.visit(root, st, 0);
        return w.result;
    }

    private void visit(String path, Stat st, int depth) {
        switch (st.mode() & Stat.S_IFMT) {
            case Stat.S_IFDIR -> {
                result.dirs++;
                xattrs(path);
                if (visitedDirs.add(st.ino()) && depth < DEPTH_LIMIT) dir(path, depth);
            }
            case Stat.S_IFREG -> {
                result.files++;
                xattrs(path);
                read(path, st);
            }
            case Stat.S_IFLNK -> {
                result.symlinks++;
                call("readlink", () -> sys.readlink(path, buf.clear()));
            }
            // FIFOs and devices are not opened: a FIFO waits for a writer, a device is not the image's
            default -> result.others++;
        }
    }

    private void dir(String path, int depth) {
        List<Dirent> entries = call("getdents", () -> {
            int fd = sys.open(path, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_NONBLOCK, 0);
            try {
                java.util.ArrayList<Dirent> out = new java.util.ArrayList<>();
                int n;
                while ((n = sys.getdents(fd, buf.clear())) > 0) {
                    out.addAll(Dirent.parse(buf.flip(), n));
                    if (out.size() > ENTRIES_LIMIT) {
                        throw new AssertionError("getdents of " + path + " returned more than " + ENTRIES_LIMIT + " entries");
                    }
                }
                return out;
            } finally {
                sys.close(fd);
            }
        });
        if (entries == null) return;
        for (Dirent d : entries) {
            String name = d.name();
            if (name.equals(".") || name.equals("..")) continue;
            if (name.isEmpty() || name.contains("/")) {
                // a corrupt entry the kernel passed on: it names no path to look up
                result.errors.merge("getdents: unusable name", 1, Integer::sum);
                continue;
            }
            String child = path + "/" + name;
            Stat cst = call("lstat", () -> sys.lstat(child));
            if (cst != null) visit(child, cst, depth + 1);
        }
    }

    private void read(String path, Stat st) {
        call("read", () -> {
            int fd = sys.open(path, Sys.O_RDONLY | Sys.O_NONBLOCK, 0);
            try {
                long total = 0;
                long n;
                while (total < READ_LIMIT && (n = sys.read(fd, buf.clear())) > 0) total += n;
                if (total >= READ_LIMIT && st.size() > READ_LIMIT) {
                    total += sys.pread(fd, buf.clear(), Math.max(0, st.size() - buf.capacity()));
                }
                result.bytesRead += total;
                return null;
            } finally {
                sys.close(fd);
            }
        });
    }

    private void xattrs(String path) {
        Long n = call("listxattr", () -> sys.listxattr(path, buf.clear()));
        if (n == null) return;
        String list = new String(buf.array(), 0, (int) Math.min(n, buf.capacity()), StandardCharsets.UTF_8);
        for (String name : list.split("\0")) {
            if (!name.isEmpty()) call("getxattr", () -> sys.getxattr(path, name, ByteBuffer.allocate(Sys.XATTR_SIZE_MAX)));
        }
    }

    /** The call's result, or null after counting the errno it failed with. */
    private <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RumpException e) {
            Errno errno = e.errno();
            result.errors.merge(what + " " + errno, 1, Integer::sum);
            return null;
        }
    }
}
