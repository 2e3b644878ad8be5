package jrump.netchan;

import java.nio.ByteBuffer;
import java.util.Objects;

/** Scatter/gather argument checks as the JDK's channels make them. */
final class Bufs {
    private Bufs() {
    }

    static ByteBuffer[] subArray(ByteBuffer[] bufs, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bufs.length);
        ByteBuffer[] out = new ByteBuffer[length];
        for (int i = 0; i < length; i++) out[i] = Objects.requireNonNull(bufs[offset + i]);
        return out;
    }

    /** The buffers a read fills: a read-only one is IllegalArgumentException, as the JDK's channels say. */
    static ByteBuffer[] writable(ByteBuffer[] bufs, int offset, int length) {
        ByteBuffer[] out = subArray(bufs, offset, length);
        for (ByteBuffer b : out) {
            if (b.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        }
        return out;
    }

    static long remaining(ByteBuffer[] bufs) {
        long n = 0;
        for (ByteBuffer b : bufs) n += b.remaining();
        return n;
    }
}
