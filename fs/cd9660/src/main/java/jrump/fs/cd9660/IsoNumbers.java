package jrump.fs.cd9660;

/**
 * ECMA-119 §7 numerical values, named as NetBSD's isonum_7xx: 7.1.1 (711, unsigned byte), 7.2.3 (723,
 * 16-bit both-byte orders), 7.3.1 (731, 32-bit little-endian), 7.3.2 (732, 32-bit big-endian) and 7.3.3
 * (733, 32-bit both-byte orders). Both-order fields are read from their little-endian half, as NetBSD
 * does: writers that get the big-endian half wrong are common, the other way round is not. Writers put
 * both halves.
 */
final class IsoNumbers {
    private IsoNumbers() {
    }

    static int n711(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int n721(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static int n723(byte[] b, int off) {
        return n721(b, off);
    }

    static long n731(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    static long n732(byte[] b, int off) {
        return (b[off + 3] & 0xffL) | (b[off + 2] & 0xffL) << 8 | (b[off + 1] & 0xffL) << 16 | (b[off] & 0xffL) << 24;
    }

    static long n733(byte[] b, int off) {
        return n731(b, off);
    }

    static void put721(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put722(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put723(byte[] b, int off, int v) {
        put721(b, off, v);
        put722(b, off + 2, v);
    }

    static void put731(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    static void put732(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + 3 - i] = (byte) (v >>> (8 * i));
    }

    static void put733(byte[] b, int off, long v) {
        put731(b, off, v);
        put732(b, off + 4, v);
    }
}
