package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Compares a host directory tree (read through java.nio, never following symlinks) with a tree in a rump
 * kernel (read through its system calls: getdents, lstat, open and read, readlink, listxattr and getxattr)
 * and reports every difference at once: names, types, permission bits, owners, sizes, contents (SHA-256),
 * symlink targets, device numbers, link counts, which names share an inode, modification times and user.*
 * attributes.
 *
 * <p>Walking the kernel's tree also checks what the kernel says against itself: getdents lists "." and ".."
 * once each with the right inode numbers, no name twice, d_fileno equal to lstat's st_ino and d_type equal
 * to lstat's type (or DT_UNKNOWN); read returns exactly st_size bytes; readlink returns st_size bytes. A
 * system call that fails is a difference too, so one run lists everything that is wrong.
 */
final class TreeComparator {
    private TreeComparator() {
    }

    /** How precisely the file system keeps modification times. */
    enum Mtimes {
        /** Seconds and nanoseconds as the host has them (ext4's 256-byte inodes with the extra fields). */
        NANOSECONDS,
        /**
         * A signed 32-bit count of seconds and no nanoseconds (ext2 revision 0 and 1 with 128-byte inodes):
         * the host's seconds wrapped to 32 bits, nanoseconds 0.
         */
        SECONDS_32BIT
    }

    /**
     * What to compare. {@code rootAttributes}: also the top directory's mode, owner, links and time (mke2fs
     * -d does not copy them). {@code ignoredAtRoot}: top-level names the kernel may have and the host not
     * (lost+found), with everything below them.
     */
    record Options(Mtimes mtimes, boolean xattrs, boolean rootAttributes, Set<String> ignoredAtRoot) {
        /** Everything, exactly: a copy made through the system calls. */
        static Options exact() {
            return new Options(Mtimes.NANOSECONDS, true, true, Set.of());
        }

        Options withMtimes(Mtimes m) {
            return new Options(m, xattrs, rootAttributes, ignoredAtRoot);
        }

        Options withoutXattrs() {
            return new Options(mtimes, false, rootAttributes, ignoredAtRoot);
        }

        Options withoutRootAttributes() {
            return new Options(mtimes, xattrs, false, ignoredAtRoot);
        }

        Options ignoringAtRoot(String... names) {
            return new Options(mtimes, xattrs, rootAttributes, Set.of(names));
        }
    }

    enum Type { DIR, FILE, SYMLINK, FIFO, CHAR, BLOCK, SOCKET, UNKNOWN }

    /**
     * One name in a tree. {@code path} is relative to the tree's top ("" for the top itself); {@code content}
     * the SHA-256 of a file's bytes; {@code ino} identifies the inode within its own tree only.
     */
    record Node(String path, Type type, int perms, int uid, int gid, long size, String content, String target,
                long rdev, long nlink, long ino, long mtimeSec, int mtimeNsec, Map<String, String> xattrs) {
    }

    /** A whole tree: its names and, for a kernel's tree, what went wrong reading it. */
    record Snapshot(Map<String, Node> nodes, List<Diff> problems) {
    }

    /**
     * One difference: {@code kind} is what differs ("missing", "extra", "type", "mode", "uid", "gid", "size",
     * "content", "target", "rdev", "nlink", "mtime", "xattrs", "links"), or "kernel" for what the kernel said
     * against itself or failed to answer.
     */
    record Diff(String kind, String path, String text) {
        @Override
        public String toString() {
            return show(path) + ": " + text;
        }
    }

    static Type typeOf(int mode) {
        return switch (mode & Stat.S_IFMT) {
            case Stat.S_IFDIR -> Type.DIR;
            case Stat.S_IFREG -> Type.FILE;
            case Stat.S_IFLNK -> Type.SYMLINK;
            case Stat.S_IFIFO -> Type.FIFO;
            case Stat.S_IFCHR -> Type.CHAR;
            case Stat.S_IFBLK -> Type.BLOCK;
            case Stat.S_IFSOCK -> Type.SOCKET;
            default -> Type.UNKNOWN;
        };
    }

    private static Type typeOfDirent(int dtype) {
        return switch (dtype) {
            case Dirent.DT_DIR -> Type.DIR;
            case Dirent.DT_REG -> Type.FILE;
            case Dirent.DT_LNK -> Type.SYMLINK;
            case Dirent.DT_FIFO -> Type.FIFO;
            case Dirent.DT_CHR -> Type.CHAR;
            case Dirent.DT_BLK -> Type.BLOCK;
            case Dirent.DT_SOCK -> Type.SOCKET;
            default -> Type.UNKNOWN;
        };
    }

    /** Attribute values: short ones as hex, longer ones by length and hash, so messages stay readable. */
    static String describeValue(byte[] v) {
        return v.length <= 32 ? "0x" + Tools.hex(v) : v.length + " bytes sha256:" + Tools.sha256(v);
    }

    // ---- the host ----

    /** The host tree under {@code root}, symlinks not followed. */
    static Snapshot host(Path root) {
        Map<String, Node> nodes = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    add(file);
                    return FileVisitResult.CONTINUE;
                }

                private void add(Path p) throws IOException {
                    String rel = root.relativize(p).toString();
                    nodes.put(rel, hostNode(rel, p));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("reading the host tree " + root, e);
        }
        return new Snapshot(nodes, List.of());
    }

    private static Node hostNode(String rel, Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        Type type = typeOf(mode);
        String content = null;
        String target = null;
        if (type == Type.FILE) {
            MessageDigest md = Tools.sha256();
            byte[] buf = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            }
            content = Tools.hex(md.digest());
        } else if (type == Type.SYMLINK) {
            target = Files.readSymbolicLink(p).toString();
        }
        Map<String, String> xattrs = new TreeMap<>();
        if (type == Type.FILE || type == Type.DIR) {
            // Linux allows user.* attributes on files and directories only
            UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            for (String name : view.list()) {
                ByteBuffer b = ByteBuffer.allocate(view.size(name));
                view.read(name, b);
                xattrs.put("user." + name, describeValue(java.util.Arrays.copyOf(b.array(), b.position())));
            }
        }
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        var instant = mtime.toInstant();
        return new Node(rel, type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                content, target, (Long) a.get("rdev"), (Integer) a.get("nlink"), (Long) a.get("ino"),
                instant.getEpochSecond(), instant.getNano(), xattrs);
    }

    // ---- the kernel ----

    /** The kernel's tree under {@code root} (an absolute path), with what went wrong reading it. */
    static Snapshot kernel(Syscalls sys, String root, boolean xattrs) {
        KernelReader r = new KernelReader(sys, xattrs);
        r.read(root);
        return new Snapshot(r.nodes, r.problems);
    }

    private static final class KernelReader {
        private final Syscalls sys;
        private final boolean xattrs;
        final Map<String, Node> nodes = new TreeMap<>();
        final List<Diff> problems = new ArrayList<>();
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);

        KernelReader(Syscalls sys, boolean xattrs) {
            this.sys = sys;
            this.xattrs = xattrs;
        }

        void read(String root) {
            Stat st = call("", "lstat", () -> sys.lstat(root));
            if (st == null) return;
            visit("", root, st, -1);
        }

        private void visit(String rel, String kpath, Stat st, long parentIno) {
            Type type = typeOf(st.mode());
            String content = null;
            String target = null;
            Map<String, String> attrs = new TreeMap<>();
            if (type == Type.FILE) {
                content = readFile(rel, kpath, st);
            } else if (type == Type.SYMLINK) {
                target = readlink(rel, kpath, st);
            }
            if (xattrs && (type == Type.FILE || type == Type.DIR)) readXattrs(rel, kpath, attrs);
            nodes.put(rel, new Node(rel, type, st.permissions(), st.uid(), st.gid(), st.size(), content, target,
                    st.rdev(), st.nlink(), st.ino(), st.mtime().sec(), (int) st.mtime().nsec(), attrs));
            if (type == Type.DIR) readDir(rel, kpath, st, parentIno);
        }

        private void readDir(String rel, String kpath, Stat st, long parentIno) {
            List<Dirent> entries = call(rel, "getdents", () -> dirents(kpath));
            if (entries == null) return;
            Map<String, Dirent> byName = new LinkedHashMap<>();
            int dots = 0;
            int dotdots = 0;
            for (Dirent d : entries) {
                if (d.name().equals(".")) {
                    dots++;
                    if (d.fileno() != st.ino()) problem(rel, "\".\" has d_fileno " + d.fileno() + ", the directory is inode " + st.ino());
                } else if (d.name().equals("..")) {
                    dotdots++;
                    if (parentIno >= 0 && d.fileno() != parentIno) {
                        problem(rel, "\"..\" has d_fileno " + d.fileno() + ", the parent is inode " + parentIno);
                    }
                } else if (byName.put(d.name(), d) != null) {
                    problem(join(rel, d.name()), "getdents lists the name more than once");
                }
            }
            if (dots != 1 || dotdots != 1) problem(rel, "getdents lists \".\" " + dots + " times and \"..\" " + dotdots + " times");
            for (Dirent d : byName.values()) {
                String childRel = join(rel, d.name());
                String childPath = kpath + "/" + d.name();
                Stat cst = call(childRel, "lstat", () -> sys.lstat(childPath));
                if (cst == null) continue;
                if (d.fileno() != cst.ino()) problem(childRel, "d_fileno " + d.fileno() + " but st_ino " + cst.ino());
                Type dt = typeOfDirent(d.type());
                if (dt != Type.UNKNOWN && dt != typeOf(cst.mode())) {
                    problem(childRel, "d_type says " + dt + " but lstat says " + typeOf(cst.mode()));
                }
                visit(childRel, childPath, cst, st.ino());
            }
        }

        private List<Dirent> dirents(String kpath) {
            int fd = sys.open(kpath, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_NONBLOCK, 0);
            try {
                List<Dirent> out = new ArrayList<>();
                int n;
                while ((n = sys.getdents(fd, buf.clear())) > 0) out.addAll(Dirent.parse(buf.flip(), n));
                return out;
            } finally {
                sys.close(fd);
            }
        }

        private String readFile(String rel, String kpath, Stat st) {
            return call(rel, "read", () -> {
                int fd = sys.open(kpath, Sys.O_RDONLY | Sys.O_NONBLOCK, 0);
                try {
                    MessageDigest md = Tools.sha256();
                    long total = 0;
                    long n;
                    while ((n = sys.read(fd, buf.clear())) > 0) {
                        md.update(buf.array(), 0, (int) n);
                        total += n;
                    }
                    if (total != st.size()) problem(rel, "read returned " + total + " bytes, st_size is " + st.size());
                    return Tools.hex(md.digest());
                } finally {
                    sys.close(fd);
                }
            });
        }

        private String readlink(String rel, String kpath, Stat st) {
            return call(rel, "readlink", () -> {
                long n = sys.readlink(kpath, buf.clear());
                if (n != st.size()) problem(rel, "readlink returned " + n + " bytes, st_size is " + st.size());
                return new String(buf.array(), 0, (int) Math.min(n, buf.capacity()), StandardCharsets.UTF_8);
            });
        }

        private void readXattrs(String rel, String kpath, Map<String, String> into) {
            List<String> names = call(rel, "listxattr", () -> {
                long n = sys.listxattr(kpath, buf.clear());
                List<String> out = new ArrayList<>();
                for (String s : new String(buf.array(), 0, (int) n, StandardCharsets.UTF_8).split("\0")) {
                    if (!s.isEmpty()) out.add(s);
                }
                return out;
            });
            if (names == null) return;
            for (String name : names) {
                // system.* belongs to the file system (ext4 keeps inline data as "system.data")
                if (!name.startsWith("user.")) continue;
                String value = call(rel, "getxattr " + name, () -> {
                    long n = sys.getxattr(kpath, name, buf.clear());
                    return describeValue(java.util.Arrays.copyOf(buf.array(), (int) n));
                });
                if (value != null) into.put(name, value);
            }
        }

        /** The call's result, or null after noting the errno it failed with. */
        private <T> T call(String rel, String what, java.util.function.Supplier<T> call) {
            try {
                return call.get();
            } catch (RumpException e) {
                problem(rel, what + " failed: " + e.errno());
                return null;
            }
        }

        private void problem(String rel, String what) {
            problems.add(new Diff("kernel", rel, what));
        }
    }

    private static String join(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }

    /** A path as messages show it: quoted, with control characters escaped. */
    static String show(String rel) {
        StringBuilder sb = new StringBuilder("\"/");
        for (int i = 0; i < rel.length(); i++) {
            char c = rel.charAt(i);
            if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    // ---- comparing ----

    /** Every difference of {@code actual} (the kernel's) from {@code expected} (the host's). */
    static List<Diff> differences(Snapshot expected, Snapshot actual, Options o) {
        List<Diff> out = new ArrayList<>();
        for (Diff d : actual.problems()) {
            if (!ignored(d.path(), o)) out.add(d);
        }
        Map<String, Node> exp = expected.nodes();
        Map<String, Node> act = new TreeMap<>();
        for (var e : actual.nodes().entrySet()) {
            if (!ignored(e.getKey(), o)) act.put(e.getKey(), e.getValue());
        }
        Set<String> all = new TreeSet<>(exp.keySet());
        all.addAll(act.keySet());
        for (String path : all) {
            Node h = exp.get(path);
            Node k = act.get(path);
            if (k == null) {
                out.add(new Diff("missing", path, "missing in the kernel (a " + h.type() + " on the host)"));
            } else if (h == null) {
                out.add(new Diff("extra", path, "in the kernel (a " + k.type() + ") but not on the host"));
            } else if (!path.isEmpty() || o.rootAttributes()) {
                compare(h, k, o, out);
            }
        }
        compareLinks(exp, act, o, out);
        return out;
    }

    private static boolean ignored(String path, Options o) {
        for (String name : o.ignoredAtRoot()) {
            if (path.equals(name) || path.startsWith(name + "/")) return true;
        }
        return false;
    }

    private static void compare(Node h, Node k, Options o, List<Diff> out) {
        String p = h.path();
        if (h.type() != k.type()) {
            out.add(new Diff("type", p, "type " + h.type() + " on the host, " + k.type() + " in the kernel"));
            return;
        }
        if (h.perms() != k.perms()) {
            out.add(new Diff("mode", p, String.format("mode %04o on the host, %04o in the kernel", h.perms(), k.perms())));
        }
        if (h.uid() != k.uid()) {
            out.add(new Diff("uid", p, "uid " + Integer.toUnsignedString(h.uid()) + " on the host, "
                    + Integer.toUnsignedString(k.uid()) + " in the kernel"));
        }
        if (h.gid() != k.gid()) {
            out.add(new Diff("gid", p, "gid " + Integer.toUnsignedString(h.gid()) + " on the host, "
                    + Integer.toUnsignedString(k.gid()) + " in the kernel"));
        }
        // a directory's size is its file system's business
        if ((h.type() == Type.FILE || h.type() == Type.SYMLINK) && h.size() != k.size()) {
            out.add(new Diff("size", p, "size " + h.size() + " on the host, " + k.size() + " in the kernel"));
        }
        if (h.type() == Type.FILE && k.content() != null && !h.content().equals(k.content())) {
            out.add(new Diff("content", p, "content differs (sha256 " + h.content() + " on the host, " + k.content()
                    + " in the kernel)"));
        }
        if (h.type() == Type.SYMLINK && k.target() != null && !h.target().equals(k.target())) {
            out.add(new Diff("target", p, "symlink target " + show(h.target()) + " on the host, " + show(k.target())
                    + " in the kernel"));
        }
        if ((h.type() == Type.CHAR || h.type() == Type.BLOCK) && h.rdev() != k.rdev()) {
            out.add(new Diff("rdev", p, String.format("device 0x%x on the host, 0x%x in the kernel", h.rdev(), k.rdev())));
        }
        if (h.nlink() != k.nlink()) {
            out.add(new Diff("nlink", p, h.nlink() + " links on the host, " + k.nlink() + " in the kernel"));
        }
        long sec = o.mtimes() == Mtimes.NANOSECONDS ? h.mtimeSec() : (int) h.mtimeSec();
        int nsec = o.mtimes() == Mtimes.NANOSECONDS ? h.mtimeNsec() : 0;
        if (sec != k.mtimeSec() || nsec != k.mtimeNsec()) {
            out.add(new Diff("mtime", p, "mtime " + time(sec, nsec) + " expected (the host has "
                    + time(h.mtimeSec(), h.mtimeNsec()) + "), " + time(k.mtimeSec(), k.mtimeNsec()) + " in the kernel"));
        }
        if (o.xattrs() && !h.xattrs().equals(k.xattrs())) {
            out.add(new Diff("xattrs", p, "user attributes " + h.xattrs() + " on the host, " + k.xattrs() + " in the kernel"));
        }
    }

    private static String time(long sec, int nsec) {
        return sec + "." + String.format("%09d", nsec);
    }

    /**
     * Which names are one inode: for every group of names the host has on one inode, the kernel must have
     * exactly the same group (inode numbers themselves differ between trees and are not compared).
     */
    private static void compareLinks(Map<String, Node> exp, Map<String, Node> act, Options o, List<Diff> out) {
        Map<String, Set<String>> hostGroups = groups(exp, o);
        Map<String, Set<String>> kernelGroups = groups(act, o);
        Set<Set<String>> reported = new HashSet<>();
        for (var e : hostGroups.entrySet()) {
            Set<String> kg = kernelGroups.get(e.getKey());
            if (kg == null || kg.equals(e.getValue())) continue;
            if (reported.add(e.getValue()) | reported.add(kg)) {
                out.add(new Diff("links", e.getKey(), "one inode with " + shown(e.getValue()) + " on the host, with "
                        + shown(kg) + " in the kernel"));
            }
        }
    }

    /** For each path (the top left out unless compared), the set of paths on the same inode. */
    private static Map<String, Set<String>> groups(Map<String, Node> nodes, Options o) {
        Map<Long, Set<String>> byIno = new HashMap<>();
        for (Node n : nodes.values()) {
            if (n.path().isEmpty() && !o.rootAttributes()) continue;
            byIno.computeIfAbsent(n.ino(), i -> new TreeSet<>()).add(n.path());
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (Set<String> g : byIno.values()) {
            Set<String> u = Collections.unmodifiableSet(g);
            for (String p : g) out.put(p, u);
        }
        return out;
    }

    private static String shown(Set<String> paths) {
        List<String> l = new ArrayList<>();
        for (String p : paths) l.add(show(p));
        return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " and " + (l.size() - 8) + " more";
    }

    // ---- asserting ----

    /**
     * Fails, listing every difference (the first 300 in the message, all of them in a file under
     * target/ext2fs-reports), unless the kernel's tree under {@code kernelRoot} equals the host's.
     */
    static void assertSame(Path hostRoot, Syscalls sys, String kernelRoot, Options o, String context) {
        Snapshot host = host(hostRoot);
        Snapshot kernel = kernel(sys, kernelRoot, o.xattrs());
        List<Diff> diffs = differences(host, kernel, o);
        if (!diffs.isEmpty()) throw new AssertionError(report(context, host, diffs));
    }

    static String report(String context, Snapshot host, List<Diff> diffs) {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Diff d : diffs) kinds.merge(d.kind(), 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        sb.append(context).append(": ").append(diffs.size()).append(" differences over ").append(host.nodes().size())
                .append(" host entries; by kind ").append(kinds).append('\n');
        Path file = writeReport(context, diffs);
        if (file != null) sb.append("all of them in ").append(file.toAbsolutePath()).append('\n');
        int shownCount = Math.min(300, diffs.size());
        for (int i = 0; i < shownCount; i++) sb.append("  ").append(diffs.get(i)).append('\n');
        if (diffs.size() > shownCount) sb.append("  ... and ").append(diffs.size() - shownCount).append(" more\n");
        return sb.toString();
    }

    private static Path writeReport(String context, List<Diff> diffs) {
        try {
            Path dir = Path.of("target", "ext2fs-reports");
            Files.createDirectories(dir);
            Path file = dir.resolve(context.replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt");
            StringBuilder sb = new StringBuilder(context).append('\n');
            for (Diff d : diffs) sb.append(d).append('\n');
            Files.writeString(file, sb);
            return file;
        } catch (IOException e) {
            return null; // the message still has the first ones
        }
    }
}
