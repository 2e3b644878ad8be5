package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An on-disk inode (Documentation/filesystems/ext4/inodes.rst): the 128 bytes every revision has and the
 * extra fields (nanosecond times, creation time, checksum high half) that i_extra_isize covers.
 */
final class Inode {
    // i_mode file types
    static final int S_IFMT = 0xF000;
    static final int S_IFSOCK = 0xC000;
    static final int S_IFLNK = 0xA000;
    static final int S_IFREG = 0x8000;
    static final int S_IFBLK = 0x6000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFCHR = 0x2000;
    static final int S_IFIFO = 0x1000;
    // i_flags
    static final int INDEX_FL = 0x1000;
    static final int HUGE_FILE_FL = 0x40000;
    static final int EXTENTS_FL = 0x80000;
    static final int EA_INODE_FL = 0x200000;
    static final int INLINE_DATA_FL = 0x10000000;
    /** Bytes of i_block: 15 block numbers, or an extent tree root, or a fast symlink, or inline data. */
    static final int I_BLOCK_SIZE = 60;
    private static final int OFF_BLOCK = 0x28;
    private static final int OFF_CHECKSUM_LO = 0x7C;
    private static final int OFF_EXTRA_ISIZE = 0x80;
    private static final int OFF_CHECKSUM_HI = 0x82;
    /** The extra inode size mke2fs gives 256-byte inodes: up to and including i_projid. */
    private static final int EXTRA_ISIZE_DEFAULT = 32;

    final long ino;
    /** The inode as on disk: fields this class does not model (e.g. i_version, the xattrs after the extra fields) live here. */
    final byte[] raw;
    // what a read-write mount changes; encode() puts them back into raw
    int mode;
    int uid;
    int gid;
    long size;
    int linksCount;
    long blocks512;
    int flags;
    int generation;
    long fileAcl;
    final int extraIsize;
    long atime;
    long mtime;
    long ctime;
    /** Creation time in nanoseconds, or Long.MIN_VALUE when the inode has no room for it. */
    long crtime;
    /** A read-write mount's block map of the file once it changes it (null: the on-disk map is current). */
    FileMap fileMap;
    /** Deletion time in seconds, or (on the orphan list) the next orphan's number. */
    long dtime;

    private Inode(long ino, byte[] raw, Superblock sb) throws Ext2Error {
        this.ino = ino;
        this.raw = raw;
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        mode = b.getShort(0) & 0xffff;
        uid = (b.getShort(0x2) & 0xffff) | (b.getShort(0x78) & 0xffff) << 16;
        gid = (b.getShort(0x18) & 0xffff) | (b.getShort(0x7A) & 0xffff) << 16;
        size = (b.getInt(0x4) & 0xffffffffL) | (b.getInt(0x6C) & 0xffffffffL) << 32;
        linksCount = b.getShort(0x1A) & 0xffff;
        flags = b.getInt(0x20);
        long blocks = (b.getInt(0x1C) & 0xffffffffL) | (b.getShort(0x74) & 0xffffL) << 32;
        boolean hugeUnits = sb.hasRoCompat(Features.RO_COMPAT_HUGE_FILE) && (flags & HUGE_FILE_FL) != 0;
        blocks512 = hugeUnits ? blocks * (sb.blockSize / 512) : blocks;
        generation = b.getInt(0x64);
        fileAcl = (b.getInt(0x68) & 0xffffffffL) | (b.getShort(0x76) & 0xffffL) << 32;
        extraIsize = raw.length > Superblock.GOOD_OLD_INODE_SIZE ? b.getShort(OFF_EXTRA_ISIZE) & 0xffff : 0;
        if (raw.length > Superblock.GOOD_OLD_INODE_SIZE
                && (extraIsize > raw.length - Superblock.GOOD_OLD_INODE_SIZE || (extraIsize & 3) != 0)) {
            throw Ext2Error.corrupt("inode " + ino + ": i_extra_isize " + extraIsize);
        }
        atime = time(b, 0x8, 0x8C);
        ctime = time(b, 0xC, 0x84);
        mtime = time(b, 0x10, 0x88);
        crtime = has(0x94 + 4) ? time(b, 0x90, 0x94) : Long.MIN_VALUE;
        dtime = b.getInt(0x14) & 0xffffffffL;
    }

    /** Whether the extra fields reach byte {@code end} of the inode. */
    private boolean has(int end) {
        return end <= Superblock.GOOD_OLD_INODE_SIZE + extraIsize;
    }

    /**
     * A time in nanoseconds since 1970: signed 32-bit seconds, extended (when the inode has the extra word)
     * by two epoch bits and 30 bits of nanoseconds (inodes.rst, "Inode Timestamps").
     */
    private long time(ByteBuffer b, int secOff, int extraOff) {
        long sec = b.getInt(secOff);
        long nsec = 0;
        if (has(extraOff + 4)) {
            int extra = b.getInt(extraOff);
            sec += (long) (extra & 3) << 32;
            nsec = Math.min(extra >>> 2, 999_999_999);
        }
        return sec * 1_000_000_000L + nsec;
    }

    static Inode parse(long ino, byte[] raw, Superblock sb) throws Ext2Error {
        Inode in = new Inode(ino, raw, sb);
        if (sb.metadataCsum() && !in.checksumMatches(sb)) throw Ext2Error.corrupt("inode " + ino + ": checksum mismatch");
        return in;
    }

    /** ext4_inode_csum: seeded with the file system's seed, the inode number and generation. */
    private boolean checksumMatches(Superblock sb) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        boolean hi = has(OFF_CHECKSUM_HI + 2);
        int stored = (b.getShort(OFF_CHECKSUM_LO) & 0xffff) | (hi ? (b.getShort(OFF_CHECKSUM_HI) & 0xffff) << 16 : 0);
        byte[] copy = raw.clone();
        copy[OFF_CHECKSUM_LO] = copy[OFF_CHECKSUM_LO + 1] = 0;
        if (hi) copy[OFF_CHECKSUM_HI] = copy[OFF_CHECKSUM_HI + 1] = 0;
        int crc = Crc32c.updateInt(sb.checksumSeed, (int) ino);
        crc = Crc32c.updateInt(crc, generation);
        crc = Crc32c.update(crc, copy, 0, copy.length);
        return (hi ? crc : crc & 0xffff) == stored;
    }

    /** The seed of this inode's other checksums (extent blocks, directory blocks, its xattr block). */
    int checksumSeed(Superblock sb) {
        return Crc32c.updateInt(Crc32c.updateInt(sb.checksumSeed, (int) ino), generation);
    }

    int type() {
        return mode & S_IFMT;
    }

    boolean isDir() {
        return type() == S_IFDIR;
    }

    boolean hasFlag(int f) {
        return (flags & f) != 0;
    }

    /** i_block as bytes: block numbers, an extent tree's root, a fast symlink, inline data. */
    byte[] iBlock() {
        byte[] out = new byte[I_BLOCK_SIZE];
        System.arraycopy(raw, OFF_BLOCK, out, 0, I_BLOCK_SIZE);
        return out;
    }

    void setIBlock(byte[] block) {
        if (block.length != I_BLOCK_SIZE) throw new IllegalArgumentException("i_block is " + I_BLOCK_SIZE + " bytes");
        System.arraycopy(block, 0, raw, OFF_BLOCK, I_BLOCK_SIZE);
    }

    /** A fresh inode of {@code inodeSize} bytes: everything zero but the extra size a file system of this kind uses. */
    static Inode fresh(long ino, Superblock sb) {
        byte[] raw = new byte[sb.inodeSize];
        if (sb.inodeSize > Superblock.GOOD_OLD_INODE_SIZE) {
            int extra = Math.min(Math.max(EXTRA_ISIZE_DEFAULT, sb.minExtraIsize), sb.inodeSize - Superblock.GOOD_OLD_INODE_SIZE);
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putShort(OFF_EXTRA_ISIZE, (short) extra);
        }
        try {
            return new Inode(ino, raw, sb);
        } catch (Ext2Error e) {
            throw new IllegalStateException(e); // a zero inode with a valid extra size always parses
        }
    }

    /**
     * The inode's fields back into {@link #raw}, with the checksum under metadata_csum: what gets written.
     * i_blocks goes in 512-byte units unless it needs huge_file's block units.
     */
    byte[] encode(Superblock sb) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) mode);
        b.putShort(0x2, (short) uid);
        b.putShort(0x78, (short) (uid >>> 16));
        b.putShort(0x18, (short) gid);
        b.putShort(0x7A, (short) (gid >>> 16));
        b.putInt(0x4, (int) size);
        b.putInt(0x6C, (int) (size >>> 32));
        b.putShort(0x1A, (short) linksCount);
        long units = blocks512;
        int f = flags & ~HUGE_FILE_FL;
        if (units >= 1L << 48 && sb.hasRoCompat(Features.RO_COMPAT_HUGE_FILE)) {
            units = blocks512 / (sb.blockSize / 512);
            f |= HUGE_FILE_FL;
        }
        flags = f;
        b.putInt(0x1C, (int) units);
        b.putShort(0x74, (short) (units >>> 32));
        b.putInt(0x20, flags);
        b.putInt(0x64, generation);
        b.putInt(0x68, (int) fileAcl);
        b.putShort(0x76, (short) (fileAcl >>> 32));
        putTime(b, 0x8, 0x8C, atime);
        putTime(b, 0xC, 0x84, ctime);
        putTime(b, 0x10, 0x88, mtime);
        if (has(0x94 + 4) && crtime != Long.MIN_VALUE) putTime(b, 0x90, 0x94, crtime);
        b.putInt(0x14, (int) dtime);
        if (sb.metadataCsum()) {
            b.putShort(OFF_CHECKSUM_LO, (short) 0);
            boolean hi = has(OFF_CHECKSUM_HI + 2);
            if (hi) b.putShort(OFF_CHECKSUM_HI, (short) 0);
            int crc = Crc32c.update(checksumSeed(sb), raw, 0, raw.length);
            b.putShort(OFF_CHECKSUM_LO, (short) crc);
            if (hi) b.putShort(OFF_CHECKSUM_HI, (short) (crc >>> 16));
        }
        return raw;
    }

    /** {@code nanos} as this inode can keep it: whole seconds without the extra time fields (128-byte inodes). */
    long asStored(long nanos) {
        if (has(0x8C + 4)) return nanos;
        return Math.floorDiv(nanos, 1_000_000_000L) * 1_000_000_000L;
    }

    /** The inverse of {@link #time}: low 32 bits of the seconds, the epoch bits and nanoseconds in the extra word. */
    private void putTime(ByteBuffer b, int secOff, int extraOff, long nanos) {
        long sec = Math.floorDiv(nanos, 1_000_000_000L);
        int nsec = (int) Math.floorMod(nanos, 1_000_000_000L);
        b.putInt(secOff, (int) sec);
        if (has(extraOff + 4)) {
            long epoch = ((sec - (int) sec) >> 32) & 3;
            b.putInt(extraOff, (int) epoch | nsec << 2);
        }
    }

    /** The extended attributes kept in the inode itself: the bytes after the extra fields. */
    int inlineXattrOffset() {
        return Superblock.GOOD_OLD_INODE_SIZE + extraIsize;
    }
}
