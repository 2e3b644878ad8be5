package jrump.fs.ext2fs;

import java.nio.charset.StandardCharsets;

/**
 * The name hashes of htree directories (directory.rst, "Hash Tree Directories"; e2fsprogs' dirhash.c):
 * legacy, half-MD4 and TEA, each over signed or unsigned characters as the superblock's flags say, seeded
 * with s_hash_seed. The low bit of a hash is the index's "continued" mark, so hashes are even.
 */
final class DirHash {
    static final int LEGACY = 0;
    static final int HALF_MD4 = 1;
    static final int TEA = 2;
    /** The unsigned variants are the signed ones plus this. */
    static final int UNSIGNED = 3;
    /** s_flags: which character signedness the hashes of this file system use. */
    static final int FLAGS_SIGNED_HASH = 0x1;
    static final int FLAGS_UNSIGNED_HASH = 0x2;

    private static final int K2 = 013240474631;
    private static final int K3 = 015666365641;
    private static final int TEA_DELTA = 0x9E3779B9;

    private DirHash() {
    }

    /** The version a directory's root names, adjusted for the file system's signedness. */
    static int version(Superblock sb, int rootVersion) {
        if (rootVersion <= TEA && (sb.flags & FLAGS_UNSIGNED_HASH) != 0) return rootVersion + UNSIGNED;
        return rootVersion;
    }

    /** The (major) hash of {@code name}, even. */
    static int hash(String name, int version, int[] seed) {
        byte[] msg = name.getBytes(StandardCharsets.UTF_8);
        boolean unsigned = version >= UNSIGNED;
        int base = unsigned ? version - UNSIGNED : version;
        int[] buf = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
        if (seed != null && (seed[0] | seed[1] | seed[2] | seed[3]) != 0) System.arraycopy(seed, 0, buf, 0, 4);
        int h;
        switch (base) {
            case LEGACY -> h = legacy(msg, unsigned);
            case HALF_MD4 -> {
                int[] in = new int[8];
                for (int p = 0, len = msg.length; len > 0; p += 32, len -= 32) {
                    toWords(msg, p, len, in, 8, unsigned);
                    halfMd4(buf, in);
                }
                h = buf[1];
            }
            case TEA -> {
                int[] in = new int[4];
                for (int p = 0, len = msg.length; len > 0; p += 16, len -= 16) {
                    toWords(msg, p, len, in, 4, unsigned);
                    tea(buf, in);
                }
                h = buf[0];
            }
            default -> throw new IllegalArgumentException("hash version " + version);
        }
        return h & ~1;
    }

    private static int legacy(byte[] msg, boolean unsigned) {
        int hash0 = 0x12a3fe2d;
        int hash1 = 0x37abe8f9;
        for (byte b : msg) {
            int c = unsigned ? b & 0xff : b;
            int hash = hash1 + (hash0 ^ (c * 7152373));
            if ((hash & 0x80000000) != 0) hash -= 0x7fffffff;
            hash1 = hash0;
            hash0 = hash;
        }
        return hash0 << 1;
    }

    /** str2hashbuf: {@code num} words of the message from {@code off}, padded with its length. */
    private static void toWords(byte[] msg, int off, int len, int[] out, int num, boolean unsigned) {
        int pad = len | (len << 8);
        pad |= pad << 16;
        int val = pad;
        int n = Math.min(len, num * 4);
        int w = 0;
        for (int i = 0; i < n; i++) {
            int c = unsigned ? msg[off + i] & 0xff : msg[off + i];
            val = c + (val << 8);
            if (i % 4 == 3) {
                out[w++] = val;
                val = pad;
            }
        }
        if (w < num) out[w++] = val;
        while (w < num) out[w++] = pad;
    }

    private static int rotl(int x, int s) {
        return (x << s) | (x >>> (32 - s));
    }

    private static int f(int x, int y, int z) {
        return z ^ (x & (y ^ z));
    }

    private static int g(int x, int y, int z) {
        return (x & y) + ((x ^ y) & z);
    }

    private static int h(int x, int y, int z) {
        return x ^ y ^ z;
    }

    /** halfMD4Transform: three rounds of MD4 over eight words. */
    private static void halfMd4(int[] buf, int[] in) {
        int a = buf[0];
        int b = buf[1];
        int c = buf[2];
        int d = buf[3];
        a = rotl(a + f(b, c, d) + in[0], 3);
        d = rotl(d + f(a, b, c) + in[1], 7);
        c = rotl(c + f(d, a, b) + in[2], 11);
        b = rotl(b + f(c, d, a) + in[3], 19);
        a = rotl(a + f(b, c, d) + in[4], 3);
        d = rotl(d + f(a, b, c) + in[5], 7);
        c = rotl(c + f(d, a, b) + in[6], 11);
        b = rotl(b + f(c, d, a) + in[7], 19);

        a = rotl(a + g(b, c, d) + in[1] + K2, 3);
        d = rotl(d + g(a, b, c) + in[3] + K2, 5);
        c = rotl(c + g(d, a, b) + in[5] + K2, 9);
        b = rotl(b + g(c, d, a) + in[7] + K2, 13);
        a = rotl(a + g(b, c, d) + in[0] + K2, 3);
        d = rotl(d + g(a, b, c) + in[2] + K2, 5);
        c = rotl(c + g(d, a, b) + in[4] + K2, 9);
        b = rotl(b + g(c, d, a) + in[6] + K2, 13);

        a = rotl(a + h(b, c, d) + in[3] + K3, 3);
        d = rotl(d + h(a, b, c) + in[7] + K3, 9);
        c = rotl(c + h(d, a, b) + in[2] + K3, 11);
        b = rotl(b + h(c, d, a) + in[6] + K3, 15);
        a = rotl(a + h(b, c, d) + in[1] + K3, 3);
        d = rotl(d + h(a, b, c) + in[5] + K3, 9);
        c = rotl(c + h(d, a, b) + in[0] + K3, 11);
        b = rotl(b + h(c, d, a) + in[4] + K3, 15);

        buf[0] += a;
        buf[1] += b;
        buf[2] += c;
        buf[3] += d;
    }

    private static void tea(int[] buf, int[] in) {
        int sum = 0;
        int b0 = buf[0];
        int b1 = buf[1];
        int a = in[0];
        int b = in[1];
        int c = in[2];
        int d = in[3];
        for (int n = 0; n < 16; n++) {
            sum += TEA_DELTA;
            b0 += ((b1 << 4) + a) ^ (b1 + sum) ^ ((b1 >>> 5) + b);
            b1 += ((b0 << 4) + c) ^ (b0 + sum) ^ ((b0 >>> 5) + d);
        }
        buf[0] += b0;
        buf[1] += b1;
    }
}
