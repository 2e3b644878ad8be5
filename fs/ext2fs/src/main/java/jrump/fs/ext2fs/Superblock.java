package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import jrump.rumpkern.Errno;

/**
 * The superblock (Documentation/filesystems/ext4/super.rst): 1024 bytes at byte offset 1024 of the device.
 * Parsing checks everything later arithmetic depends on, so that a hostile image fails here with a clear
 * error instead of dividing by zero or allocating without bound further in.
 */
final class Superblock {
    /** Byte offset and size of the primary superblock. */
    static final int OFFSET = 1024;
    static final int SIZE = 1024;
    static final int MAGIC = 0xEF53;
    /** The largest block size: s_log_block_size at most 6 (1024 << 6 = 64 KiB). */
    static final int MAX_BLOCK_SIZE = 1024 << 6;
    static final int GOOD_OLD_REV = 0;
    static final int DYNAMIC_REV = 1;
    static final int GOOD_OLD_INODE_SIZE = 128;
    static final int GOOD_OLD_FIRST_INO = 11;
    static final int DESC_SIZE_32 = 32;
    static final int DESC_SIZE_64 = 64;
    /** s_checksum_type: crc32c is the only one. */
    static final int CHECKSUM_TYPE_CRC32C = 1;
    /** s_state: cleanly unmounted, errors detected. */
    static final int STATE_VALID = 1;
    static final int STATE_ERROR = 2;
    private static final int OFF_CHECKSUM = 0x3FC;

    final byte[] raw;
    final long inodesCount;
    final long blocksCount;
    // what a read-write mount keeps current; encode() puts them back into raw
    long freeBlocks;
    long freeInodes;
    final long firstDataBlock;
    final int blockSize;
    final long blocksPerGroup;
    final long inodesPerGroup;
    final int revLevel;
    final int firstIno;
    final int inodeSize;
    final int compat;
    int incompat;
    final int roCompat;
    final byte[] uuid;
    final String volumeName;
    final int descSize;
    final long groupCount;
    final int journalInum;
    final int[] hashSeed;
    final int defHashVersion;
    final int flags;
    final int firstMetaBg;
    final int minExtraIsize;
    final int checksumSeed;
    int state;
    /** s_last_orphan: the first inode of the orphan list (unlinked, still open), 0 for none. */
    long lastOrphan;
    /** s_mtime and s_wtime, seconds. */
    long mountTime;
    long writeTime;
    int mountCount;
    /** s_reserved_gdt_blocks: room for the descriptors of online resizing, after each descriptor copy. */
    final int reservedGdtBlocks;
    /** s_log_groups_per_flex: with flex_bg, groups come in flex groups of 2^this, their metadata packed together. */
    final int logGroupsPerFlex;
    /** s_r_blocks_count: blocks only root may take. */
    final long reservedBlocks;

    private Superblock(byte[] raw) throws Ext2Error {
        this.raw = raw;
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if ((b.getShort(0x38) & 0xffff) != MAGIC) throw new Ext2Error(Errno.EFTYPE, "not an ext2/3/4 file system (no superblock magic)");
        revLevel = b.getInt(0x4C);
        if (revLevel != GOOD_OLD_REV && revLevel != DYNAMIC_REV) throw new Ext2Error(Errno.EFTYPE, "unknown revision " + revLevel);
        int logBlock = b.getInt(0x18);
        if (logBlock < 0 || (1024 << logBlock) > MAX_BLOCK_SIZE) throw Ext2Error.corrupt("block size 2^" + (10 + logBlock) + " out of range");
        blockSize = 1024 << logBlock;
        compat = revLevel == GOOD_OLD_REV ? 0 : b.getInt(0x5C);
        incompat = revLevel == GOOD_OLD_REV ? 0 : b.getInt(0x60);
        roCompat = revLevel == GOOD_OLD_REV ? 0 : b.getInt(0x64);
        boolean is64 = (incompat & Features.INCOMPAT_64BIT) != 0;
        inodesCount = b.getInt(0x0) & 0xffffffffL;
        blocksCount = (b.getInt(0x4) & 0xffffffffL) | (is64 ? (b.getInt(0x150) & 0xffffffffL) << 32 : 0);
        freeBlocks = (b.getInt(0xC) & 0xffffffffL) | (is64 ? (b.getInt(0x158) & 0xffffffffL) << 32 : 0);
        freeInodes = b.getInt(0x10) & 0xffffffffL;
        firstDataBlock = b.getInt(0x14) & 0xffffffffL;
        blocksPerGroup = b.getInt(0x20) & 0xffffffffL;
        inodesPerGroup = b.getInt(0x28) & 0xffffffffL;
        state = b.getShort(0x3A) & 0xffff;
        lastOrphan = b.getInt(0xE8) & 0xffffffffL;
        mountTime = b.getInt(0x2C) & 0xffffffffL;
        writeTime = b.getInt(0x30) & 0xffffffffL;
        mountCount = b.getShort(0x34) & 0xffff;
        reservedGdtBlocks = revLevel == GOOD_OLD_REV ? 0 : b.getShort(0xCE) & 0xffff;
        int logFlex = raw[0x174] & 0xff;
        logGroupsPerFlex = (incompat & Features.INCOMPAT_FLEX_BG) != 0 && logFlex < 31 ? logFlex : 0;
        reservedBlocks = (b.getInt(0x8) & 0xffffffffL) | (is64 ? (b.getInt(0x154) & 0xffffffffL) << 32 : 0);
        firstIno = revLevel == GOOD_OLD_REV ? GOOD_OLD_FIRST_INO : b.getInt(0x54);
        inodeSize = revLevel == GOOD_OLD_REV ? GOOD_OLD_INODE_SIZE : b.getShort(0x58) & 0xffff;
        uuid = new byte[16];
        b.get(0x68, uuid);
        byte[] name = new byte[16];
        b.get(0x78, name);
        int nlen = 0;
        while (nlen < 16 && name[nlen] != 0) nlen++;
        volumeName = new String(name, 0, nlen, java.nio.charset.StandardCharsets.UTF_8);
        journalInum = b.getInt(0xE0);
        hashSeed = new int[] {b.getInt(0xEC), b.getInt(0xF0), b.getInt(0xF4), b.getInt(0xF8)};
        defHashVersion = raw[0xFC] & 0xff;
        descSize = is64 ? b.getShort(0xFE) & 0xffff : DESC_SIZE_32;
        flags = b.getInt(0x160);
        firstMetaBg = b.getInt(0x104);
        minExtraIsize = b.getShort(0x15C) & 0xffff;
        checksumSeed = (incompat & Features.INCOMPAT_CSUM_SEED) != 0 ? b.getInt(0x270) : Crc32c.update(~0, uuid, 0, 16);

        if (inodeSize < GOOD_OLD_INODE_SIZE || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
            throw Ext2Error.corrupt("inode size " + inodeSize + " is not a power of two between 128 and the block size");
        }
        if (is64 && (descSize < DESC_SIZE_64 || descSize > 1024 || Integer.bitCount(descSize) != 1)) {
            throw Ext2Error.corrupt("group descriptor size " + descSize + " invalid for a 64bit file system");
        }
        if (blocksPerGroup == 0 || blocksPerGroup > 8L * blockSize) throw Ext2Error.corrupt("blocks per group " + blocksPerGroup);
        if (inodesPerGroup == 0 || inodesPerGroup > 8L * blockSize) throw Ext2Error.corrupt("inodes per group " + inodesPerGroup);
        if (firstDataBlock != (blockSize == 1024 ? 1 : 0)) throw Ext2Error.corrupt("first data block " + firstDataBlock);
        if (blocksCount <= firstDataBlock) throw Ext2Error.corrupt("block count " + blocksCount);
        groupCount = (blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
        if (groupCount * inodesPerGroup != inodesCount) {
            throw Ext2Error.corrupt(inodesCount + " inodes do not make " + groupCount + " groups of " + inodesPerGroup);
        }
        if (firstIno < 3 || firstIno > inodesCount) throw Ext2Error.corrupt("first non-reserved inode " + firstIno);
        if (hasRoCompat(Features.RO_COMPAT_METADATA_CSUM)) {
            if ((raw[0x175] & 0xff) != CHECKSUM_TYPE_CRC32C) throw Ext2Error.corrupt("unknown checksum type " + (raw[0x175] & 0xff));
            int stored = b.getInt(OFF_CHECKSUM);
            if (stored != checksum(raw)) throw Ext2Error.corrupt("superblock checksum mismatch");
        }
    }

    /** Parses and checks the 1024 superblock bytes. */
    static Superblock parse(byte[] raw) throws Ext2Error {
        if (raw.length != SIZE) throw new IllegalArgumentException("superblock is " + SIZE + " bytes");
        return new Superblock(raw.clone());
    }

    /** The superblock's bytes as now, checksummed: what a read-write mount writes. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xC, (int) freeBlocks);
        if (hasIncompat(Features.INCOMPAT_64BIT)) b.putInt(0x158, (int) (freeBlocks >>> 32));
        b.putInt(0x10, (int) freeInodes);
        b.putInt(0x2C, (int) mountTime);
        b.putInt(0x30, (int) writeTime);
        b.putShort(0x34, (short) mountCount);
        b.putShort(0x3A, (short) state);
        if (revLevel != GOOD_OLD_REV) b.putInt(0x60, incompat);
        b.putInt(0xE8, (int) lastOrphan);
        if (metadataCsum()) b.putInt(OFF_CHECKSUM, checksum(raw));
        return raw;
    }

    /** ext4_superblock_csum: crc32c from ~0 over everything before the checksum field. */
    static int checksum(byte[] raw) {
        CRC32C c = new CRC32C();
        c.update(raw, 0, OFF_CHECKSUM);
        return ~(int) c.getValue(); // java's CRC32C inverts its result; ext4 stores the raw value
    }

    /** sparse_super's rule: superblock and descriptor copies in groups 0, 1 and powers of 3, 5 and 7. */
    static boolean sparseGroupHasBackup(long group) {
        if (group <= 1) return true;
        for (long base : new long[] {3, 5, 7}) {
            long p = base;
            while (p < group) p *= base;
            if (p == group) return true;
        }
        return false;
    }

    boolean hasCompat(int f) {
        return (compat & f) != 0;
    }

    boolean hasIncompat(int f) {
        return (incompat & f) != 0;
    }

    boolean hasRoCompat(int f) {
        return (roCompat & f) != 0;
    }

    boolean metadataCsum() {
        return hasRoCompat(Features.RO_COMPAT_METADATA_CSUM);
    }

    /** Device blocks of DEV_BSIZE per file system block. */
    int sectorsPerBlock() {
        return blockSize / 512;
    }
}
