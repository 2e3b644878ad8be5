package jrump.rumpvfs.vnode;

import java.nio.ByteBuffer;

/** A block I/O request (struct buf): device block number, data, and the result. */
public final class Buf {
    public final long blkno;
    public final ByteBuffer data;
    public final boolean read;
    public volatile int error;
    public volatile long resid;

    public Buf(long blkno, ByteBuffer data, boolean read) {
        this.blkno = blkno;
        this.data = data;
        this.read = read;
        this.resid = data.remaining();
    }
}
