package jrump.rumpvfs.vnode;

import java.nio.ByteBuffer;

/**
 * A transfer between the kernel and a caller's memory (struct uio): the buffer's remaining bytes are
 * {@code uio_resid}, {@code offset} is {@code uio_offset}. Reads put into the buffer, writes take from it.
 */
public final class Uio {
    public enum Rw { READ, WRITE }

    private final ByteBuffer buf;
    private final Rw rw;
    private long offset;

    public Uio(ByteBuffer buf, long offset, Rw rw) {
        this.buf = buf;
        this.offset = offset;
        this.rw = rw;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public Rw rw() {
        return rw;
    }

    public long offset() {
        return offset;
    }

    /** Moves the offset without moving data (readdir's cookie, an append's end of file). */
    public void setOffset(long off) {
        offset = off;
    }

    public long resid() {
        return buf.remaining();
    }

    /** uiomove: moves up to {@code len} bytes between {@code data[pos..]} and the caller; returns the count. */
    public int move(byte[] data, int pos, int len) {
        int n = (int) Math.min(len, resid());
        if (rw == Rw.READ) buf.put(data, pos, n);
        else buf.get(data, pos, n);
        offset += n;
        return n;
    }
}
