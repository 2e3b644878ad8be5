package jrump.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jrump.fs.cd9660.Makefs;
import jrump.rumpvfs.tool.MakefsTree;

/**
 * {@code jrump makefs -t cd9660 [-o rockridge,joliet,label=NAME,bootimage=PATH] IMAGE DIR}: NetBSD makefs'
 * cd9660 options. The host tree is read by {@link HostTree} as for every type.
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
        MakefsTree.Dir root = HostTree.of(dir);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return Makefs.build(root, o, (off, data) -> {
                int start = data.position();
                while (data.hasRemaining()) ch.write(data, off + data.position() - start);
            });
        }
    }
}
