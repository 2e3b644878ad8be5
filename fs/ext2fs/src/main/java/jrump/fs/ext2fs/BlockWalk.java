package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every block an inode owns, for checking: its data (logical → physical runs) and the blocks of its map
 * (extent index and leaf blocks, indirect blocks). Depth and counts are bounded as when reading.
 */
final class BlockWalk {
    interface Visitor {
        /** Data: {@code len} blocks from physical {@code pblk} at logical {@code lblk}; unwritten ones read as zeros. */
        void data(long lblk, long pblk, long len, boolean unwritten) throws Ext2Error;

        /** A block of the map itself. */
        void mapBlock(long pblk) throws Ext2Error;
    }

    private BlockWalk() {
    }

    static void walk(Volume fs, Inode in, Visitor v) throws Ext2Error {
        if (in.hasFlag(Inode.INLINE_DATA_FL)) return;
        if (in.hasFlag(Inode.EXTENTS_FL)) {
            extents(fs, in, in.iBlock(), -1, 0, v);
        } else {
            ByteBuffer ib = ByteBuffer.wrap(in.iBlock()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < IndirectBlocks.DIRECT; i++) {
                long b = ib.getInt(i * 4) & 0xffffffffL;
                if (b != 0) v.data(i, b, 1, false);
            }
            long per = fs.sb.blockSize / 4;
            long base = IndirectBlocks.DIRECT;
            long span = per;
            for (int level = 1; level <= 3; level++) {
                long b = ib.getInt((IndirectBlocks.DIRECT + level - 1) * 4) & 0xffffffffL;
                if (b != 0) indirect(fs, in, b, level, base, per, v);
                base += span;
                span *= per;
            }
        }
    }

    private static void extents(Volume fs, Inode in, byte[] node, int expectDepth, int level, Visitor v) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
        int entries = b.getShort(2) & 0xffff;
        int max = b.getShort(4) & 0xffff;
        int depth = b.getShort(6) & 0xffff;
        if ((b.getShort(0) & 0xffff) != Extents.MAGIC) throw Ext2Error.corrupt("inode " + in.ino + ": extent header magic");
        if (entries > max || Extents.HEADER + max * Extents.ENTRY > node.length) throw Ext2Error.corrupt("inode " + in.ino + ": extent node overflows");
        if (depth > Extents.MAX_DEPTH || (expectDepth >= 0 && depth != expectDepth) || level > Extents.MAX_DEPTH) {
            throw Ext2Error.corrupt("inode " + in.ino + ": extent tree depth " + depth);
        }
        for (int i = 0; i < entries; i++) {
            int e = Extents.HEADER + i * Extents.ENTRY;
            long first = b.getInt(e) & 0xffffffffL;
            if (depth == 0) {
                int rawLen = b.getShort(e + 4) & 0xffff;
                int len = rawLen > Extents.INIT_MAX_LEN ? rawLen - Extents.INIT_MAX_LEN : rawLen;
                long start = (b.getShort(e + 6) & 0xffffL) << 32 | (b.getInt(e + 8) & 0xffffffffL);
                if (len == 0) throw Ext2Error.corrupt("inode " + in.ino + ": empty extent at logical " + first);
                v.data(first, start, len, rawLen > Extents.INIT_MAX_LEN);
            } else {
                long child = (b.getInt(e + 4) & 0xffffffffL) | (b.getShort(e + 8) & 0xffffL) << 32;
                v.mapBlock(child);
                byte[] c = fs.readMetadataBlock(child, "extent block of inode " + in.ino);
                if (fs.sb.metadataCsum()) Extents.checkTail(fs, in, c);
                extents(fs, in, c, depth - 1, level + 1, v);
            }
        }
    }

    private static void indirect(Volume fs, Inode in, long block, int level, long base, long per, Visitor v) throws Ext2Error {
        v.mapBlock(block);
        byte[] data = fs.readMetadataBlock(block, "indirect block of inode " + in.ino);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long childSpan = 1;
        for (int i = 1; i < level; i++) childSpan *= per;
        for (int i = 0; i < per; i++) {
            long c = b.getInt(i * 4) & 0xffffffffL;
            if (c == 0) continue;
            if (level == 1) v.data(base + i, c, 1, false);
            else indirect(fs, in, c, level - 1, base + i * childSpan, per, v);
        }
    }
}
