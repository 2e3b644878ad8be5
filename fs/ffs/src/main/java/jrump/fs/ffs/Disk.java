package jrump.fs.ffs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * The file system's bytes on its device, through the kernel's buffer cache. Every cached buffer is one
 * whole file-system block at a block-aligned address (the last one may be shorter), so no two buffers ever
 * overlap and a change made through one is seen by every later read: fragments, inodes, cylinder groups and
 * the superblock all live inside such blocks.
 */
final class Disk {
    private final BufCache bufs;
    private final Vnode devvp;
    private final int bsize;
    /** Bytes of the file system (fs_size fragments). */
    private final long end;

    Disk(BufCache bufs, Vnode devvp, int bsize, long end) {
        this.bufs = bufs;
        this.devvp = devvp;
        this.bsize = bsize;
        this.end = end;
    }

    long end() {
        return end;
    }

    /** The busy cached block holding byte {@code off}. */
    private CachedBlock block(long off, boolean whole) throws FfsError {
        if (off < 0 || off >= end) throw FfsError.corrupt("a block address past the file system's end (byte " + off + ")");
        long start = off - off % bsize;
        int len = (int) Math.min(bsize, end - start);
        len = (len + BufCache.DEV_BSIZE - 1) & -BufCache.DEV_BSIZE;
        Out<CachedBlock> b = new Out<>();
        int error = whole ? bufs.getblk(devvp, start / BufCache.DEV_BSIZE, len, b) : bufs.bread(devvp, start / BufCache.DEV_BSIZE, len, b);
        if (error != 0) throw new FfsError(error, "reading the block at byte " + start);
        return b.get();
    }

    /** Copies {@code len} bytes at device byte {@code off} into {@code dst} at {@code pos}. */
    void read(long off, byte[] dst, int pos, int len) throws FfsError {
        while (len > 0) {
            CachedBlock b = block(off, false);
            try {
                int within = (int) (off % bsize);
                int n = Math.min(len, b.size() - within);
                System.arraycopy(b.bytes(), within, dst, pos, n);
                off += n;
                pos += n;
                len -= n;
            } finally {
                bufs.brelse(b);
            }
        }
    }

    byte[] read(long off, int len) throws FfsError {
        byte[] out = new byte[len];
        read(off, out, 0, len);
        return out;
    }

    /** Copies {@code len} bytes at device byte {@code off} into {@code dst}. */
    void read(long off, ByteBuffer dst, int len) throws FfsError {
        while (len > 0) {
            CachedBlock b = block(off, false);
            try {
                int within = (int) (off % bsize);
                int n = Math.min(len, b.size() - within);
                dst.put(b.bytes(), within, n);
                off += n;
                len -= n;
            } finally {
                bufs.brelse(b);
            }
        }
    }

    /**
     * Reads {@code len} bytes (a multiple of DEV_BSIZE at a DEV_BSIZE-aligned byte) straight from the device
     * into {@code dst}, past the cache: only for a read-only mount, whose cached blocks are never newer.
     */
    void readDirect(long off, ByteBuffer dst, int len) throws FfsError {
        if (off < 0 || off + len > end) throw FfsError.corrupt("a block address past the file system's end (byte " + off + ")");
        Buf io = new Buf(off / BufCache.DEV_BSIZE, dst.slice(dst.position(), len), true);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number();
        if (error != 0) throw new FfsError(error, "reading " + len + " bytes at byte " + off);
        dst.position(dst.position() + len);
    }

    /** Writes {@code len} bytes of {@code src} at device byte {@code off} (delayed: the buffer cache writes it later). */
    void write(long off, byte[] src, int pos, int len) throws FfsError {
        while (len > 0) {
            int within = (int) (off % bsize);
            CachedBlock probe = null;
            boolean whole = within == 0 && len >= bsize && off + bsize <= end;
            probe = block(off, whole);
            int n = Math.min(len, probe.size() - within);
            System.arraycopy(src, pos, probe.bytes(), within, n);
            bufs.bdwrite(probe);
            off += n;
            pos += n;
            len -= n;
        }
    }

    void write(long off, ByteBuffer src, int len) throws FfsError {
        byte[] tmp = new byte[len];
        src.get(tmp);
        write(off, tmp, 0, len);
    }

    /**
     * Writes {@code len} bytes of {@code src} (whole file-system blocks at a block boundary) straight to the
     * device, past the cache: for blocks just allocated, whose cached copies (of what they held before they
     * were freed) are dropped first so that none is written over this data later.
     */
    void writeDirect(long off, ByteBuffer src, int len) throws FfsError {
        if (off < 0 || off % bsize != 0 || len % bsize != 0 || off + len > end) throw new IllegalArgumentException("direct write at " + off + "+" + len);
        for (long at = off; at < off + len; at += bsize) bufs.discard(devvp, at / BufCache.DEV_BSIZE);
        Buf io = new Buf(off / BufCache.DEV_BSIZE, src.slice(src.position(), len), false);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number();
        if (error != 0) throw new FfsError(error, "writing " + len + " bytes at byte " + off);
        src.position(src.position() + len);
    }

    /** Zeroes {@code len} bytes at {@code off}. */
    void zero(long off, int len) throws FfsError {
        write(off, new byte[len], 0, len);
    }

    /** Writes every delayed block of the device; the first error. */
    int flush() {
        return bufs.flush(devvp);
    }

    /** Unmount: writes (or forgets, for a read-only mount) the device's blocks. */
    int invalidate(boolean discard) {
        return bufs.invalidate(devvp, discard);
    }
}
