package jrump.rumpnet.mbuf;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words,
 * over mbuf chains whose nodes may have odd lengths.
 */
public final class InCksum {
    private InCksum() {
    }

    /** Adds bytes {@code [off, off+n)} of the chain to {@code sum}, as if they started at an even offset. */
    public static long add(long sum, Mbuf m, int off, int n) {
        boolean odd = false; // the next byte is the low half of a word
        while (m != null && off >= m.len) {
            off -= m.len;
            m = m.next;
        }
        while (n > 0 && m != null) {
            int k = Math.min(n, m.len - off);
            byte[] b = m.buf;
            int i = m.off + off;
            int end = i + k;
            if (odd && i < end) {
                sum += b[i++] & 0xff;
                odd = false;
            }
            for (; i + 1 < end; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            if (i < end) {
                sum += (b[i] & 0xff) << 8;
                odd = true;
            }
            n -= k;
            off = 0;
            m = m.next;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /** The checksum of bytes {@code [off, off+n)} of a chain. */
    public static int of(Mbuf m, int off, int n) {
        return fold(add(0, m, off, n));
    }
}
