package jrump.fs.ffs;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;

/**
 * UFS2's extended attribute area (FreeBSD's ffs_extread, ffs_extwrite, ffs_balloc and ffs_truncate with
 * IO_EXT): a small file of di_extsize bytes in at most {@link Dinode#NXADDR} blocks (di_extb), the last of
 * which may be a run of fragments like a small file's tail. Its fragments count in di_blocks. The area is
 * always read and written whole: it is at most two blocks.
 *
 * <p>Locking: reading needs the vnode lock; {@link #write} and {@link #free} also the mount's fsLock.
 */
final class ExtArea {
    private ExtArea() {
    }

    /** lblktosize(fs, UFS_NXADDR): the largest area. */
    static int maxSize(Superblock sb) {
        return Dinode.NXADDR * sb.bsize;
    }

    /** The bytes ext block {@code lbn} holds for an area of {@code size} bytes (0: no block). */
    static int blockSize(Superblock sb, long size, int lbn) {
        if ((long) lbn << sb.bshift >= size) return 0;
        return sb.blksize(size, lbn);
    }

    /** Fragments an area of {@code size} bytes holds (a damaged size counts as the largest area). */
    static int frags(Superblock sb, long size) {
        long s = Math.max(0, Math.min(size, maxSize(sb)));
        int n = 0;
        for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) n += sb.numfrags(blockSize(sb, s, lbn));
        return n;
    }

    /** di_blocks' share (DEV_BSIZE units) of the attribute area: 0 on UFS1. */
    static long sectors(Superblock sb, Dinode d) {
        return d.ufs2 ? (long) frags(sb, d.extsize) * (sb.fsize / 512) : 0;
    }

    /** The area's bytes; EIO when di_extsize or a block address is impossible. */
    static byte[] read(Ffs fs, FfsNode n) throws FfsError {
        Superblock sb = fs.sb;
        Dinode d = n.din;
        int size = d.extsize;
        if (size < 0 || size > maxSize(sb)) {
            throw FfsError.corrupt("inode " + n.ino + ": extended attribute area of " + Integer.toUnsignedString(size)
                    + " bytes, more than " + Dinode.NXADDR + " blocks");
        }
        byte[] out = new byte[size];
        for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) {
            int bs = blockSize(sb, size, lbn);
            if (bs == 0) break;
            long addr = checked(sb, n, lbn, bs);
            int at = lbn << sb.bshift;
            fs.disk.read(addr * sb.fsize, out, at, Math.min(bs, size - at));
        }
        return out;
    }

    /** The address of ext block {@code lbn} of {@code bs} bytes, checked to lie inside one block of the file system. */
    private static long checked(Superblock sb, FfsNode n, int lbn, int bs) throws FfsError {
        long addr = n.din.extb[lbn];
        int nfr = sb.numfrags(bs);
        if (addr <= 0 || addr + nfr > sb.size || addr % sb.frag + nfr > sb.frag) {
            throw FfsError.corrupt("inode " + n.ino + ": extended attribute block " + lbn + " at fragment " + addr + ", outside the file system");
        }
        return addr;
    }

    /**
     * Makes the area hold exactly {@code bytes}: blocks grown (in place when the next fragments are free),
     * allocated near the inode, shrunk or freed; di_blocks and di_extsize follow. All allocations come
     * before any freeing, so ENOSPC leaves the area as it was. The caller writes the inode.
     */
    static void write(Ffs fs, Alloc alloc, FfsNode n, byte[] bytes) throws FfsError {
        Superblock sb = fs.sb;
        Dinode d = n.din;
        if (bytes.length > maxSize(sb)) throw new FfsError(Errno.ENOSPC, "extended attributes of " + bytes.length + " bytes");
        int old = d.extsize;
        if (old < 0 || old > maxSize(sb)) throw FfsError.corrupt("inode " + n.ino + ": extended attribute area of " + old + " bytes");
        long[] addrs = d.extb.clone();
        List<long[]> taken = new ArrayList<>(); // runs got here: given back if a later one cannot be had
        List<long[]> release = new ArrayList<>(); // runs to free once everything is had
        try {
            for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) {
                int ofr = sb.numfrags(blockSize(sb, old, lbn));
                int nfr = sb.numfrags(blockSize(sb, bytes.length, lbn));
                long addr = ofr > 0 ? checked(sb, n, lbn, ofr * sb.fsize) : 0;
                if (nfr == 0) {
                    if (ofr > 0) release.add(new long[] {addr, ofr});
                    addr = 0;
                } else if (ofr == 0) {
                    addr = alloc.allocFrags(alloc.blockPref(n, lbn, lbn > 0 ? addrs[lbn - 1] : 0), sb.inoToCg(n.ino), nfr);
                    taken.add(new long[] {addr, nfr});
                } else if (nfr < ofr) {
                    release.add(new long[] {addr + nfr, ofr - nfr});
                } else if (nfr > ofr) {
                    if (alloc.extend(addr, ofr, nfr)) {
                        taken.add(new long[] {addr + ofr, nfr - ofr});
                    } else {
                        long moved = alloc.allocFrags(alloc.blockPref(n, lbn, lbn > 0 ? addrs[lbn - 1] : 0), sb.inoToCg(n.ino), nfr);
                        taken.add(new long[] {moved, nfr});
                        release.add(new long[] {addr, ofr});
                        addr = moved;
                    }
                }
                addrs[lbn] = addr;
            }
        } catch (FfsError e) {
            for (long[] r : taken) alloc.free(r[0], (int) r[1]);
            throw e;
        }
        for (long[] r : release) alloc.free(r[0], (int) r[1]);
        // the new contents, each block's last fragment zero-filled after the data
        for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) {
            int bs = blockSize(sb, bytes.length, lbn);
            if (bs == 0) continue;
            byte[] blk = new byte[bs];
            int at = lbn << sb.bshift;
            System.arraycopy(bytes, at, blk, 0, Math.min(bs, bytes.length - at));
            fs.disk.write(addrs[lbn] * sb.fsize, blk, 0, bs);
        }
        d.blocks += (long) (frags(sb, bytes.length) - frags(sb, old)) * (sb.fsize / 512);
        System.arraycopy(addrs, 0, d.extb, 0, Dinode.NXADDR);
        d.extsize = bytes.length;
    }

    /** ffs_truncate with IO_EXT to 0: every block of the area freed (an inode being freed, or its last attribute gone). */
    static void free(Ffs fs, Alloc alloc, FfsNode n) throws FfsError {
        if (!n.din.ufs2 || (n.din.extsize == 0 && n.din.extb[0] == 0 && n.din.extb[1] == 0)) return;
        write(fs, alloc, n, new byte[0]);
    }

    /** The attributes of the area (none on UFS1). */
    static List<ExtAttr.Record> records(Ffs fs, FfsNode n) throws FfsError {
        if (!n.din.ufs2 || n.din.extsize == 0) return List.of();
        return ExtAttr.parse(read(fs, n), n.din.extsize, fs.sb.order, n.ino);
    }
}
