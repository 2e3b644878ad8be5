package jrump.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A tree as a map path → what is compared: the type, the permission bits, the owner, the size, a SHA-256 of
 * the content, the link target, the mtime and atime (nanoseconds), the link count and, for a file of several
 * names, the names it shares its inode with. The same shape from a host directory and from a kernel's tree.
 */
final class TreeWalk {
    private TreeWalk() {
    }

    record Node(char type, int perm, int uid, int gid, long size, String sha, String link, long mtime, long atime, long nlink, String sharedWith) {
    }

    /** Every path whose node differs, is missing or is extra (at most 12 lines; empty when the trees agree). */
    static List<String> differences(Map<String, Node> got, Map<String, Node> want) {
        List<String> out = new ArrayList<>();
        for (var e : want.entrySet()) {
            Node g = got.get(e.getKey());
            if (g == null) out.add("missing " + e.getKey());
            else if (!g.equals(e.getValue())) out.add(e.getKey() + ": got " + g + ", want " + e.getValue());
        }
        for (String k : got.keySet()) if (!want.containsKey(k)) out.add("extra " + k + ": " + got.get(k));
        if (out.size() > 12) {
            int more = out.size() - 12;
            out = new ArrayList<>(out.subList(0, 12));
            out.add("... and " + more + " more");
        }
        return out;
    }

    static Map<String, Node> host(Path root) throws IOException {
        Map<String, Node> out = new TreeMap<>();
        Map<String, Object> inos = new HashMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root)) continue;
                String rel = root.relativize(p).toString();
                out.put(rel, hostNode(p));
                inos.put(rel, Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
            }
        }
        // the contents after every attribute: reading a file moves the atime its other names report
        for (var e : out.entrySet()) {
            Node n = e.getValue();
            if (n.type == '-') e.setValue(new Node(n.type, n.perm, n.uid, n.gid, n.size, sha(root.resolve(e.getKey())), n.link, n.mtime, n.atime, n.nlink, null));
        }
        return withShared(out, inos);
    }

    private static Node hostNode(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,lastAccessTime,nlink", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        char type = type(mode);
        long size = type == 'd' ? 0 : (Long) a.get("size");
        String sha = null;
        String link = type == 'l' ? Files.readSymbolicLink(p).toString() : null;
        long nlink = type == 'd' ? 0 : ((Number) a.get("nlink")).longValue();
        return new Node(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), size, sha, link,
                ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), ((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS),
                nlink, null);
    }

    static Map<String, Node> kernel(Syscalls sys, String root) {
        Map<String, Node> out = new TreeMap<>();
        Map<String, Object> inos = new HashMap<>();
        walk(sys, root, "", out, inos);
        return withShared(out, inos);
    }

    private static void walk(Syscalls sys, String dir, String rel, Map<String, Node> out, Map<String, Object> inos) {
        for (String name : names(sys, dir)) {
            if (name.equals(".") || name.equals("..")) continue;
            String path = dir + "/" + name;
            String r = rel.isEmpty() ? name : rel + "/" + name;
            Stat st = sys.lstat(path);
            char type = type(st.mode());
            String sha = type == '-' ? sha(sys, path) : null;
            String link = null;
            if (type == 'l') {
                ByteBuffer b = ByteBuffer.allocate(Sys.PATH_MAX);
                long n = sys.readlink(path, b);
                link = new String(b.array(), 0, (int) n, StandardCharsets.UTF_8);
            }
            long nlink = type == 'd' ? 0 : st.nlink();
            out.put(r, new Node(type, st.mode() & 07777, st.uid(), st.gid(), type == 'd' ? 0 : st.size(), sha, link,
                    st.mtime().sec() * 1_000_000_000L + st.mtime().nsec(), st.atime().sec() * 1_000_000_000L + st.atime().nsec(), nlink, null));
            inos.put(r, st.ino());
            if (type == 'd') walk(sys, path, r, out, inos);
        }
    }

    /** Fills sharedWith: the other names of a non-directory with more than one. */
    private static Map<String, Node> withShared(Map<String, Node> nodes, Map<String, Object> inos) {
        Map<Object, TreeSet<String>> byIno = new HashMap<>();
        for (var e : nodes.entrySet()) if (e.getValue().type != 'd') byIno.computeIfAbsent(inos.get(e.getKey()), k -> new TreeSet<>()).add(e.getKey());
        Map<String, Node> out = new TreeMap<>();
        for (var e : nodes.entrySet()) {
            Node n = e.getValue();
            TreeSet<String> group = n.type == 'd' ? null : byIno.get(inos.get(e.getKey()));
            String shared = group == null || group.size() < 2 ? null : String.join(",", group);
            out.put(e.getKey(), new Node(n.type, n.perm, n.uid, n.gid, n.size, n.sha, n.link, n.mtime, n.atime, n.nlink, shared));
        }
        return out;
    }

    /** The same nodes with the times cut to whole seconds, or dropped ({@code keepTimes} false). */
    static Map<String, Node> times(Map<String, Node> nodes, boolean keepMtime, boolean keepAtime, boolean seconds) {
        Map<String, Node> out = new TreeMap<>();
        for (var e : nodes.entrySet()) {
            Node n = e.getValue();
            long m = keepMtime ? (seconds ? Math.floorDiv(n.mtime, 1_000_000_000L) : n.mtime) : 0;
            long a = keepAtime ? (seconds ? Math.floorDiv(n.atime, 1_000_000_000L) : n.atime) : 0;
            out.put(e.getKey(), new Node(n.type, n.perm, n.uid, n.gid, n.size, n.sha, n.link, m, a, n.nlink, n.sharedWith));
        }
        return out;
    }

    static List<String> names(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(8192);
        List<String> out = new ArrayList<>();
        try {
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) out.add(d.name());
            }
        } finally {
            sys.close(fd);
        }
        return out;
    }

    static char type(int mode) {
        return switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '-';
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha(Path p) throws IOException {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(p)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (ch.read(b.clear()) > 0) md.update(b.flip());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha(Syscalls sys, String path) {
        MessageDigest md = sha256();
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (sys.read(fd, b.clear()) > 0) md.update(b.flip());
        } finally {
            sys.close(fd);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
