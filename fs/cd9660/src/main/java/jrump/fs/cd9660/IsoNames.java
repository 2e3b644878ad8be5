package jrump.fs.cd9660;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * File identifiers for the primary hierarchy that makefs writes (ECMA-119 §7.5 and §7.6, interchange
 * level 2: d-characters, at most 30 characters of name and extension, ";1" versions on files, 31 for
 * directories), unique within their directory: the long names live in Rock Ridge NM and in Joliet.
 */
final class IsoNames {
    /** §7.5.1 with level 2's length: name and extension together. */
    static final int FILE_CHARS = 30;
    /** §7.6.3 with level 2's length. */
    static final int DIR_CHARS = 31;

    private IsoNames() {
    }

    /** §7.4.1 d-characters: A-Z, 0-9 and "_"; everything else becomes "_" (lower case is raised). */
    private static String dChars(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) b.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        return b.toString();
    }

    /** A unique identifier for {@code name} among {@code taken} (which it joins). */
    static byte[] identifier(String name, boolean dir, Set<String> taken) {
        String base;
        String ext = "";
        int dot = dir ? -1 : name.lastIndexOf('.');
        if (dot > 0) {
            base = dChars(name.substring(0, dot));
            ext = dChars(name.substring(dot + 1));
            if (ext.length() > 8) ext = ext.substring(0, 8);
        } else {
            base = dChars(name);
        }
        int room = dir ? DIR_CHARS : FILE_CHARS - ext.length();
        if (base.isEmpty()) base = "_";
        String id = compose(base, ext, room, dir, "");
        for (int n = 1; !taken.add(id); n++) id = compose(base, ext, room, dir, "_" + n);
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    private static String compose(String base, String ext, int room, boolean dir, String suffix) {
        String b = base.length() + suffix.length() > room ? base.substring(0, Math.max(0, room - suffix.length())) + suffix : base + suffix;
        return dir ? b : b + "." + ext + ";1";
    }
}
