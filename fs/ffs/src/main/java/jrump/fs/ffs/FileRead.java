package jrump.fs.ffs;

import java.nio.ByteBuffer;

import jrump.rumpvfs.vnode.BufCache;

/**
 * Reading a file's bytes (NetBSD's ffs_read): block by block through the {@link BlockMap}, holes as zeros.
 * On a read-only mount, runs of physically contiguous whole blocks go from the device straight into the
 * caller's buffer; otherwise every byte comes through the buffer cache, which holds what writes left there.
 */
final class FileRead {
    /** Runs of at least this many bytes go to the device directly (read-only mounts). */
    static final int DIRECT_READ = 64 << 10;

    private FileRead() {
    }

    /** Reads from {@code off} into {@code dst} up to the file's end; returns the new offset. */
    static long read(Ffs fs, FfsNode n, long off, ByteBuffer dst) throws FfsError {
        Superblock sb = fs.sb;
        long size = n.din.size;
        BlockMap map = new BlockMap(fs, n);
        boolean direct = fs.readOnly();
        while (dst.hasRemaining() && off < size) {
            long lbn = off >> sb.bshift;
            int within = (int) (off & (sb.bsize - 1));
            int bsz = sb.blksize(size, lbn);
            int len = (int) Math.min(Math.min(bsz - within, size - off), dst.remaining());
            if (len <= 0) throw FfsError.corrupt("inode " + n.ino + ": block " + lbn + " shorter than its data");
            long addr = map.map(lbn);
            if (addr == 0) {
                for (int i = 0; i < len; i++) dst.put((byte) 0);
                off += len;
                continue;
            }
            long phys = addr * sb.fsize + within;
            if (direct && within == 0 && dst.remaining() >= DIRECT_READ && len == sb.bsize) {
                // extend over the following blocks while they lie right after this one on the disk
                long run = len;
                long next = lbn + 1;
                while (run + sb.bsize <= dst.remaining() && off + run + sb.bsize <= size && run < (8L << 20)
                        && sb.blksize(size, next) == sb.bsize && map.map(next) == addr + (run >> sb.fshift)) {
                    run += sb.bsize;
                    next++;
                }
                int r = (int) run;
                if (r >= DIRECT_READ) {
                    fs.disk.readDirect(phys, dst, r - r % BufCache.DEV_BSIZE);
                    off += r - r % BufCache.DEV_BSIZE;
                    continue;
                }
            }
            fs.disk.read(phys, dst, len);
            off += len;
        }
        return off;
    }

    /** {@code len} bytes of the file at {@code off} (inside its size), holes as zeros. */
    static byte[] bytes(Ffs fs, FfsNode n, long off, int len) throws FfsError {
        ByteBuffer b = ByteBuffer.allocate(len);
        read(fs, n, off, b);
        if (b.hasRemaining()) throw FfsError.corrupt("inode " + n.ino + ": " + len + " bytes at " + off + " past its end");
        return b.array();
    }
}
