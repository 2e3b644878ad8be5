package jrump.fs.msdosfs;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import jrump.rumpkern.Errno;

/**
 * Names: which long names FAT can hold, and the 8.3 alias of each (fatgen103 "Basis-Name Generation
 * Algorithm" and "Numeric-Tail Generation Algorithm"). Aliases are generated against the short names
 * actually in the directory, so two long names never share one (the bug of generating from a counter).
 */
final class ShortNames {
    /** Characters no FAT name may hold (fatgen103, long names), besides the controls below 0x20. */
    static final String FORBIDDEN = "\"*/:<>?\\|";
    /** "~999999" is the longest numeric tail fatgen103's algorithm goes to. */
    private static final int MAX_TAIL = 999999;

    private ShortNames() {
    }

    /** EINVAL for a name FAT cannot store (a forbidden character, trailing dot or space), ENAMETOOLONG past 255. */
    static void check(String name) throws FatError {
        if (name.isEmpty()) throw new FatError(Errno.ENOENT, "empty name");
        if (name.length() > LongName.MAX_LENGTH) throw new FatError(Errno.ENAMETOOLONG, "a long name holds at most 255 characters");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || FORBIDDEN.indexOf(c) >= 0) throw new FatError(Errno.EINVAL, "'" + name + "': FAT names cannot hold " + describe(c));
        }
        char last = name.charAt(name.length() - 1);
        // Windows strips trailing dots and spaces, so such a name could never be reached there again
        if (last == '.' || last == ' ') throw new FatError(Errno.EINVAL, "'" + name + "': FAT names cannot end with a dot or a space");
    }

    private static String describe(char c) {
        return c < 0x20 ? "control character 0x" + Integer.toHexString(c) : "'" + c + "'";
    }

    /** A character a short name may hold as it is (upper case letters, digits, the OEM punctuation). */
    private static boolean shortChar(char c) {
        if (c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
        return "$%'-_@~`!(){}^#&".indexOf(c) >= 0;
    }

    /**
     * The 11-byte entry name and DIR_NTRes case bits when {@code name} is itself a valid 8.3 name whose base
     * and extension are each all upper or all lower case (then no long name is needed); else null.
     */
    static byte[] exact(String name) {
        int dot = name.indexOf('.');
        if (dot != name.lastIndexOf('.') || dot == 0) return null;
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || (dot >= 0 && ext.isEmpty())) return null;
        int ntRes = 0;
        String upperBase = base.toUpperCase(Locale.ROOT);
        String upperExt = ext.toUpperCase(Locale.ROOT);
        if (!base.equals(upperBase)) {
            if (!base.equals(base.toLowerCase(Locale.ROOT))) return null;
            ntRes |= DirEntry.NTRES_LOWER_BASE;
        }
        if (!ext.equals(upperExt)) {
            if (!ext.equals(ext.toLowerCase(Locale.ROOT))) return null;
            ntRes |= DirEntry.NTRES_LOWER_EXT;
        }
        for (char c : (upperBase + upperExt).toCharArray()) if (!shortChar(c)) return null;
        byte[] out = pad(upperBase, upperExt);
        if ((out[0] & 0xff) == DirEntry.FREE_SLOT) return null;
        byte[] withCase = new byte[12];
        System.arraycopy(out, 0, withCase, 0, 11);
        withCase[11] = (byte) ntRes;
        return withCase;
    }

    private static byte[] pad(String base, String ext) {
        return ((base + "        ").substring(0, 8) + (ext + "   ").substring(0, 3)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The alias of a long name: the basis name (upper case, characters a short name cannot hold as '_',
     * spaces and leading dots dropped, up to 8 + 3), with the first numeric tail "~N" that makes it
     * different from every name in {@code taken} (11-byte names as strings). ENOSPC if all are taken.
     */
    static byte[] generate(String longName, Set<String> taken) throws FatError {
        String upper = longName.toUpperCase(Locale.ROOT);
        int lastDot = upper.lastIndexOf('.');
        String base = basisPart(lastDot > 0 ? upper.substring(0, lastDot) : upper);
        String ext = lastDot > 0 ? basisPart(upper.substring(lastDot + 1)) : "";
        if (ext.length() > 3) ext = ext.substring(0, 3);
        if (base.isEmpty()) base = "_";
        for (int n = 1; n <= MAX_TAIL; n++) {
            String tail = "~" + n;
            String b = base.length() + tail.length() > 8 ? base.substring(0, 8 - tail.length()) : base;
            byte[] candidate = pad(b + tail, ext);
            if (!taken.contains(new String(candidate, StandardCharsets.ISO_8859_1))) return candidate;
        }
        throw new FatError(Errno.ENOSPC, "every 8.3 alias of '" + longName + "' is taken");
    }

    /** One part of the basis name: spaces and periods dropped, what a short name cannot hold as '_', 8 at most. */
    private static String basisPart(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 8; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '.') continue;
            b.append(shortChar(c) ? c : '_'); // "+,;=[]" and anything outside ASCII
        }
        return b.toString();
    }

    /**
     * The slots that store {@code name} for entry {@code e} in a directory whose short names are
     * {@code taken}: the 8.3 name itself (with DIR_NTRes case bits) when the name is one and free, else a
     * unique alias after the long-name pieces. Sets {@code e}'s name and DIR_NTRes.
     */
    static byte[] slotsFor(String name, DirEntry e, Set<String> taken) throws FatError {
        byte[] exact = exact(name);
        byte[] lfn;
        if (exact != null && !taken.contains(new String(exact, 0, 11, StandardCharsets.ISO_8859_1))) {
            System.arraycopy(exact, 0, e.name, 0, 11);
            e.ntRes = exact[11];
            lfn = new byte[0];
        } else {
            byte[] alias = generate(name, taken);
            System.arraycopy(alias, 0, e.name, 0, 11);
            e.ntRes = 0;
            lfn = LongName.encode(name, LongName.checksum(alias));
        }
        byte[] data = java.util.Arrays.copyOf(lfn, lfn.length + DirEntry.SIZE);
        e.write(data, lfn.length);
        return data;
    }

    /** The key lookups compare: names are case-insensitive (case-preserving) on FAT. */
    static String fold(String name) {
        // unit by unit, as FAT's up-case table maps them (String.toUpperCase would turn "ß" into "SS")
        char[] c = name.toCharArray();
        for (int i = 0; i < c.length; i++) c[i] = Character.toUpperCase(c[i]);
        return new String(c);
    }
}
