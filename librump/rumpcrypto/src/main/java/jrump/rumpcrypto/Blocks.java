package jrump.rumpcrypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Eight bytes at a time over byte arrays: XOR of runs, little-endian longs. */
final class Blocks {
    static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Blocks() {
    }

    /** {@code dst[d..d+len) ^= src[s..s+len)}. */
    static void xor(byte[] dst, int d, byte[] src, int s, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LE.set(dst, d + i, (long) LE.get(dst, d + i) ^ (long) LE.get(src, s + i));
        }
        for (; i < len; i++) dst[d + i] ^= src[s + i];
    }

    /** {@code out[o..o+len) = a[ia..] ^ b[ib..]}. */
    static void xor(byte[] out, int o, byte[] a, int ia, byte[] b, int ib, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LE.set(out, o + i, (long) LE.get(a, ia + i) ^ (long) LE.get(b, ib + i));
        }
        for (; i < len; i++) out[o + i] = (byte) (a[ia + i] ^ b[ib + i]);
    }
}
