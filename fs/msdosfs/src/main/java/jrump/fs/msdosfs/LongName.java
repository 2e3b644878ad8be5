package jrump.fs.msdosfs;

/**
 * VFAT long-name entries (fatgen103 "FAT Long Directory Entries"): up to 255 UTF-16 units in 13-unit
 * pieces, stored in reverse order before the short entry they belong to, each carrying the short name's
 * checksum so that an orphaned piece is recognised.
 */
final class LongName {
    static final int LDIR_ORD = 0;
    static final int LDIR_NAME1 = 1;
    static final int LDIR_ATTR = 11;
    static final int LDIR_TYPE = 12;
    static final int LDIR_CHKSUM = 13;
    static final int LDIR_NAME2 = 14;
    static final int LDIR_FST_CLUS_LO = 26;
    static final int LDIR_NAME3 = 28;
    /** LDIR_Ord of the last (first stored) piece has this bit. */
    static final int LAST_LONG_ENTRY = 0x40;
    static final int CHARS_PER_ENTRY = 13;
    /** fatgen103: a long name is at most 255 characters. */
    static final int MAX_LENGTH = 255;
    /** The UTF-16 unit offsets of the 13 characters within an entry. */
    private static final int[] CHAR_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    private LongName() {
    }

    /** fatgen103 ChkSum: the rotate-right-and-add sum of the 11 short-name bytes. */
    static int checksum(byte[] shortName) {
        int sum = 0;
        for (int i = 0; i < 11; i++) sum = (((sum & 1) << 7) | ((sum & 0xff) >>> 1)) + (shortName[i] & 0xff) & 0xff;
        return sum;
    }

    /** How many entries {@code name} takes. */
    static int entries(String name) {
        return (name.length() + CHARS_PER_ENTRY - 1) / CHARS_PER_ENTRY;
    }

    /** The entries of {@code name} in disk order (the last piece first), {@code entries(name) * 32} bytes. */
    static byte[] encode(String name, int checksum) {
        int n = entries(name);
        byte[] out = new byte[n * DirEntry.SIZE];
        for (int piece = 0; piece < n; piece++) {
            int at = (n - 1 - piece) * DirEntry.SIZE;
            out[at + LDIR_ORD] = (byte) ((piece + 1) | (piece == n - 1 ? LAST_LONG_ENTRY : 0));
            out[at + LDIR_ATTR] = (byte) DirEntry.ATTR_LONG_NAME;
            out[at + LDIR_CHKSUM] = (byte) checksum;
            for (int i = 0; i < CHARS_PER_ENTRY; i++) {
                int idx = piece * CHARS_PER_ENTRY + i;
                // after the name one NUL, then 0xFFFF padding
                int ch = idx < name.length() ? name.charAt(idx) : idx == name.length() ? 0 : 0xFFFF;
                out[at + CHAR_OFFSETS[i]] = (byte) ch;
                out[at + CHAR_OFFSETS[i] + 1] = (byte) (ch >>> 8);
            }
        }
        return out;
    }

    /** The 13 characters of one entry at {@code off}, up to a NUL. */
    static String piece(byte[] b, int off) {
        StringBuilder s = new StringBuilder(CHARS_PER_ENTRY);
        for (int o : CHAR_OFFSETS) {
            char ch = (char) ((b[off + o] & 0xff) | (b[off + o + 1] & 0xff) << 8);
            if (ch == 0) break;
            s.append(ch);
        }
        return s.toString();
    }

    /**
     * Collects the pieces of one long name while a directory is walked in disk order: pieces must come
     * with decreasing ordinals down to 1, all with the same checksum, which must match the short entry.
     */
    static final class Assembler {
        private final String[] pieces = new String[MAX_LENGTH / CHARS_PER_ENTRY + 1];
        private int expected;
        private int count;
        private int checksum = -1;
        private int firstSlot = -1;

        /** A long-name entry at slot {@code slot}; a piece out of sequence restarts the collection. */
        void add(byte[] b, int off, int slot) {
            int ord = b[off + LDIR_ORD] & 0xff;
            int sum = b[off + LDIR_CHKSUM] & 0xff;
            int n = ord & ~LAST_LONG_ENTRY;
            if ((ord & LAST_LONG_ENTRY) != 0) {
                if (n == 0 || n > pieces.length) {
                    reset();
                    return;
                }
                count = n;
                expected = n;
                checksum = sum;
                firstSlot = slot;
            } else if (expected == 0 || n != expected || sum != checksum) {
                reset();
                return;
            }
            pieces[n - 1] = piece(b, off);
            expected = n - 1;
        }

        /** The long name for the short entry {@code shortName} that follows, or null when there is none that fits. */
        String finish(byte[] shortName) {
            try {
                if (count == 0 || expected != 0 || checksum != checksum(shortName)) return null;
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < count; i++) s.append(pieces[i]);
                return s.isEmpty() || s.length() > MAX_LENGTH ? null : s.toString();
            } finally {
                reset();
            }
        }

        /** The slot of the first piece of the name being collected, or -1. */
        int firstSlot() {
            return count == 0 ? -1 : firstSlot;
        }

        void reset() {
            count = 0;
            expected = 0;
            checksum = -1;
            firstSlot = -1;
        }
    }
}
