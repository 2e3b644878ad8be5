package jrump.rumpnet.mbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words,
 * over mbuf chains whose nodes may have odd lengths.
 */
public final class InCksum {
    private InCksum() {
    }

    /** Big-endian 8-byte loads from a byte array: four 16-bit words at a time. */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Adds bytes {@code [off, off+n)} of the chain to {@code sum}, as if they started at an even offset.
     * RFC 1071 2 (B), (C): the sum may be taken in larger words and folded later, in any byte order of
     * whole words; eight bytes are loaded at once and added as two 32-bit halves into a 64-bit sum, which
     * cannot overflow before 2^31 loads (far beyond any packet).
     */
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
            long wide = 0;
            for (; i + 7 < end; i += 8) {
                long v = (long) LONG_BE.get(b, i);
                wide += (v >>> 32) + (v & 0xffffffffL);
            }
            sum += (wide >>> 32) + (wide & 0xffffffffL); // 2^32 = 1 (mod 0xffff): fold without losing carries
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
