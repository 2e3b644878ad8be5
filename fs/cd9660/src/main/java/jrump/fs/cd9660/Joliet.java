package jrump.fs.cd9660;

import java.nio.charset.StandardCharsets;

/**
 * Joliet (Microsoft's "Joliet Specification", 1995): a supplementary volume descriptor whose identifiers
 * are UCS-2 big-endian, up to 64 characters (xorriso's -joliet-long allows 103). Decoded as UTF-16BE, so
 * the surrogate pairs some writers put in come out as the characters they mean.
 */
final class Joliet {
    /** The name length the specification allows (§"File and Directory Identifier"). */
    static final int MAX_CHARS = 64;
    /** Escape sequence of UCS-2 level 3 ("%/E"), the one writers use. */
    static final byte[] LEVEL3_ESCAPE = {'%', '/', 'E'};

    private Joliet() {
    }

    static String decode(byte[] b, int off, int len) {
        return new String(b, off, len & ~1, StandardCharsets.UTF_16BE);
    }

    /** A name as a Joliet identifier: at most {@link #MAX_CHARS} UTF-16 units (cut, as mkisofs does). */
    static byte[] encode(String name) {
        String n = name.length() > MAX_CHARS ? name.substring(0, MAX_CHARS) : name;
        if (Character.isHighSurrogate(n.charAt(n.length() - 1))) n = n.substring(0, n.length() - 1);
        return n.getBytes(StandardCharsets.UTF_16BE);
    }
}
