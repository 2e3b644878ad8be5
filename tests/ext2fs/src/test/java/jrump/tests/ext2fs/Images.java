package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jrump.tests.ext2fs.TreeComparator.Mtimes;
import jrump.tests.ext2fs.TreeComparator.Node;
import jrump.tests.ext2fs.TreeComparator.Options;
import jrump.tests.ext2fs.TreeComparator.Snapshot;

/**
 * File system images of a generated tree, made by e2fsprogs: {@code mke2fs -d TREE} copies the tree,
 * {@code e2fsck -fyD} gives large directories their htree index (mke2fs -d leaves them linear), debugfs
 * writes the nanoseconds and epoch bits of the modification times (mke2fs 1.47.0 keeps only the low 32 bits
 * of the seconds), and {@code e2fsck -fn} must find the result clean before any test uses it.
 */
final class Images {
    private Images() {
    }

    /**
     * One way of making an image. {@code mkfsArgs} go to mke2fs after {@code -t fsType -b blockSize};
     * {@code inodeSize} is what the image has (128 keeps no nanoseconds and only 32-bit seconds); {@code
     * xattrs} whether it keeps user attributes (revision 0 has no ext_attr); {@code dirIndex} whether large
     * directories get an htree.
     */
    record Variant(String name, String fsType, int blockSize, int inodeSize, List<String> mkfsArgs, boolean xattrs,
                   boolean dirIndex) {
        @Override
        public String toString() {
            return name;
        }

        Mtimes mtimes() {
            return inodeSize > 128 ? Mtimes.NANOSECONDS : Mtimes.SECONDS_32BIT;
        }

        /** How the image's tree compares with the host's: mke2fs adds lost+found and owns the root itself. */
        Options compareOptions() {
            Options o = Options.exact().withMtimes(mtimes()).withoutRootAttributes().ignoringAtRoot("lost+found");
            return xattrs ? o : o.withoutXattrs();
        }
    }

    private static Variant variant(String name, String type, int bs, int inodeSize, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.contains("-r")) a.addAll(List.of("-I", String.valueOf(inodeSize)));
        boolean rev0 = a.contains("-r");
        return new Variant(name, type, bs, inodeSize, List.copyOf(a), !rev0, !rev0);
    }

    /** ext2, ext3 and ext4 with their default features, both block sizes, and the ext4 feature variations. */
    static List<Variant> all() {
        return List.of(
                variant("ext2-rev0", "ext2", 1024, 128, "-r", "0"),
                variant("ext2-1k-128", "ext2", 1024, 128),
                variant("ext2-4k", "ext2", 4096, 256),
                variant("ext3-1k", "ext3", 1024, 256),
                variant("ext3-4k-128", "ext3", 4096, 128),
                variant("ext4-1k", "ext4", 1024, 256),
                variant("ext4-4k", "ext4", 4096, 256),
                variant("ext4-4k-no-csum", "ext4", 4096, 256, "-O", "^metadata_csum"),
                variant("ext4-4k-inline", "ext4", 4096, 256, "-O", "inline_data"),
                // 64bit needs extents
                variant("ext4-4k-no-extent", "ext4", 4096, 256, "-O", "^extent,^64bit"));
    }

    static Variant named(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** A built image and what it was built from. */
    record Image(Path file, Variant variant, TreeGenerator.Tree tree) {
        @Override
        public String toString() {
            return variant.name() + " image " + file + " of " + tree.describe();
        }
    }

    /** What the tree needs: inodes, host-allocated bytes, inodes with attributes. */
    private record Needs(int inodes, long allocatedBytes, int withXattrs) {
    }

    private static Needs needs(TreeGenerator.Tree tree, Snapshot host) {
        Map<String, Node> nodes = host.nodes();
        long inodes = nodes.values().stream().mapToLong(Node::ino).distinct().count();
        int withXattrs = (int) nodes.values().stream().filter(n -> !n.xattrs().isEmpty()).count();
        // du counts what the host allocated: data, directory and attribute blocks, not the holes
        String du = Tools.run("du", "-s", "-B1", tree.root().toString()).expect(0).out();
        long allocated = Long.parseLong(du.substring(0, du.indexOf('\t')).trim());
        return new Needs((int) inodes, allocated, withXattrs);
    }

    /** Builds {@code v}'s image of {@code tree} as {@code file}, checked clean by e2fsck. */
    static Image build(TreeGenerator.Tree tree, Variant v, Path file) {
        return build(tree, TreeComparator.host(tree.root()), v, file);
    }

    /** As {@link #build(TreeGenerator.Tree, Variant, Path)} with the tree's host snapshot already taken. */
    static Image build(TreeGenerator.Tree tree, Snapshot host, Variant v, Path file) {
        Needs n = needs(tree, host);
        int inodes = n.inodes() + n.inodes() / 10 + 64;
        long bs = v.blockSize();
        // data as the host allocated it (4 KiB granules: more than 1 KiB blocks need), block maps, attribute
        // blocks, inode tables, then half again, and room for a journal and the group metadata
        long bytes = n.allocatedBytes() + n.allocatedBytes() / (bs / 8) + n.withXattrs() * bs
                + (long) inodes * v.inodeSize();
        long size = bytes + bytes / 2 + (24L << 20);
        size = (size + bs - 1) / bs * bs;
        List<String> args = new ArrayList<>(List.of("-q", "-F", "-d", tree.root().toString(), "-t", v.fsType(),
                "-b", String.valueOf(bs), "-N", String.valueOf(inodes), "-E", "root_owner=0:0"));
        args.addAll(v.mkfsArgs());
        args.addAll(List.of(file.toString(), (size / 1024) + "k"));
        Tools.run("mke2fs", args.toArray(String[]::new)).expect(0);
        if (v.dirIndex()) {
            // 0: nothing to do, 1: directories were indexed
            Tools.run("e2fsck", "-fyD", file.toString()).expect(0, 1);
        }
        if (v.mtimes() == Mtimes.NANOSECONDS) writeNanoseconds(host, file);
        Tools.run("e2fsck", "-fn", file.toString()).expect(0);
        return new Image(file, v, tree);
    }

    /**
     * The extra time field of an inode with room for it: nanoseconds in bits 2 to 31, and in bits 0 and 1
     * the epoch, what to add to the sign-extended 32-bit seconds in units of 2^32 seconds.
     */
    static long mtimeExtra(long sec, int nsec) {
        long epoch = ((sec - (int) sec) >> 32) & 3;
        return ((long) nsec << 2) | epoch;
    }

    /** Sets every inode's mtime_extra from the host's modification time, through debugfs. */
    private static void writeNanoseconds(Snapshot host, Path image) {
        Map<String, Long> inoOf = inodeNumbers(image);
        Map<Long, Node> byHostIno = new HashMap<>();
        for (Node node : host.nodes().values()) {
            if (!node.path().isEmpty()) byHostIno.putIfAbsent(node.ino(), node);
        }
        StringBuilder cmds = new StringBuilder();
        for (Node node : byHostIno.values()) {
            Long ino = inoOf.get(node.path());
            if (ino == null) throw new AssertionError("debugfs did not list " + TreeComparator.show(node.path()) + " in " + image);
            long extra = mtimeExtra(node.mtimeSec(), node.mtimeNsec());
            if (extra != 0) cmds.append("sif <").append(ino).append("> mtime_extra ").append(extra).append('\n');
        }
        Tools.Result r = debugfs(image, true, cmds.toString());
        failOnDebugfsErrors(r);
    }

    /** Runs debugfs on {@code image} with the commands (one a line) on its standard input. */
    static Tools.Result debugfs(Path image, boolean write, String commands) {
        byte[] in = commands.getBytes(StandardCharsets.UTF_8);
        return write ? Tools.run(in, "debugfs", "-w", "-f", "-", image.toString()).expect(0)
                : Tools.run(in, "debugfs", "-f", "-", image.toString()).expect(0);
    }

    /**
     * Runs {@code command <ino>} for each inode in one debugfs and returns each one's output: debugfs echoes
     * "debugfs: command" before each output, which splits them.
     */
    static Map<Long, String> debugfsEach(Path image, String command, java.util.Collection<Long> inodes) {
        StringBuilder cmds = new StringBuilder();
        for (long ino : inodes) cmds.append(command).append(" <").append(ino).append(">\n");
        String out = debugfs(image, false, cmds.toString()).out();
        Matcher m = Pattern.compile("(?m)^debugfs: " + Pattern.quote(command) + " <(\\d+)>$").matcher(out);
        Map<Long, String> each = new HashMap<>();
        long ino = -1;
        int start = 0;
        while (m.find()) {
            if (ino >= 0) each.put(ino, out.substring(start, m.start()));
            ino = Long.parseLong(m.group(1));
            start = m.end();
        }
        if (ino >= 0) each.put(ino, out.substring(start));
        return each;
    }

    /** debugfs exits 0 whatever its commands did: anything on stderr but its banner is a failure. */
    private static void failOnDebugfsErrors(Tools.Result r) {
        List<String> errors = r.stderr().lines().filter(l -> !l.startsWith("debugfs ") && !l.isBlank()).toList();
        if (!errors.isEmpty()) throw new AssertionError("debugfs: " + Tools.abbreviate(String.join("\n", errors), 4000));
    }

    /** One entry of debugfs's "ls -p": /inode/mode/uid/gid/name/size/ (a name may hold a newline, not '/'). */
    private static final Pattern LS_P = Pattern.compile("/(\\d+)/([0-7]+)/(-?\\d+)/(-?\\d+)/([^/]*)/(\\d*)/\n");

    /** What debugfs's "ls -p" says of one name: its inode number and mode (type and permission bits). */
    record Listed(long ino, int mode) {
    }

    /** Every path in the image (relative, without the leading '/') and its inode number. */
    static Map<String, Long> inodeNumbers(Path image) {
        Map<String, Long> out = new HashMap<>();
        listing(image).forEach((path, l) -> out.put(path, l.ino()));
        return out;
    }

    /**
     * Every path in the image (relative, without the leading '/'), from debugfs's "ls -p" of each directory,
     * one debugfs per level of the tree. (ncheck is no use: it stops once it has seen as many names as it was
     * given inodes, so hard links hide other names.)
     */
    static Map<String, Listed> listing(Path image) {
        Map<String, Listed> out = new HashMap<>();
        Map<Long, String> level = Map.of(2L, ""); // the root is inode 2
        while (!level.isEmpty()) {
            Map<Long, String> listings = debugfsEach(image, "ls -p", level.keySet());
            Map<Long, String> next = new HashMap<>();
            for (var dir : level.entrySet()) {
                String listing = listings.get(dir.getKey());
                if (listing == null) throw new AssertionError("debugfs listed no directory <" + dir.getKey() + "> of " + image);
                Matcher m = LS_P.matcher(listing);
                while (m.find()) {
                    String name = m.group(5);
                    // inode 0: an unused slot (lost+found is made of them)
                    if (name.equals(".") || name.equals("..") || m.group(1).equals("0")) continue;
                    String rel = dir.getValue().isEmpty() ? name : dir.getValue() + "/" + name;
                    long ino = Long.parseLong(m.group(1));
                    int mode = Integer.parseInt(m.group(2), 8);
                    out.put(rel, new Listed(ino, mode));
                    if ((mode & 0170000) == 0040000) next.put(ino, rel);
                }
            }
            level = next;
        }
        return out;
    }

    /** The lines of {@code dumpe2fs -h}, for the checks of what features an image has. */
    static String header(Path image) {
        return Tools.run("dumpe2fs", "-h", image.toString()).expect(0).out();
    }

    /** SHA-256 of an image file: read-only mounts must leave it as it was. */
    static String checksum(Path image) {
        return Tools.sha256(image);
    }

    /** Copies {@code image} so that a test can change the copy. */
    static Path copy(Path image, Path to) {
        try {
            return Files.copy(image, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
