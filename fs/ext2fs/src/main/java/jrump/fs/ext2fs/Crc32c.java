package jrump.fs.ext2fs;

/**
 * CRC32C (Castagnoli) as ext4's metadata checksums use it: a raw update from a caller's seed, with no
 * inversion before or after (Linux's crc32c_le). {@code java.util.zip.CRC32C} always starts from ~0 and
 * inverts its result, so it cannot continue from a per-file-system or per-inode seed.
 */
final class Crc32c {
    /** The reflected Castagnoli polynomial. */
    private static final int POLY = 0x82F63B78;
    private static final int[][] TABLE = new int[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c >>> 1) ^ ((c & 1) != 0 ? POLY : 0);
            TABLE[0][i] = c;
        }
        // slicing by eight: TABLE[k][i] is the CRC of byte i followed by k zero bytes
        for (int i = 0; i < 256; i++) {
            for (int k = 1; k < 8; k++) TABLE[k][i] = (TABLE[k - 1][i] >>> 8) ^ TABLE[0][TABLE[k - 1][i] & 0xff];
        }
    }

    private Crc32c() {
    }

    static int update(int crc, byte[] b, int off, int len) {
        int c = crc;
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            int lo = c ^ ((b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24);
            c = TABLE[7][lo & 0xff] ^ TABLE[6][(lo >>> 8) & 0xff] ^ TABLE[5][(lo >>> 16) & 0xff] ^ TABLE[4][lo >>> 24]
                    ^ TABLE[3][b[i + 4] & 0xff] ^ TABLE[2][b[i + 5] & 0xff] ^ TABLE[1][b[i + 6] & 0xff] ^ TABLE[0][b[i + 7] & 0xff];
            i += 8;
        }
        while (i < end) c = (c >>> 8) ^ TABLE[0][(c ^ b[i++]) & 0xff];
        return c;
    }

    /** The CRC of a little-endian 32-bit value (an inode number, a generation). */
    static int updateInt(int crc, int value) {
        byte[] b = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return update(crc, b, 0, 4);
    }
}
