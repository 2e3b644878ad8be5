package jrump.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jrump.fs.cd9660.Makefs;

/**
 * {@code jrump makefs -t cd9660 [-o rockridge,joliet,label=NAME,bootimage=PATH] IMAGE DIR}: NetBSD makefs'
 * cd9660 options. The host tree is read by {@link Ext2Image#tree} and handed to cd9660's Makefs.
 */
final class Cd9660Image {
    private Cd9660Image() {
    }

    /** Parses makefs' {@code -o} list; "bootimage=i386;PATH" (NetBSD's spelling) names PATH. */
    static Makefs.Options options(String o, long now) {
        boolean rr = false;
        boolean joliet = false;
        String label = null;
        String boot = null;
        for (String opt : o == null ? new String[0] : o.split(",")) {
            String k = opt.strip();
            int eq = k.indexOf('=');
            String v = eq < 0 ? null : k.substring(eq + 1);
            switch (eq < 0 ? k : k.substring(0, eq)) {
                case "" -> { }
                case "rockridge", "R" -> rr = true;
                case "joliet", "J" -> joliet = true;
                case "label" -> label = v;
                case "bootimage" -> boot = v != null && v.contains(";") ? v.substring(v.indexOf(';') + 1) : v;
                default -> throw new IllegalArgumentException("cd9660 option " + k + ": rockridge, joliet, label=NAME or bootimage=PATH");
            }
        }
        return new Makefs.Options(rr, joliet, label, boot, now);
    }

    /** Writes the image of {@code dir}; the file is replaced. */
    static Makefs.Result write(Path image, Path dir, Makefs.Options o) throws IOException {
        Makefs.Dir root = convert(Ext2Image.tree(dir), new IdentityHashMap<>());
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return Makefs.build(root, o, (off, data) -> {
                while (data.hasRemaining()) ch.write(data, off + data.position());
            });
        }
    }

    /** The same tree in cd9660's node types; a node seen twice (a hard link) stays one node. */
    private static Makefs.Dir convert(jrump.fs.ext2fs.Makefs.Dir d, Map<Object, Makefs.Node> seen) {
        List<Map.Entry<String, Makefs.Node>> entries = new ArrayList<>();
        for (var e : d.entries()) entries.add(Map.entry(e.getKey(), node(e.getValue(), seen)));
        return new Makefs.Dir(attrs(d.attrs()), entries);
    }

    private static Makefs.Node node(jrump.fs.ext2fs.Makefs.Node n, Map<Object, Makefs.Node> seen) {
        Makefs.Node done = seen.get(n);
        if (done != null) return done;
        Makefs.Node made = switch (n) {
            case jrump.fs.ext2fs.Makefs.Dir d -> convert(d, seen);
            case jrump.fs.ext2fs.Makefs.File f -> new Makefs.File(attrs(f.attrs()), f.size(), f.content()::read);
            case jrump.fs.ext2fs.Makefs.Symlink s -> new Makefs.Symlink(attrs(s.attrs()), s.target());
            case jrump.fs.ext2fs.Makefs.Special s -> new Makefs.Special(attrs(s.attrs()), s.type(), s.major(), s.minor());
        };
        seen.put(n, made);
        return made;
    }

    private static Makefs.Attrs attrs(jrump.fs.ext2fs.Makefs.Attrs a) {
        return new Makefs.Attrs(a.perm(), a.uid(), a.gid(), a.atime(), a.mtime(), a.ctime());
    }
}
