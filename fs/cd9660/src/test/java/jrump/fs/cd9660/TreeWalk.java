package jrump.fs.cd9660;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A tree as a map path → what is compared: the type, the permission bits, the owner, the size, a SHA-256 of
 * the content, the link target, the mtime in seconds and the device number. The same shape from a host
 * directory and from a mounted kernel tree, so that one {@code isEqualTo} shows every difference.
 */
final class TreeWalk {
    private TreeWalk() {
    }

    /** What the comparison looks at; {@code posix}: modes, owners, links, devices (Rock Ridge's). */
    record Node(char type, int perm, int uid, int gid, long size, String sha, String link, long mtime, String dev) {
    }

    /** Where a tree without Rock Ridge differs: everything r-x, owned by root, times only compared when asked. */
    static Node plain(Node n, boolean times) {
        return new Node(n.type, 0555, 0, 0, n.type == 'd' ? 0 : n.size, n.sha, null, times ? n.mtime : 0, null);
    }

    /** Every path whose node differs, is missing or is extra, one line each (empty when the trees agree). */
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
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root)) continue;
                out.put(root.relativize(p).toString(), hostNode(p));
            }
        }
        return out;
    }

    private static Node hostNode(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        char type = type(mode);
        long size = type == 'd' ? 0 : (Long) a.get("size");
        String sha = type == '-' ? sha(p) : null;
        String link = type == 'l' ? Files.readSymbolicLink(p).toString() : null;
        if (type == 'l') size = link.getBytes(StandardCharsets.UTF_8).length;
        long rdev = (Long) a.get("rdev");
        String dev = type == 'c' || type == 'b' ? (((rdev >>> 8) & 0xfff) + "," + ((rdev & 0xff) | ((rdev >>> 12) & 0xfff00))) : null;
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        return new Node(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), size, sha, link, mtime, dev);
    }

    static Map<String, Node> kernel(Syscalls sys, String root) {
        Map<String, Node> out = new TreeMap<>();
        walk(sys, root, "", out);
        return out;
    }

    private static void walk(Syscalls sys, String dir, String rel, Map<String, Node> out) {
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
            // NetBSD's dev_t: major in bits 8-19, minor in bits 0-7 and 20-31
            long rd = st.rdev();
            String dev = type == 'c' || type == 'b' ? (((rd >>> 8) & 0xfff) + "," + ((rd & 0xff) | ((rd >>> 12) & 0xfff00))) : null;
            out.put(r, new Node(type, st.mode() & 07777, st.uid(), st.gid(), type == 'd' ? 0 : st.size(), sha, link, st.mtime().sec(), dev));
            if (type == 'd') walk(sys, path, r, out);
        }
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

    private static char type(int mode) {
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
