package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A block group descriptor (Documentation/filesystems/ext4/group_descr.rst), 32 or 64 bytes. */
record GroupDesc(long blockBitmap, long inodeBitmap, long inodeTable, long freeBlocks, long freeInodes,
                 long usedDirs, int flags, long itableUnused, int checksum) {
    static final int OFF_CHECKSUM = 0x1E;

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
