package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jrump.rumpvfs.tool.MakefsTree;

/** A host directory as a {@link Makefs} tree: hard links share a node, symlinks are not followed. */
final class HostTree {
    private HostTree() {
    }

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
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,size,rdev", LinkOption.NOFOLLOW_LINKS);
        int type = (Integer) a.get("mode") & 0170000;
        if (type == 0040000) return dir(p, seen);
        if (type == 0120000) return new MakefsTree.Symlink(attrs(p), Files.readSymbolicLink(p).toString());
        Object key = a.get("dev") + ":" + a.get("ino");
        MakefsTree.Node n = seen.get(key);
        if (n != null) return n;
        if (type == 0100000) {
            n = new MakefsTree.File(attrs(p), (Long) a.get("size"), (off, dst) -> {
                try (FileChannel ch = FileChannel.open(p)) {
                    return ch.read(dst, off);
                }
            });
        } else {
            long rdev = (Long) a.get("rdev");
            n = new MakefsTree.Special(attrs(p), type, (int) ((rdev >>> 8) & 0xfff), (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xfff00)));
        }
        seen.put(key, n);
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

    /** Builds {@code image} from {@code dir}. */
    static Makefs.Result write(Path dir, Path image, Makefs.Options o) throws IOException {
        try (FileChannel ch = FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            return Makefs.build(of(dir), o, (off, data) -> {
                while (data.hasRemaining()) ch.write(data, off + data.position());
            });
        }
    }
}
