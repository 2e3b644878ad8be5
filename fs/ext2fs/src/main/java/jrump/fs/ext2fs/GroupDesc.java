package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A block group descriptor (Documentation/filesystems/ext4/group_descr.rst), 32 or 64 bytes. */
record GroupDesc(long blockBitmap, long inodeBitmap, long inodeTable, long freeBlocks, long freeInodes,
                 long usedDirs, int flags, long itableUnused, int checksum) {
    static final int OFF_CHECKSUM = 0x1E;
    // bg_flags
    static final int INODE_UNINIT = 0x1;
    static final int BLOCK_UNINIT = 0x2;
    static final int INODE_ZEROED = 0x4;

    GroupDesc withCounts(long freeBlocks, long freeInodes, long usedDirs, int flags, long itableUnused) {
        return new GroupDesc(blockBitmap, inodeBitmap, inodeTable, freeBlocks, freeInodes, usedDirs, flags, itableUnused, checksum);
    }

    /** Puts the counts, flags and itable_unused of {@code d} into the descriptor at {@code off} (locations stay). */
    static void putCounts(byte[] b, int off, int size, GroupDesc d) {
        ByteBuffer v = ByteBuffer.wrap(b, off, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        boolean wide = size >= Superblock.DESC_SIZE_64;
        putLohi16(v, 0xC, 0x2C, wide, d.freeBlocks);
        putLohi16(v, 0xE, 0x2E, wide, d.freeInodes);
        putLohi16(v, 0x10, 0x30, wide, d.usedDirs);
        v.putShort(0x12, (short) d.flags);
        putLohi16(v, 0x1C, 0x32, wide, d.itableUnused);
    }

    /** bg_block_bitmap_csum or bg_inode_bitmap_csum: the low half, and the high half in 64-byte descriptors. */
    static void putBitmapChecksum(byte[] b, int off, int size, boolean inodeBitmap, int crc) {
        ByteBuffer v = ByteBuffer.wrap(b, off, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        v.putShort(inodeBitmap ? 0x1A : 0x18, (short) crc);
        if (size >= Superblock.DESC_SIZE_64) v.putShort(inodeBitmap ? 0x3A : 0x38, (short) (crc >>> 16));
    }

    /** bg_checksum: crc32c's low half with metadata_csum, else uninit_bg's crc16; nothing without either. */
    static void seal(Superblock sb, long group, byte[] b, int off, int size) {
        int crc;
        if (sb.metadataCsum()) {
            crc = metadataChecksum(sb, group, b, off, size);
        } else if (sb.hasRoCompat(Features.RO_COMPAT_GDT_CSUM)) {
            crc = crc16Checksum(sb, group, b, off, size);
        } else {
            return;
        }
        b[off + OFF_CHECKSUM] = (byte) crc;
        b[off + OFF_CHECKSUM + 1] = (byte) (crc >>> 8);
    }

    /** ext4_group_desc_csum without metadata_csum: crc16 of the uuid, the group, the descriptor around the checksum. */
    static int crc16Checksum(Superblock sb, long group, byte[] b, int off, int size) {
        int crc = Crc16.update(0xffff, sb.uuid, 0, 16);
        byte[] le = {(byte) group, (byte) (group >>> 8), (byte) (group >>> 16), (byte) (group >>> 24)};
        crc = Crc16.update(crc, le, 0, 4);
        crc = Crc16.update(crc, b, off, OFF_CHECKSUM);
        int after = OFF_CHECKSUM + 2;
        if (sb.hasIncompat(Features.INCOMPAT_64BIT) && after < size) crc = Crc16.update(crc, b, off + after, size - after);
        return crc;
    }

    private static void putLohi16(ByteBuffer d, int lo, int hi, boolean wide, long v) {
        d.putShort(lo, (short) v);
        if (wide) d.putShort(hi, (short) (v >>> 16));
    }

    static GroupDesc parse(byte[] b, int off, int size) {
        ByteBuffer d = ByteBuffer.wrap(b, off, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        boolean wide = size >= Superblock.DESC_SIZE_64;
        return new GroupDesc(
                lohi(d, 0x0, 0x20, wide), lohi(d, 0x4, 0x24, wide), lohi(d, 0x8, 0x28, wide),
                lohi16(d, 0xC, 0x2C, wide), lohi16(d, 0xE, 0x2E, wide), lohi16(d, 0x10, 0x30, wide),
                d.getShort(0x12) & 0xffff, lohi16(d, 0x1C, 0x32, wide), d.getShort(OFF_CHECKSUM) & 0xffff);
    }

    private static long lohi(ByteBuffer d, int lo, int hi, boolean wide) {
        return (d.getInt(lo) & 0xffffffffL) | (wide ? (d.getInt(hi) & 0xffffffffL) << 32 : 0);
    }

    private static long lohi16(ByteBuffer d, int lo, int hi, boolean wide) {
        return (d.getShort(lo) & 0xffffL) | (wide ? (d.getShort(hi) & 0xffffL) << 16 : 0);
    }

    /** ext4_group_desc_csum with metadata_csum: crc32c of seed, group number and the descriptor, low 16 bits. */
    static int metadataChecksum(Superblock sb, long group, byte[] b, int off, int size) {
        return metadataChecksum(group, b, off, size, sb.checksumSeed);
    }

    static int metadataChecksum(long group, byte[] b, int off, int size, int seed) {
        byte[] copy = new byte[size];
        System.arraycopy(b, off, copy, 0, size);
        copy[OFF_CHECKSUM] = copy[OFF_CHECKSUM + 1] = 0;
        int crc = Crc32c.updateInt(seed, (int) group);
        crc = Crc32c.update(crc, copy, 0, size);
        return crc & 0xffff;
    }
}
