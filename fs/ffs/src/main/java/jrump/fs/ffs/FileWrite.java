package jrump.fs.ffs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;

/**
 * Changing a file's blocks (NetBSD's ffs_balloc.c, ffs_write, ffs_truncate): allocating logical blocks
 * with their indirect blocks, growing a fragment tail in place or moving it, writing bytes, and freeing
 * what a truncation leaves beyond the end. The rule FFS keeps: only a file's last block, and only while it
 * is one of the twelve direct blocks, may be a run of fragments (blksize()); every other block is whole.
 *
 * <p>Locking: under the mount's fsLock, with the file's vnode locked.
 */
final class FileWrite {
    private final Ffs fs;
    private final Superblock sb;
    private final Alloc alloc;
    private final int ptrSize;

    FileWrite(Ffs fs, Alloc alloc) {
        this.fs = fs;
        this.sb = fs.sb;
        this.alloc = alloc;
        this.ptrSize = sb.ufs2 ? 8 : 4;
    }

    private void addBlocks(Dinode d, int frags) {
        d.blocks += (long) frags * (sb.fsize / 512);
    }

    /** Writes {@code src}'s remaining bytes at {@code off}, growing the file; the file's new size. */
    void write(FfsNode n, long off, ByteBuffer src) throws FfsError {
        Dinode d = n.din;
        long end = off + src.remaining();
        if (off < 0 || end > sb.maxFileSize() || end < off) throw new FfsError(Errno.EFBIG, "file too large");
        BlockMap map = new BlockMap(fs, n);
        // whole new blocks lying one after another on the disk go out together, past the cache
        long runAddr = -1;
        int runLen = 0;
        long left = src.remaining(); // the bytes not yet given a block (a pending run is still in src)
        try {
            while (left > 0) {
                long lbn = off >> sb.bshift;
                int within = (int) (off & (sb.bsize - 1));
                int len = (int) Math.min(sb.bsize - within, left);
                long blockEnd = Math.max(d.size, off + len);
                boolean[] fresh = {false};
                long addr = balloc(n, map, lbn, blockEnd, fresh);
                int have = sb.blksize(Math.max(d.size, blockEnd), lbn);
                if (fresh[0] && within == 0 && len == sb.bsize) {
                    if (runLen > 0 && (addr != runAddr + (long) runLen / sb.fsize || runLen >= DIRECT_RUN)) {
                        fs.disk.writeDirect(runAddr * sb.fsize, src, runLen);
                        runLen = 0;
                    }
                    if (runLen == 0) runAddr = addr;
                    runLen += len;
                } else {
                    if (runLen > 0) {
                        fs.disk.writeDirect(runAddr * sb.fsize, src, runLen);
                        runLen = 0;
                    }
                    if (fresh[0] && (within != 0 || len != have)) fs.disk.zero(addr * sb.fsize, have);
                    byte[] tmp = new byte[len];
                    src.get(tmp);
                    fs.disk.write(addr * sb.fsize + within, tmp, 0, len);
                }
                off += len;
                left -= len;
                if (off > d.size) d.size = off;
            }
        } finally {
            // what was allocated and sized is written, also when a later block could not be had
            if (runLen > 0) fs.disk.writeDirect(runAddr * sb.fsize, src, runLen);
        }
    }

    /** The most bytes one direct write carries. */
    private static final int DIRECT_RUN = 1 << 20;

    /**
     * ffs_balloc: block {@code lbn} allocated for a file whose size becomes {@code newSize} (at least), the
     * fragment tail before it grown to a whole block first. Returns its fragment address; {@code fresh[0]}
     * says its bytes are new (not yet written).
     */
    long balloc(FfsNode n, BlockMap map, long lbn, long newSize, boolean[] fresh) throws FfsError {
        Dinode d = n.din;
        long lastLbn = d.size == 0 ? -1 : (d.size - 1) >> sb.bshift;
        // a fragment tail that stops being the last block becomes whole (ffs_balloc's first step)
        if (lastLbn >= 0 && lastLbn < lbn && lastLbn < Dinode.NDADDR && d.db[(int) lastLbn] != 0) {
            int osize = sb.blksize(d.size, lastLbn);
            if (osize < sb.bsize) {
                d.db[(int) lastLbn] = grow(n, lastLbn, d.db[(int) lastLbn], osize, sb.bsize);
                // the grown part is zeros: the size covers the whole block so that blksize() says whole from here on
                d.size = (lastLbn + 1) << sb.bshift;
            }
        }
        if (lbn < Dinode.NDADDR) {
            int i = (int) lbn;
            int want = sb.blksize(Math.max(d.size, newSize), lbn);
            long addr = d.db[i];
            if (addr == 0) {
                long prev = i > 0 ? d.db[i - 1] : 0;
                addr = alloc.allocFrags(alloc.blockPref(n, lbn, prev), sb.inoToCg(n.ino), sb.numfrags(want));
                addBlocks(d, sb.numfrags(want));
                d.db[i] = addr;
                fresh[0] = true;
                return addr;
            }
            int osize = lastLbn == lbn ? sb.blksize(d.size, lbn) : sb.bsize;
            if (osize < want) {
                addr = grow(n, lbn, addr, osize, want);
                d.db[i] = addr;
            }
            return addr;
        }
        BlockMap.Path p = map.path(lbn);
        long top = d.ib[p.level()];
        if (top == 0) {
            top = newIndirect(n, lbn, d.ib[p.level()] == 0 && p.level() == 0 ? d.db[Dinode.NDADDR - 1] : 0);
            d.ib[p.level()] = top;
        }
        long parent = top;
        int[] idx = p.idx();
        for (int depth = 0; depth < idx.length; depth++) {
            long[] ptrs = map.pointers(depth, parent);
            long child = ptrs[idx[depth]];
            boolean leaf = depth == idx.length - 1;
            if (child == 0) {
                long prev = idx[depth] > 0 ? ptrs[idx[depth] - 1] : parent;
                if (leaf) {
                    child = alloc.allocFrags(alloc.blockPref(n, lbn, prev), sb.inoToCg(n.ino), sb.frag);
                    addBlocks(d, sb.frag);
                    fresh[0] = true;
                } else {
                    child = newIndirect(n, lbn, prev);
                }
                setPointer(parent, idx[depth], child);
                ptrs[idx[depth]] = child;
            } else if (child >= sb.size) {
                throw FfsError.corrupt("inode " + n.ino + ": block " + lbn + " points outside the file system");
            }
            parent = child;
        }
        return parent;
    }

    /** A zeroed indirect block for {@code lbn}'s path, placed near {@code prev}. */
    private long newIndirect(FfsNode n, long lbn, long prev) throws FfsError {
        long addr = alloc.allocFrags(prev > 0 ? prev + sb.frag : alloc.blockPref(n, lbn, 0), sb.inoToCg(n.ino), sb.frag);
        addBlocks(n.din, sb.frag);
        fs.disk.zero(addr * sb.fsize, sb.bsize);
        return addr;
    }

    private void setPointer(long block, int idx, long value) throws FfsError {
        ByteBuffer b = ByteBuffer.allocate(ptrSize).order(sb.order);
        if (sb.ufs2) b.putLong(value);
        else b.putInt((int) value);
        fs.disk.write(block * sb.fsize + (long) idx * ptrSize, b.array(), 0, ptrSize);
    }

    /** ffs_realloccg: a run of {@code osize} bytes grown to {@code nsize}: in place if it can, else moved (data copied, old run freed). */
    private long grow(FfsNode n, long lbn, long addr, int osize, int nsize) throws FfsError {
        int ofr = sb.numfrags(osize);
        int nfr = sb.numfrags(nsize);
        if (alloc.extend(addr, ofr, nfr)) {
            fs.disk.zero(addr * sb.fsize + osize, nsize - osize);
            addBlocks(n.din, nfr - ofr);
            return addr;
        }
        long pref = lbn > 0 ? n.din.db[(int) lbn - 1] : 0;
        long moved = alloc.allocFrags(pref > 0 ? pref + sb.frag : alloc.blockPref(n, lbn, 0), sb.inoToCg(n.ino), nfr);
        byte[] data = fs.disk.read(addr * sb.fsize, osize);
        fs.disk.write(moved * sb.fsize, data, 0, osize);
        fs.disk.zero(moved * sb.fsize + osize, nsize - osize);
        alloc.free(addr, ofr);
        addBlocks(n.din, nfr - ofr);
        return moved;
    }

    // --- truncation -----------------------------------------------------------------------------

    /**
     * ffs_truncate: the file becomes {@code length} bytes. Shrinking frees every block past the end (and the
     * fragments past the new tail); growing allocates the block of the last byte (zeroed), as NetBSD does.
     */
    void truncate(FfsNode n, long length) throws FfsError {
        Dinode d = n.din;
        if (length < 0 || length > sb.maxFileSize()) throw new FfsError(Errno.EFBIG, "file too large");
        if (length == d.size) return;
        if (length > d.size) {
            long lbn = (length - 1) >> sb.bshift;
            boolean[] fresh = {false};
            BlockMap map = new BlockMap(fs, n);
            long addr = balloc(n, map, lbn, length, fresh);
            long oldSize = d.size;
            d.size = length;
            int have = sb.blksize(length, lbn);
            if (fresh[0]) fs.disk.zero(addr * sb.fsize, have);
            else if (oldSize > lbn << sb.bshift) {
                // bytes between the old end and the new one inside this block read as zeros
                int from = (int) (oldSize - (lbn << sb.bshift));
                fs.disk.zero(addr * sb.fsize + from, have - from);
            }
            return;
        }
        long keep = (length + sb.bsize - 1) >> sb.bshift; // blocks [0, keep) stay
        // the new last block: its tail past the end zeroed, a direct one cut down to the fragments it needs
        if (length > 0) {
            long last = keep - 1;
            BlockMap map = new BlockMap(fs, n);
            long addr = map.map(last);
            if (addr != 0) {
                int oldHave = last < Dinode.NDADDR ? sb.blksize(d.size, last) : sb.bsize;
                int newHave = sb.blksize(length, last);
                int within = (int) (length - (last << sb.bshift));
                if (last < Dinode.NDADDR && newHave < oldHave) {
                    alloc.free(addr + sb.numfrags(newHave), sb.numfrags(oldHave - newHave));
                    addBlocks(d, -sb.numfrags(oldHave - newHave));
                }
                if (within < newHave) fs.disk.zero(addr * sb.fsize + within, newHave - within);
            }
        }
        for (long lbn = keep; lbn < Dinode.NDADDR; lbn++) {
            int i = (int) lbn;
            if (d.db[i] == 0) continue;
            int have = sb.blksize(d.size, lbn);
            alloc.free(d.db[i], sb.numfrags(have));
            addBlocks(d, -sb.numfrags(have));
            d.db[i] = 0;
        }
        long first = Dinode.NDADDR;
        long span = sb.nindir;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            if (d.ib[level] != 0 && keep < first + span) {
                if (freeTree(n, d.ib[level], level, first, keep)) {
                    alloc.free(d.ib[level], sb.frag);
                    addBlocks(d, -sb.frag);
                    d.ib[level] = 0;
                }
            }
            first += span;
            if (span > Long.MAX_VALUE / sb.nindir) break;
            span *= sb.nindir;
        }
        d.size = length;
    }

    /**
     * Frees the blocks at and past logical block {@code keep} under the indirect block {@code addr} (of
     * {@code level} levels below it, covering blocks from {@code first}); true when nothing under it stays.
     */
    private boolean freeTree(FfsNode n, long addr, int level, long first, long keep) throws FfsError {
        if (addr <= 0 || addr >= sb.size) throw FfsError.corrupt("inode " + n.ino + ": indirect block " + addr + " outside the file system");
        long[] ptrs = BlockMap.readIndirect(fs, addr);
        long per = 1;
        for (int i = 0; i < level; i++) per *= sb.nindir;
        boolean empty = true;
        for (int i = 0; i < ptrs.length; i++) {
            long from = first + i * per;
            if (ptrs[i] == 0) continue;
            if (from + per <= keep) {
                empty = false;
                continue;
            }
            boolean gone;
            if (level == 0) {
                alloc.free(ptrs[i], sb.frag);
                addBlocks(n.din, -sb.frag);
                gone = true;
            } else {
                gone = freeTree(n, ptrs[i], level - 1, from, keep);
                if (gone) {
                    alloc.free(ptrs[i], sb.frag);
                    addBlocks(n.din, -sb.frag);
                }
            }
            if (gone) {
                setPointer(addr, i, 0);
            } else {
                empty = false;
            }
        }
        return empty;
    }
}
