package jrump.tests.ext2fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jrump.tests.ext2fs.TreeComparator.Node;
import jrump.tests.ext2fs.TreeComparator.Type;

/**
 * Checks a tree against the corpus's tree.manifest.json: the same names (no more, no fewer), and for each
 * its type, permission bits (not of symlinks), file size and SHA-256, symlink target, and which names are
 * one inode (hardlink_group). The tree is given as nodes by path relative to /tree, however they were read.
 */
final class ManifestCheck {
    private ManifestCheck() {
    }

    /** Every difference, one a line; empty when the tree is the manifest's. */
    static List<String> differences(List<Corpus.Entry> manifest, Map<String, Node> tree) {
        List<String> out = new ArrayList<>();
        Map<String, Corpus.Entry> expected = new HashMap<>();
        for (Corpus.Entry e : manifest) expected.put(e.path().substring(1), e);
        Set<String> all = new TreeSet<>(expected.keySet());
        all.addAll(tree.keySet());
        all.remove(""); // /tree itself is not in the manifest
        Map<Long, Long> inoOfGroup = new HashMap<>();
        Map<Long, String> pathOfIno = new HashMap<>();
        for (String path : all) {
            Corpus.Entry e = expected.get(path);
            Node n = tree.get(path);
            String p = TreeComparator.show(path);
            if (n == null) {
                out.add(p + ": in the manifest (" + e.type() + ") but not in the image");
                continue;
            }
            if (e == null) {
                out.add(p + ": in the image (" + n.type() + ") but not in the manifest");
                continue;
            }
            Type type = switch (e.type()) {
                case "dir" -> Type.DIR;
                case "file" -> Type.FILE;
                case "symlink" -> Type.SYMLINK;
                default -> throw new IllegalArgumentException("manifest type " + e.type() + " of " + p);
            };
            if (n.type() != type) {
                out.add(p + ": a " + e.type() + " in the manifest, a " + n.type() + " in the image");
                continue;
            }
            // symlinks: the manifest has the Linux host's 0777, NetBSD made them 0777 & ~umask (0755) and the
            // image keeps that; POSIX gives a symlink's mode no meaning, so it is not compared
            if (type != Type.SYMLINK && n.perms() != (e.mode() & 07777)) out.add(p + String.format(": mode %04o in the manifest, %04o in the image", e.mode() & 07777, n.perms()));
            if (type == Type.FILE) {
                if (n.size() != e.size()) out.add(p + ": size " + e.size() + " in the manifest, " + n.size() + " in the image");
                if (n.content() == null || !n.content().equals(e.sha256())) {
                    out.add(p + ": sha256 " + e.sha256() + " in the manifest, " + n.content() + " in the image");
                }
            }
            if (type == Type.SYMLINK && !e.target().equals(n.target())) {
                out.add(p + ": target " + TreeComparator.show(e.target()) + " in the manifest, "
                        + (n.target() == null ? "none" : TreeComparator.show(n.target())) + " in the image");
            }
            if (type != Type.DIR) {
                // names of one group are one inode; any other name is an inode of its own
                String other = pathOfIno.putIfAbsent(n.ino(), path);
                if (e.hardlinkGroup() >= 0) {
                    Long groupIno = inoOfGroup.putIfAbsent(e.hardlinkGroup(), n.ino());
                    if (groupIno != null && groupIno != n.ino()) {
                        out.add(p + ": hardlink_group " + e.hardlinkGroup() + " but not the inode of the group's other names");
                        continue;
                    }
                }
                if (other != null && (e.hardlinkGroup() < 0 || !sameGroup(expected.get(other), e))) {
                    out.add(p + ": the same inode as " + TreeComparator.show(other) + " but not in its hardlink_group");
                }
            }
        }
        return out;
    }

    private static boolean sameGroup(Corpus.Entry a, Corpus.Entry b) {
        return a != null && a.hardlinkGroup() >= 0 && a.hardlinkGroup() == b.hardlinkGroup();
    }
}
