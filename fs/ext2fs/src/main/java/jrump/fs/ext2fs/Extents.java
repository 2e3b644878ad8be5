package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Extent trees (Documentation/filesystems/ext4/ifork.rst): a 12-byte header, then index entries (depth
 * > 0) or extents (depth 0), in i_block for the root and in blocks below it, each of those ending with a
 * checksum tail under metadata_csum.
 */
final class Extents {
    static final int MAGIC = 0xF30A;
    static final int HEADER = 12;
    static final int ENTRY = 12;
    /** ext4 never builds deeper trees (EXT4_MAX_EXTENT_DEPTH). */
    static final int MAX_DEPTH = 5;
    /** An extent longer than this is unwritten: its blocks read as zeros (ee_len - 32768). */
    static final int INIT_MAX_LEN = 32768;

    private Extents() {
    }

    /**
     * Where logical block {@code lblk} of the file is: {@link Run#physical()} 0 for a hole or unwritten
     * space, with how many blocks from {@code lblk} on the answer holds for.
     */
    static Run map(Volume fs, Inode in, long lblk) throws Ext2Error {
        byte[] node = in.iBlock();
        int depth = -1;
        for (int level = 0; ; level++) {
            ByteBuffer b = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
            int magic = b.getShort(0) & 0xffff;
            int entries = b.getShort(2) & 0xffff;
            int max = b.getShort(4) & 0xffff;
            int d = b.getShort(6) & 0xffff;
            if (magic != MAGIC) throw Ext2Error.corrupt("inode " + in.ino + ": extent header magic " + Integer.toHexString(magic));
            if (entries > max || HEADER + max * ENTRY > node.length) throw Ext2Error.corrupt("inode " + in.ino + ": extent node overflows");
            if (d > MAX_DEPTH || (depth >= 0 && d != depth - 1) || level > MAX_DEPTH) {
                throw Ext2Error.corrupt("inode " + in.ino + ": extent tree depth " + d);
            }
            depth = d;
            if (d == 0) return leaf(fs, in, b, entries, lblk);
            // the last index entry whose first block is not past lblk
            int pick = -1;
            for (int i = 0; i < entries; i++) {
                long first = b.getInt(HEADER + i * ENTRY) & 0xffffffffL;
                if (first > lblk) break;
                pick = i;
            }
            if (pick < 0) {
                long next = entries > 0 ? (b.getInt(HEADER) & 0xffffffffL) - lblk : Long.MAX_VALUE;
                return new Run(0, next);
            }
            int e = HEADER + pick * ENTRY;
            long child = (b.getInt(e + 4) & 0xffffffffL) | (b.getShort(e + 8) & 0xffffL) << 32;
            node = fs.readMetadataBlock(child, "extent index of inode " + in.ino);
            if (fs.sb.metadataCsum()) checkTail(fs, in, node);
        }
    }

    private static Run leaf(Volume fs, Inode in, ByteBuffer b, int entries, long lblk) throws Ext2Error {
        long nextStart = Long.MAX_VALUE;
        for (int i = 0; i < entries; i++) {
            int e = HEADER + i * ENTRY;
            long first = b.getInt(e) & 0xffffffffL;
            int rawLen = b.getShort(e + 4) & 0xffff;
            boolean unwritten = rawLen > INIT_MAX_LEN;
            int len = unwritten ? rawLen - INIT_MAX_LEN : rawLen;
            long start = (b.getShort(e + 6) & 0xffffL) << 32 | (b.getInt(e + 8) & 0xffffffffL);
            if (lblk < first) {
                nextStart = Math.min(nextStart, first);
                continue;
            }
            if (lblk >= first + len) continue;
            long into = lblk - first;
            if (start == 0 || start + len > fs.sb.blocksCount) {
                throw Ext2Error.corrupt("inode " + in.ino + ": extent at block " + start + " outside the file system");
            }
            return new Run(unwritten ? 0 : start + into, len - into);
        }
        return new Run(0, nextStart == Long.MAX_VALUE ? Long.MAX_VALUE : nextStart - lblk);
    }

    /** The checksum after an extent block's last possible entry (ext4_extent_block_csum). */
    static void checkTail(Volume fs, Inode in, byte[] node) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
        int max = b.getShort(4) & 0xffff;
        int tail = HEADER + max * ENTRY;
        if (tail + 4 > node.length) throw Ext2Error.corrupt("inode " + in.ino + ": extent block has no room for its checksum");
        int crc = Crc32c.update(in.checksumSeed(fs.sb), node, 0, tail);
        if (crc != b.getInt(tail)) throw Ext2Error.corrupt("inode " + in.ino + ": extent block checksum mismatch");
    }

    /** A stretch of a file's blocks: contiguous on disk from {@code physical} (0: none) for {@code length} blocks. */
    record Run(long physical, long length) {
    }
}
