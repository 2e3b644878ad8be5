package jrump.rumpvfs.vnode;

import java.nio.ByteBuffer;

/**
 * A block of a device in the {@link BufCache} (the cached side of NetBSD's struct buf): its bytes, and whose
 * it is while busy. A caller that got it from {@code bread} or {@code getblk} has it to itself until it hands
 * it back with {@code brelse}, {@code bwrite} or {@code bdwrite}.
 */
public final class CachedBlock {
    final Vnode devvp;
    final long blkno;
    final byte[] bytes;
    /** B_BUSY: lent to one caller. */
    boolean busy;
    /** B_DELWRI: changed in memory, not yet on the device. */
    boolean dirty;
    /** B_INVAL: the content is not the device's (a getblk'd block not yet filled, or a failed read). */
    boolean invalid;

    CachedBlock(Vnode devvp, long blkno, int size) {
        this.devvp = devvp;
        this.blkno = blkno;
        this.bytes = new byte[size];
    }

    /** The block's bytes, to read or change while the block is busy. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(bytes);
    }

    /** The bytes themselves (the same array every time). */
    public byte[] bytes() {
        return bytes;
    }

    public long blkno() {
        return blkno;
    }

    public int size() {
        return bytes.length;
    }

    public boolean isDirty() {
        return dirty;
    }

    @Override
    public String toString() {
        return "block " + blkno + " (" + bytes.length + " bytes" + (dirty ? ", dirty" : "") + (busy ? ", busy" : "") + ")";
    }
}
