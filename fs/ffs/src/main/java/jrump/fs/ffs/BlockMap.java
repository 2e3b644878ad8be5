package jrump.fs.ffs;

import java.nio.ByteBuffer;

/**
 * A file's logical blocks to fragment addresses (NetBSD's ufs_bmap.c): twelve direct pointers, then one,
 * two and three levels of indirect blocks of fs_nindir pointers each (32-bit for UFS1, 64-bit for UFS2);
 * 0 is a hole. One mapper serves one walk over a file and keeps the last indirect block of each level, so a
 * sequential read costs one indirect-block read per fs_nindir blocks. Every pointer is checked against the
 * file system's size before it is used.
 */
final class BlockMap {
    private final Ffs fs;
    private final Superblock sb;
    private final Dinode din;
    private final long ino;
    // the last indirect block read at each depth: its address and its pointers
    private final long[] cachedAddr = {-1, -1, -1};
    private final long[][] cachedPtrs = new long[3][];

    BlockMap(Ffs fs, FfsNode n) {
        this.fs = fs;
        this.sb = fs.sb;
        this.din = n.din;
        this.ino = n.ino;
    }

    /**
     * The path to logical block {@code lbn}: which root pointer (-1 for a direct one, else the level 0-2 of
     * din.ib) and the index at each level below it.
     */
    record Path(int level, int direct, int[] idx) {
    }

    Path path(long lbn) throws FfsError {
        if (lbn < 0) throw FfsError.corrupt("inode " + ino + ": negative block " + lbn);
        if (lbn < Dinode.NDADDR) return new Path(-1, (int) lbn, new int[0]);
        long rest = lbn - Dinode.NDADDR;
        long span = sb.nindir;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            if (rest < span) {
                int[] idx = new int[level + 1];
                long r = rest;
                for (int d = level; d >= 0; d--) {
                    idx[d] = (int) (r % sb.nindir);
                    r /= sb.nindir;
                }
                return new Path(level, -1, idx);
            }
            rest -= span;
            if (span > Long.MAX_VALUE / sb.nindir) break;
            span *= sb.nindir;
        }
        throw new FfsError(jrump.rumpkern.Errno.EFBIG, "inode " + ino + ": block " + lbn + " beyond the triple indirect block");
    }

    /** The fragment address of logical block {@code lbn}, 0 for a hole. */
    long map(long lbn) throws FfsError {
        Path p = path(lbn);
        if (p.level < 0) return check(din.db[p.direct], "direct block " + lbn);
        long addr = check(din.ib[p.level], "indirect block " + p.level);
        for (int d = 0; d < p.idx.length && addr != 0; d++) {
            addr = check(pointers(d, addr)[p.idx[d]], "block " + lbn);
        }
        return addr;
    }

    /** The pointers of the indirect block at {@code addr}, read at depth {@code depth} of a walk. */
    long[] pointers(int depth, long addr) throws FfsError {
        if (cachedAddr[depth] == addr) return cachedPtrs[depth];
        long[] ptrs = readIndirect(fs, addr);
        cachedAddr[depth] = addr;
        cachedPtrs[depth] = ptrs;
        return ptrs;
    }

    /** Forgets the cached indirect blocks (after a change to one of them). */
    void forget() {
        java.util.Arrays.fill(cachedAddr, -1);
    }

    static long[] readIndirect(Ffs fs, long addr) throws FfsError {
        Superblock sb = fs.sb;
        byte[] raw = fs.disk.read(addr * sb.fsize, sb.bsize);
        ByteBuffer b = ByteBuffer.wrap(raw).order(sb.order);
        long[] out = new long[sb.nindir];
        for (int i = 0; i < out.length; i++) out[i] = sb.ufs2 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
        return out;
    }

    /** A block pointer must be 0 or a fragment inside the file system. */
    private long check(long addr, String what) throws FfsError {
        if (addr == 0) return 0;
        if (addr < 0 || addr >= sb.size) {
            throw FfsError.corrupt("inode " + ino + ": " + what + " points at fragment " + addr + ", outside the file system");
        }
        return addr;
    }
}
