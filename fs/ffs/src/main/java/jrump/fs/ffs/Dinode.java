package jrump.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An on-disk inode (NetBSD's sys/ufs/ufs/dinode.h: struct ufs1_dinode, 128 bytes, and struct ufs2_dinode,
 * 256 bytes), decoded into one shape for both. The bytes it came from are kept so that writing it back
 * keeps the fields this code leaves alone (modrev, the spare words).
 */
final class Dinode {
    /** dinode.h: UFS_NDADDR direct and UFS_NIADDR indirect block pointers. */
    static final int NDADDR = 12;
    static final int NIADDR = 3;
    /** dinode.h UFS_NXADDR: UFS2's extended attribute area is at most this many blocks (di_extb). */
    static final int NXADDR = 2;
    static final int UFS1_SIZE = 128;
    static final int UFS2_SIZE = 256;
    /** dinode.h IFMT and the file types. */
    static final int IFMT = 0170000, IFIFO = 0010000, IFCHR = 0020000, IFDIR = 0040000, IFBLK = 0060000, IFREG = 0100000,
            IFLNK = 0120000, IFSOCK = 0140000, IFWHT = 0160000;

    // struct ufs1_dinode
    private static final int U1_MODE = 0, U1_NLINK = 2, U1_SIZE = 8, U1_ATIME = 16, U1_ATIMENSEC = 20, U1_MTIME = 24,
            U1_MTIMENSEC = 28, U1_CTIME = 32, U1_CTIMENSEC = 36, U1_DB = 40, U1_IB = 88, U1_FLAGS = 100, U1_BLOCKS = 104,
            U1_GEN = 108, U1_UID = 112, U1_GID = 116;
    // struct ufs2_dinode
    private static final int U2_MODE = 0, U2_NLINK = 2, U2_UID = 4, U2_GID = 8, U2_BLKSIZE = 12, U2_SIZE = 16, U2_BLOCKS = 24,
            U2_ATIME = 32, U2_MTIME = 40, U2_CTIME = 48, U2_BIRTHTIME = 56, U2_MTIMENSEC = 64, U2_ATIMENSEC = 68,
            U2_CTIMENSEC = 72, U2_BIRTHNSEC = 76, U2_GEN = 80, U2_FLAGS = 88, U2_EXTSIZE = 92, U2_EXTB = 96, U2_DB = 112, U2_IB = 208;

    final boolean ufs2;
    final byte[] raw;
    int mode;
    int nlink;
    long uid;
    long gid;
    long size;
    /** di_blocks: DEV_BSIZE units held (data and indirect blocks). */
    long blocks;
    long atime, mtime, ctime, birthtime;
    int atimensec, mtimensec, ctimensec, birthnsec;
    int flags;
    int gen;
    int blksize;
    /** di_extsize: bytes of UFS2's extended attribute area (0 for UFS1, which has none). */
    int extsize;
    /** di_extb: the attribute area's blocks, the last one possibly fragments like a small file's tail. */
    final long[] extb = new long[NXADDR];
    final long[] db = new long[NDADDR];
    final long[] ib = new long[NIADDR];

    private Dinode(boolean ufs2, byte[] raw) {
        this.ufs2 = ufs2;
        this.raw = raw;
    }

    /** A zeroed inode (a fresh allocation). */
    static Dinode empty(boolean ufs2) {
        return new Dinode(ufs2, new byte[ufs2 ? UFS2_SIZE : UFS1_SIZE]);
    }

    /** The bytes of the block-pointer area, where a fast symlink keeps its target. */
    static int addrArea(boolean ufs2) {
        return (NDADDR + NIADDR) * (ufs2 ? 8 : 4);
    }

    static Dinode decode(boolean ufs2, ByteOrder order, byte[] raw) {
        Dinode d = new Dinode(ufs2, raw);
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        if (ufs2) {
            d.mode = b.getShort(U2_MODE) & 0xffff;
            d.nlink = b.getShort(U2_NLINK) & 0xffff;
            d.uid = Integer.toUnsignedLong(b.getInt(U2_UID));
            d.gid = Integer.toUnsignedLong(b.getInt(U2_GID));
            d.blksize = b.getInt(U2_BLKSIZE);
            d.size = b.getLong(U2_SIZE);
            d.blocks = b.getLong(U2_BLOCKS);
            d.atime = b.getLong(U2_ATIME);
            d.mtime = b.getLong(U2_MTIME);
            d.ctime = b.getLong(U2_CTIME);
            d.birthtime = b.getLong(U2_BIRTHTIME);
            d.mtimensec = b.getInt(U2_MTIMENSEC);
            d.atimensec = b.getInt(U2_ATIMENSEC);
            d.ctimensec = b.getInt(U2_CTIMENSEC);
            d.birthnsec = b.getInt(U2_BIRTHNSEC);
            d.gen = b.getInt(U2_GEN);
            d.flags = b.getInt(U2_FLAGS);
            d.extsize = b.getInt(U2_EXTSIZE);
            for (int i = 0; i < NXADDR; i++) d.extb[i] = b.getLong(U2_EXTB + 8 * i);
            for (int i = 0; i < NDADDR; i++) d.db[i] = b.getLong(U2_DB + 8 * i);
            for (int i = 0; i < NIADDR; i++) d.ib[i] = b.getLong(U2_IB + 8 * i);
        } else {
            d.mode = b.getShort(U1_MODE) & 0xffff;
            d.nlink = b.getShort(U1_NLINK) & 0xffff;
            d.uid = Integer.toUnsignedLong(b.getInt(U1_UID));
            d.gid = Integer.toUnsignedLong(b.getInt(U1_GID));
            d.size = b.getLong(U1_SIZE);
            d.blocks = Integer.toUnsignedLong(b.getInt(U1_BLOCKS));
            d.atime = b.getInt(U1_ATIME);
            d.atimensec = b.getInt(U1_ATIMENSEC);
            d.mtime = b.getInt(U1_MTIME);
            d.mtimensec = b.getInt(U1_MTIMENSEC);
            d.ctime = b.getInt(U1_CTIME);
            d.ctimensec = b.getInt(U1_CTIMENSEC);
            d.gen = b.getInt(U1_GEN);
            d.flags = b.getInt(U1_FLAGS);
            for (int i = 0; i < NDADDR; i++) d.db[i] = Integer.toUnsignedLong(b.getInt(U1_DB + 4 * i));
            for (int i = 0; i < NIADDR; i++) d.ib[i] = Integer.toUnsignedLong(b.getInt(U1_IB + 4 * i));
        }
        return d;
    }

    /** Writes the fields back into {@link #raw} and returns it. A fast symlink's area is left as set by {@link #setShortLink}. */
    byte[] encode(ByteOrder order, boolean fastLink) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        if (ufs2) {
            b.putShort(U2_MODE, (short) mode).putShort(U2_NLINK, (short) nlink).putInt(U2_UID, (int) uid).putInt(U2_GID, (int) gid);
            b.putInt(U2_BLKSIZE, blksize).putLong(U2_SIZE, size).putLong(U2_BLOCKS, blocks);
            b.putLong(U2_ATIME, atime).putLong(U2_MTIME, mtime).putLong(U2_CTIME, ctime).putLong(U2_BIRTHTIME, birthtime);
            b.putInt(U2_MTIMENSEC, mtimensec).putInt(U2_ATIMENSEC, atimensec).putInt(U2_CTIMENSEC, ctimensec).putInt(U2_BIRTHNSEC, birthnsec);
            b.putInt(U2_GEN, gen).putInt(U2_FLAGS, flags).putInt(U2_EXTSIZE, extsize);
            for (int i = 0; i < NXADDR; i++) b.putLong(U2_EXTB + 8 * i, extb[i]);
            if (!fastLink) {
                for (int i = 0; i < NDADDR; i++) b.putLong(U2_DB + 8 * i, db[i]);
                for (int i = 0; i < NIADDR; i++) b.putLong(U2_IB + 8 * i, ib[i]);
            }
        } else {
            b.putShort(U1_MODE, (short) mode).putShort(U1_NLINK, (short) nlink).putInt(U1_UID, (int) uid).putInt(U1_GID, (int) gid);
            b.putLong(U1_SIZE, size).putInt(U1_BLOCKS, (int) blocks);
            b.putInt(U1_ATIME, (int) atime).putInt(U1_ATIMENSEC, atimensec).putInt(U1_MTIME, (int) mtime).putInt(U1_MTIMENSEC, mtimensec)
                    .putInt(U1_CTIME, (int) ctime).putInt(U1_CTIMENSEC, ctimensec);
            b.putInt(U1_GEN, gen).putInt(U1_FLAGS, flags);
            if (!fastLink) {
                for (int i = 0; i < NDADDR; i++) b.putInt(U1_DB + 4 * i, (int) db[i]);
                for (int i = 0; i < NIADDR; i++) b.putInt(U1_IB + 4 * i, (int) ib[i]);
            }
        }
        return raw;
    }

    /** A fast symlink's target: the first {@code size} bytes of the pointer area. */
    byte[] shortLink() {
        int n = (int) Math.min(size, addrArea(ufs2));
        byte[] out = new byte[n];
        System.arraycopy(raw, ufs2 ? U2_DB : U1_DB, out, 0, n);
        return out;
    }

    /** Stores a fast symlink's target in the pointer area (zero-filled after it). */
    void setShortLink(byte[] target) {
        int at = ufs2 ? U2_DB : U1_DB;
        java.util.Arrays.fill(raw, at, at + addrArea(ufs2), (byte) 0);
        System.arraycopy(target, 0, raw, at, target.length);
        java.util.Arrays.fill(db, 0);
        java.util.Arrays.fill(ib, 0);
        size = target.length;
    }

    int type() {
        return mode & IFMT;
    }

    boolean isDir() {
        return type() == IFDIR;
    }

    /** di_rdev of a device inode: UFS1 and UFS2 keep it in db[0]. */
    long rdev() {
        return ufs2 ? db[0] : db[0] & 0xffffffffL;
    }
}
