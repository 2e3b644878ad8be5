package jrump.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;

/** Copies a host tree into a kernel's tree with system calls: content, symlinks, hard links, modes, owners, nanosecond times. */
final class CopyIn {
    private CopyIn() {
    }

    /**
     * Copies {@code host} to {@code to}; the times come from {@code times} (a walk made before: reading the
     * host files to compare or copy them moves their atimes), the rest from the host.
     */
    static void copy(Syscalls sys, Path host, String to, Map<String, TreeWalk.Node> times) throws IOException {
        root = host;
        CopyIn.times = times;
        Map<Object, String> linked = new HashMap<>();
        sys.umask(0); // symlinks keep the host's 0777
        Map<String, Object> top = read(host);
        sys.mkdir(to, 0755);
        copyDir(sys, host, to, linked);
        attrs(sys, top, to);
        root = null;
        CopyIn.times = null;
    }

    private static Path root;
    private static Map<String, TreeWalk.Node> times;

    /** What is copied of {@code p}'s attributes, read before its content is (reading moves the host's atime). */
    static Map<String, Object> read(Path p) throws IOException {
        Map<String, Object> a = new HashMap<>(Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS));
        a.put("symlink", Files.isSymbolicLink(p));
        TreeWalk.Node n = times == null ? null : times.get(root.relativize(p).toString());
        if (n != null) {
            a.put("lastAccessTime", FileTime.from(n.atime(), TimeUnit.NANOSECONDS));
            a.put("lastModifiedTime", FileTime.from(n.mtime(), TimeUnit.NANOSECONDS));
        }
        return a;
    }

    private static void copyDir(Syscalls sys, Path dir, String to, Map<Object, String> linked) throws IOException {
        List<Path> entries;
        try (var s = Files.list(dir)) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            String dst = to + "/" + p.getFileName();
            Map<String, Object> attrs = read(p);
            if (Files.isSymbolicLink(p)) {
                sys.symlink(Files.readSymbolicLink(p).toString(), dst);
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                sys.mkdir(dst, 0700);
                copyDir(sys, p, dst, linked);
                attrs(sys, attrs, dst);
                continue;
            } else {
                Object key = Files.getAttribute(p, "unix:ino");
                String first = linked.get(key);
                if (first != null) {
                    sys.link(first, dst);
                    continue;
                }
                linked.put(key, dst);
                int fd = sys.open(dst, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_TRUNC, 0600);
                try (FileChannel ch = FileChannel.open(p)) {
                    ByteBuffer b = ByteBuffer.allocate(1 << 20);
                    while (ch.read(b.clear()) > 0) {
                        b.flip();
                        while (b.hasRemaining()) sys.write(fd, b);
                    }
                } finally {
                    sys.close(fd);
                }
            }
            attrs(sys, attrs, dst);
        }
    }

    /** Owner, mode and times of {@code p} on {@code dst} (after its content: writes move mtime). */
    static void attrs(Syscalls sys, Map<String, Object> a, String dst) {
        boolean link = (Boolean) a.get("symlink");
        sys.lchown(dst, (Integer) a.get("uid"), (Integer) a.get("gid"));
        if (!link) sys.chmod(dst, (Integer) a.get("mode") & 07777);
        long at = ((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS);
        long mt = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        sys.utimensat(Sys.AT_FDCWD, dst, new Timespec[] {ts(at), ts(mt)}, Sys.AT_SYMLINK_NOFOLLOW);
    }

    private static Timespec ts(long ns) {
        return new Timespec(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
