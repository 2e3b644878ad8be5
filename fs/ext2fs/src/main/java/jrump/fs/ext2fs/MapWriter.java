package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Writes a {@link FileMap} back in its on-disk form: an extent tree (ifork.rst: four extents in i_block,
 * else index and leaf blocks with checksum tails) or the classic direct and indirect blocks. The blocks
 * the old form took are reused first, so a rewrite of a grown file moves nothing; leftovers are freed.
 */
final class MapWriter {
    /** ee_len of an initialized extent, and of an unwritten one (whose length is stored plus 32768). */
    static final int MAX_INIT_LEN = 32768;
    static final int MAX_UNWRITTEN_LEN = 32767;
    /** Extents or index entries in i_block after the header. */
    static final int ROOT_ENTRIES = 4;

    private final Ext2fs fs;
    private final Inode in;
    private final Deque<Long> reusable;
    private final List<Long> used = new ArrayList<>();
    private final int bs;

    private MapWriter(Ext2fs fs, Inode in, List<Long> old) {
        this.fs = fs;
        this.in = in;
        this.reusable = new ArrayDeque<>(old);
        this.bs = fs.sb.blockSize;
    }

    /** The largest logical block the inode's kind of map can hold, plus one. */
    static long maxBlocks(Superblock sb, Inode in) {
        if (in.hasFlag(Inode.EXTENTS_FL)) return 1L << 32;
        long per = sb.blockSize / 4;
        return IndirectBlocks.DIRECT + per + per * per + per * per * per;
    }

    static void write(Ext2fs fs, Inode in, FileMap m) throws Ext2Error {
        MapWriter w = new MapWriter(fs, in, m.mapBlocks);
        if (in.hasFlag(Inode.EXTENTS_FL)) w.extents(m);
        else w.indirect(m);
        for (long left : w.reusable) fs.tx.free(left, 1);
        m.mapBlocks.clear();
        m.mapBlocks.addAll(w.used);
        long eaBlocks = in.fileAcl != 0 ? 1 : 0;
        in.blocks512 = (m.dataBlocks() + m.mapBlocks.size() + eaBlocks) * (w.bs / 512);
        m.dirty = false;
    }

    /** A block for the map: one the old map had, else a new one near the file's data. */
    private long nextBlock(long goal) throws Ext2Error {
        long b = reusable.isEmpty() ? fs.alloc.allocBlocks(goal, 1)[0] : reusable.poll();
        used.add(b);
        return b;
    }

    // --- extents ----------------------------------------------------------------------------------

    private void extents(FileMap m) throws Ext2Error {
        List<long[]> entries = new ArrayList<>(); // {first logical, then the 12 bytes' other fields}
        for (FileMap.Run r : m.runs()) {
            int max = r.unwritten() ? MAX_UNWRITTEN_LEN : MAX_INIT_LEN;
            for (long done = 0; done < r.len(); done += max) {
                long len = Math.min(max, r.len() - done);
                entries.add(new long[] {r.lblk() + done, r.pblk() + done, len, r.unwritten() ? 1 : 0});
            }
        }
        long goal = entries.isEmpty() ? 0 : entries.get(0)[1];
        int perBlock = (bs - Extents.HEADER) / Extents.ENTRY;
        int depth = 0;
        List<byte[]> level = new ArrayList<>();
        for (long[] e : entries) level.add(depth == 0 ? extent(e) : null);
        List<Long> firsts = new ArrayList<>();
        for (long[] e : entries) firsts.add(e[0]);
        while (level.size() > ROOT_ENTRIES) {
            List<byte[]> up = new ArrayList<>();
            List<Long> upFirsts = new ArrayList<>();
            for (int i = 0; i < level.size(); i += perBlock) {
                int n = Math.min(perBlock, level.size() - i);
                long block = nextBlock(goal);
                byte[] node = fs.freshBlock(block);
                ByteBuffer b = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
                header(b, n, perBlock, depth);
                for (int k = 0; k < n; k++) b.put(Extents.HEADER + k * Extents.ENTRY, level.get(i + k));
                if (fs.sb.metadataCsum()) {
                    int tail = Extents.HEADER + perBlock * Extents.ENTRY;
                    b.putInt(tail, Crc32c.update(in.checksumSeed(fs.sb), node, 0, tail));
                }
                up.add(index(firsts.get(i), block));
                upFirsts.add(firsts.get(i));
            }
            level = up;
            firsts = upFirsts;
            depth++;
        }
        byte[] root = new byte[Inode.I_BLOCK_SIZE];
        ByteBuffer b = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN);
        header(b, level.size(), ROOT_ENTRIES, depth);
        for (int k = 0; k < level.size(); k++) b.put(Extents.HEADER + k * Extents.ENTRY, level.get(k));
        in.setIBlock(root);
    }

    private static void header(ByteBuffer b, int entries, int max, int depth) {
        b.putShort(0, (short) Extents.MAGIC);
        b.putShort(2, (short) entries);
        b.putShort(4, (short) max);
        b.putShort(6, (short) depth);
        b.putInt(8, 0);
    }

    private static byte[] extent(long[] e) {
        ByteBuffer b = ByteBuffer.allocate(Extents.ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) e[0]);
        b.putShort((short) (e[2] + (e[3] != 0 ? Extents.INIT_MAX_LEN : 0)));
        b.putShort((short) (e[1] >>> 32));
        b.putInt((int) e[1]);
        return b.array();
    }

    private static byte[] index(long first, long block) {
        ByteBuffer b = ByteBuffer.allocate(Extents.ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) first);
        b.putInt((int) block);
        b.putShort((short) (block >>> 32));
        b.putShort((short) 0);
        return b.array();
    }

    // --- indirect blocks --------------------------------------------------------------------------

    /** An indirect block being filled: its number, content and, above level 1, its children by slot. */
    private final class Indirect {
        final long block;
        final byte[] data;
        final Indirect[] children;

        Indirect(int level, long goal) throws Ext2Error {
            block = nextBlock(goal);
            data = fs.freshBlock(block);
            children = level > 1 ? new Indirect[bs / 4] : null;
        }
    }

    private void indirect(FileMap m) throws Ext2Error {
        long per = bs / 4;
        ByteBuffer root = ByteBuffer.allocate(Inode.I_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Indirect[] tops = new Indirect[3];
        for (FileMap.Run r : m.runs()) {
            if (r.unwritten()) throw new IllegalStateException("unwritten extents in a block-mapped file");
            for (long i = 0; i < r.len(); i++) {
                long lblk = r.lblk() + i;
                long pblk = r.pblk() + i;
                if (pblk >= 1L << 32) throw Ext2Error.corrupt("block " + pblk + " does not fit a block-mapped file");
                if (lblk < IndirectBlocks.DIRECT) {
                    root.putInt((int) lblk * 4, (int) pblk);
                    continue;
                }
                long rest = lblk - IndirectBlocks.DIRECT;
                int level = 1;
                long span = per;
                while (rest >= span) {
                    rest -= span;
                    level++;
                    span *= per;
                }
                if (level > 3) throw new Ext2Error(jrump.rumpkern.Errno.EFBIG, "block " + lblk + " beyond the triple indirect block");
                if (tops[level - 1] == null) {
                    tops[level - 1] = new Indirect(level, pblk);
                    root.putInt((IndirectBlocks.DIRECT + level - 1) * 4, (int) tops[level - 1].block);
                }
                Indirect node = tops[level - 1];
                for (int l = level; l > 1; l--) {
                    span /= per;
                    int slot = (int) (rest / span);
                    rest %= span;
                    if (node.children[slot] == null) {
                        node.children[slot] = new Indirect(l - 1, pblk);
                        ByteBuffer.wrap(node.data).order(ByteOrder.LITTLE_ENDIAN).putInt(slot * 4, (int) node.children[slot].block);
                    }
                    node = node.children[slot];
                }
                ByteBuffer.wrap(node.data).order(ByteOrder.LITTLE_ENDIAN).putInt((int) rest * 4, (int) pblk);
            }
        }
        in.setIBlock(root.array());
    }
}
