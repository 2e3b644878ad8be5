package jrump.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jrump.rumpvfs.tool.MakefsTree;

/**
 * A host directory as the tree makefs writes, for every type: directories in name order, a file's
 * content read from the host when the image is written, owners, modes and times in nanoseconds.
 */
final class HostTree {
    private HostTree() {
    }

    /** The host tree under {@code dir}: hard links share a node, symlinks are not followed. */
    static MakefsTree.Dir of(Path dir) throws IOException {
        return dir(dir, new HashMap<>());
    }

    private static MakefsTree.Dir dir(Path dir, Map<Object, MakefsTree.Node> seen) throws IOException {
        List<Map.Entry<String, MakefsTree.Node>> entries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) entries.add(Map.entry(p.getFileName().toString(), node(p, seen)));
        }
        return new MakefsTree.Dir(attrs(dir), entries);
    }

    private static MakefsTree.Node node(Path p, Map<Object, MakefsTree.Node> seen) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) return dir(p, seen);
        if (a.isSymbolicLink()) return new MakefsTree.Symlink(attrs(p), Files.readSymbolicLink(p).toString());
        MakefsTree.Node existing = a.fileKey() == null ? null : seen.get(a.fileKey());
        if (existing != null) return existing;
        MakefsTree.Node n;
        if (a.isRegularFile()) {
            n = new MakefsTree.File(attrs(p), a.size(), (off, dst) -> {
                try (FileChannel ch = FileChannel.open(p)) {
                    return ch.read(dst, off);
                }
            });
        } else {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            n = new MakefsTree.Special(attrs(p), mode & 0xF000, DevNumbers.linuxMajor(rdev), DevNumbers.linuxMinor(rdev));
        }
        if (a.fileKey() != null) seen.put(a.fileKey(), n);
        return n;
    }

    private static MakefsTree.Attrs attrs(Path p) throws IOException {
        Map<String, Object> u = Files.readAttributes(p, "unix:mode,uid,gid,lastAccessTime,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        return new MakefsTree.Attrs((Integer) u.get("mode") & 07777, (Integer) u.get("uid"), (Integer) u.get("gid"),
                nanos(u.get("lastAccessTime")), nanos(u.get("lastModifiedTime")), nanos(u.get("ctime")));
    }

    private static long nanos(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }
}
