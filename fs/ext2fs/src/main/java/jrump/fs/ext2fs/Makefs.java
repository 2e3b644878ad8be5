package jrump.fs.ext2fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree.Attrs;
import jrump.rumpvfs.tool.MakefsTree.Dir;
import jrump.rumpvfs.tool.MakefsTree.File;
import jrump.rumpvfs.tool.MakefsTree.Node;
import jrump.rumpvfs.tool.MakefsTree.Special;
import jrump.rumpvfs.tool.MakefsTree.Symlink;

/**
 * Builds a new ext2, ext3 or ext4 image holding a tree (NetBSD makefs' role; newfs is makefs of an empty
 * tree): the layout is computed, file data is written as it is read (all-zero blocks become holes), then
 * the inode tables, directories, bitmaps, group descriptors and superblocks with their backups, with every
 * checksum the feature set needs. The result is what e2fsck -fn accepts as clean. No kernel is involved:
 * the caller supplies the tree and where the bytes go.
 */
public final class Makefs {
    /** Which feature set: ext2 (block maps), ext3 (ext2 + a journal), ext4 (extents, metadata_csum, ...). */
    public enum Flavor { EXT2, EXT3, EXT4 }

    /**
     * What to build. {@code sizeBytes} 0 picks a size that fits the tree with room to spare; {@code inodes}
     * 0 picks a count; {@code uuid} of 16 bytes, or null for one made from {@code seed}; times in
     * nanoseconds since 1970 for the file system's own stamps.
     */
    public record Options(Flavor flavor, int blockSize, long sizeBytes, long inodes, String label, byte[] uuid,
                          long seed, long nowNanos) {
        public Options {
            if (blockSize != 1024 && blockSize != 2048 && blockSize != 4096) throw new IllegalArgumentException("block size " + blockSize);
            if (label != null && label.getBytes(StandardCharsets.UTF_8).length > 16) throw new IllegalArgumentException("label longer than 16 bytes");
            if (uuid != null && uuid.length != 16) throw new IllegalArgumentException("uuid of " + uuid.length + " bytes");
        }
    }

    /** What was built. */
    public record Result(long blocks, int blockSize, long inodes, long freeBlocks, long freeInodes, int groups) {
    }

    private static final int INODE_SIZE = 256;
    private static final int EXTRA_ISIZE = 32;
    private static final long ROOT_INO = 2;
    private static final long JOURNAL_INO = 8;
    private static final int FIRST_INO = 11;
    private static final int LOST_FOUND_BLOCKS = 4;
    private static final int DIRENT_TAIL = 12;
    private static final int BG_ITABLE_ZEROED = 0x4;

    private final Options o;
    private final ImageWriter out;
    private final int bs;
    private final boolean ext4;
    private final boolean csum;
    private final boolean journal;
    private final byte[] uuid;
    private final int csumSeed;
    private long blocksCount;
    private long firstDataBlock;
    private long bpg;
    private long ipg;
    private int groups;
    private int gdtBlocks;
    private int itableBlocks;
    private BitSet used;
    private long cursor;
    private long journalBlocks;
    private final Map<Node, Long> inos = new IdentityHashMap<>();
    private final Map<Long, Node> byIno = new java.util.TreeMap<>();
    private final Map<Long, Integer> links = new java.util.HashMap<>();
    private final Map<Long, Long> parents = new java.util.HashMap<>();
    /** Each inode's data: extents (lblk, pblk, len) and the extra blocks its map needs (index or indirect). */
    private final Map<Long, List<long[]>> extents = new java.util.HashMap<>();
    private final Map<Long, byte[]> iblock = new java.util.HashMap<>();
    private final Map<Long, Long> sectors = new java.util.HashMap<>();
    private final Map<Long, Long> sizes = new java.util.HashMap<>();

    private Makefs(Options o, ImageWriter out) {
        this.o = o;
        this.out = out;
        this.bs = o.blockSize();
        this.ext4 = o.flavor() == Flavor.EXT4;
        this.csum = ext4;
        this.journal = o.flavor() != Flavor.EXT2;
        this.uuid = o.uuid() != null ? o.uuid().clone() : randomUuid(new long[] {o.seed()});
        this.csumSeed = Crc32c.update(~0, uuid, 0, 16);
    }

    /**
     * splitmix64: the seed's own stream of numbers. A kernel module takes no randomness from the JDK (the
     * hypervisor owns it); a tool passes a seed, so an image is reproducible from its options.
     */
    private static long next(long[] state) {
        long z = (state[0] += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[] randomUuid(long[] state) {
        byte[] u = new byte[16];
        ByteBuffer.wrap(u).putLong(next(state)).putLong(next(state));
        u[6] = (byte) ((u[6] & 0x0f) | 0x40); // version 4
        u[8] = (byte) ((u[8] & 0x3f) | 0x80);
        return u;
    }

    /** Builds the image of {@code root} into {@code out}. IllegalArgumentException when it cannot fit. */
    public static Result build(Dir root, Options o, ImageWriter out) throws IOException {
        return new Makefs(o, out).run(root);
    }

    private Result run(Dir root) throws IOException {
        Dir top = withLostFound(root);
        number(top, ROOT_INO, new long[] {FIRST_INO + 1});
        long dataBlocks = estimateBlocks(top);
        layout(dataBlocks);
        if (journal) makeJournal();
        for (Map.Entry<Long, Node> e : byIno.entrySet()) writeData(e.getKey(), e.getValue());
        writeMetadata();
        long usedInodes = byIno.keySet().stream().filter(i -> i >= FIRST_INO).count();
        return new Result(blocksCount, bs, groups * ipg, freeBlocks(), groups * ipg - (FIRST_INO - 1) - usedInodes, groups);
    }

    // --- the tree -------------------------------------------------------------------------------

    private Dir withLostFound(Dir root) {
        for (Map.Entry<String, Node> e : root.entries()) if (e.getKey().equals("lost+found")) return root;
        List<Map.Entry<String, Node>> entries = new ArrayList<>(root.entries());
        long t = o.nowNanos();
        entries.add(Map.entry("lost+found", new Dir(new Attrs(0700, 0, 0, t, t, t), List.of())));
        return new Dir(root.attrs(), entries);
    }

    /** Inode numbers: the root 2, lost+found 11, the rest from 12 in tree order; links counted. */
    private void number(Dir dir, long ino, long[] next) {
        inos.put(dir, ino);
        byIno.put(ino, dir);
        links.put(ino, 2);
        for (Map.Entry<String, Node> e : dir.entries()) {
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
                    || name.getBytes(StandardCharsets.UTF_8).length > Ext2Dir.NAME_MAX) {
                throw new IllegalArgumentException("name not allowed in ext2: \"" + name + "\"");
            }
            Node n = e.getValue();
            Long existing = inos.get(n);
            if (existing != null) {
                if (n instanceof Dir) throw new IllegalArgumentException("a directory under two names: " + name);
                links.merge(existing, 1, Integer::sum);
                continue;
            }
            long child = n instanceof Dir && name.equals("lost+found") && ino == ROOT_INO ? FIRST_INO : next[0]++;
            if (n instanceof Dir d) {
                links.merge(ino, 1, Integer::sum); // its ".."
                parents.put(child, ino);
                number(d, child, next);
            } else {
                inos.put(n, child);
                byIno.put(child, n);
                links.put(child, 1);
            }
        }
        if (ino == ROOT_INO) parents.put(ROOT_INO, ROOT_INO);
    }

    /** Directory bytes: "." and "..", then the entries, packed into blocks as ext2 does. */
    private List<byte[]> dirBlocks(long ino, Dir d) {
        List<byte[]> blocks = new ArrayList<>();
        int room = bs - (csum ? DIRENT_TAIL : 0);
        ByteBuffer cur = null;
        int lastEntry = -1;
        List<Object[]> all = new ArrayList<>();
        all.add(new Object[] {ino, ".", Ext2Dir.FT_DIR});
        all.add(new Object[] {parents.get(ino), "..", Ext2Dir.FT_DIR});
        for (Map.Entry<String, Node> e : d.entries()) all.add(new Object[] {inos.get(e.getValue()), e.getKey(), fileType(e.getValue())});
        for (Object[] entry : all) {
            byte[] name = ((String) entry[1]).getBytes(StandardCharsets.UTF_8);
            int len = (8 + name.length + 3) & ~3;
            if (cur == null || cur.position() + len > room) {
                if (cur != null) finishDirBlock(ino, cur, lastEntry, room);
                cur = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
                blocks.add(cur.array());
            }
            lastEntry = cur.position();
            cur.putInt((int) (long) (Long) entry[0]).putShort((short) len).put((byte) name.length).put((byte) (int) (Integer) entry[2]).put(name);
            cur.position(lastEntry + len);
        }
        finishDirBlock(ino, cur, lastEntry, room);
        if (ino == FIRST_INO) {
            while (blocks.size() < LOST_FOUND_BLOCKS) {
                ByteBuffer empty = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
                empty.putInt(0).putShort((short) room);
                blocks.add(empty.array());
                finishDirBlock(ino, empty, 0, room);
            }
        }
        return blocks;
    }

    /** The last entry's rec_len reaches the end (or the checksum tail, which is added). */
    private void finishDirBlock(long ino, ByteBuffer b, int lastEntry, int room) {
        b.putShort(lastEntry + 4, (short) (room - lastEntry));
        if (csum) {
            int t = bs - DIRENT_TAIL;
            b.putInt(t, 0).putShort(t + 4, (short) DIRENT_TAIL).put(t + 6, (byte) 0).put(t + 7, (byte) 0xDE);
        }
    }

    /** The dirent tail's checksum, once the inode's generation (0) is known: crc32c over the entries. */
    private void sealDirBlock(long ino, byte[] blk) {
        if (!csum) return;
        int crc = Crc32c.updateInt(Crc32c.updateInt(csumSeed, (int) ino), 0);
        crc = Crc32c.update(crc, blk, 0, bs - DIRENT_TAIL);
        ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN).putInt(bs - 4, crc);
    }

    private static int fileType(Node n) {
        return switch (n) {
            case Dir d -> Ext2Dir.FT_DIR;
            case File f -> Ext2Dir.FT_REG;
            case Symlink s -> Ext2Dir.FT_SYMLINK;
            case Special s -> switch (s.type()) {
                case Inode.S_IFCHR -> Ext2Dir.FT_CHRDEV;
                case Inode.S_IFBLK -> Ext2Dir.FT_BLKDEV;
                case Inode.S_IFIFO -> Ext2Dir.FT_FIFO;
                default -> Ext2Dir.FT_SOCK;
            };
        };
    }

    // --- layout ---------------------------------------------------------------------------------

    private long estimateBlocks(Dir top) {
        long blocks = 0;
        for (Node n : byIno.values()) {
            long dataBlocks = switch (n) {
                case File f -> (f.size() + bs - 1) / bs;
                case Dir d -> Math.max(dirBlocksEstimate(d), 1) + (d == byIno.get((long) FIRST_INO) ? LOST_FOUND_BLOCKS : 0);
                case Symlink s -> s.target().getBytes(StandardCharsets.UTF_8).length < Inode.I_BLOCK_SIZE ? 0 : 1;
                case Special s -> 0;
            };
            // map blocks: an index or indirect block per ~1000 data blocks, generously
            blocks += dataBlocks + dataBlocks / (bs / 4 - 2) + (dataBlocks > 12 ? 2 : 0);
        }
        return blocks;
    }

    private long dirBlocksEstimate(Dir d) {
        long bytes = 24;
        for (Map.Entry<String, Node> e : d.entries()) bytes += (8 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 3) & ~3;
        return (bytes + bs - DIRENT_TAIL - 1) / (bs - DIRENT_TAIL) + 1;
    }

    private void layout(long dataBlocks) {
        long inodesWanted = o.inodes() > 0 ? o.inodes() : Math.max(byIno.size() + FIRST_INO + 16, 0);
        journalBlocks = journal ? journalBlocksFor(dataBlocks) : 0;
        if (o.sizeBytes() > 0) {
            blocksCount = o.sizeBytes() / bs;
        } else {
            // room for the data, the journal, a quarter more, and the groups' own metadata
            long want = dataBlocks + journalBlocks;
            blocksCount = Math.max(want + want / 4 + 64 + inodesWanted * INODE_SIZE / bs * 2, 2048 * 1024L / bs);
        }
        firstDataBlock = bs == 1024 ? 1 : 0;
        bpg = 8L * bs;
        if (inodesWanted == 0 || o.inodes() == 0) {
            // mke2fs' default: an inode per 16 KiB, at least what the tree needs
            inodesWanted = Math.max(inodesWanted, blocksCount * bs / 16384);
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            groups = (int) ((blocksCount - firstDataBlock + bpg - 1) / bpg);
            int perBlock = bs / INODE_SIZE;
            ipg = (inodesWanted + groups - 1) / groups;
            ipg = Math.max(16, ((ipg + perBlock - 1) / perBlock) * perBlock);
            ipg = (ipg + 7) / 8 * 8;
            if (ipg > 8L * bs) throw new IllegalArgumentException("too many inodes for " + groups + " groups");
            itableBlocks = (int) (ipg * INODE_SIZE / bs);
            gdtBlocks = (groups * Superblock.DESC_SIZE_32 + bs - 1) / bs;
            long lastGroupBlocks = blocksCount - firstDataBlock - (long) (groups - 1) * bpg;
            long lastOverhead = (Superblock.sparseGroupHasBackup(groups - 1) ? 1 + gdtBlocks : 0) + 2 + itableBlocks;
            if (groups > 1 && lastGroupBlocks < lastOverhead + 50) {
                blocksCount = firstDataBlock + (long) (groups - 1) * bpg; // drop a runt last group, as mke2fs does
                continue;
            }
            break;
        }
        if (blocksCount > 0xffffffffL) throw new IllegalArgumentException("more than 2^32 blocks needs 64bit");
        used = new BitSet();
        for (long b = 0; b < firstDataBlock; b++) used.set((int) b);
        for (int g = 0; g < groups; g++) {
            long start = groupStart(g);
            long meta = (Superblock.sparseGroupHasBackup(g) ? 1 + gdtBlocks : 0) + 2 + itableBlocks;
            used.set((int) start, (int) (start + meta));
        }
        long needed = used.cardinality() + dataBlocks + journalBlocks;
        if (needed > blocksCount) {
            throw new IllegalArgumentException("the tree needs about " + needed + " blocks of " + bs + " bytes; the image has " + blocksCount);
        }
        cursor = firstDataBlock;
    }

    private long groupStart(int g) {
        return firstDataBlock + (long) g * bpg;
    }

    private long groupEnd(int g) {
        return Math.min(groupStart(g) + bpg, blocksCount);
    }

    private long blockBitmap(int g) {
        return groupStart(g) + (Superblock.sparseGroupHasBackup(g) ? 1 + gdtBlocks : 0);
    }

    private long inodeBitmap(int g) {
        return blockBitmap(g) + 1;
    }

    private long inodeTable(int g) {
        return blockBitmap(g) + 2;
    }


    private static long journalBlocksFor(long dataBlocks) {
        return dataBlocks < 32768 ? 1024 : dataBlocks < 262144 ? 4096 : dataBlocks < 524288 ? 8192 : 16384;
    }

    /** The next run of free blocks, at most {@code max} long. */
    private long[] allocate(long max) {
        int start = used.nextClearBit((int) cursor);
        if (start >= blocksCount) throw new IllegalArgumentException("the image is full");
        int end = start;
        while (end < blocksCount && end - start < max && !used.get(end)) end++;
        used.set(start, end);
        cursor = end;
        return new long[] {start, end - start};
    }

    // --- data -----------------------------------------------------------------------------------

    private void makeJournal() throws IOException {
        long n = journalBlocks;
        List<long[]> runs = new ArrayList<>();
        long lblk = 0;
        while (lblk < n) {
            long[] r = allocate(Math.min(n - lblk, Extents.INIT_MAX_LEN));
            runs.add(new long[] {lblk, r[0], r[1]});
            lblk += r[1];
        }
        // the journal superblock (jbd2 v2, big-endian); every other journal block zero
        ByteBuffer jsb = ByteBuffer.allocate(bs);
        jsb.putInt(0, Journal.MAGIC).putInt(4, Journal.SUPERBLOCK_V2).putInt(8, 0);
        jsb.putInt(0xC, bs).putInt(0x10, (int) n).putInt(0x14, 1).putInt(0x18, 1).putInt(0x1C, 0);
        jsb.put(0x30, uuid);
        jsb.putInt(0x40, 1); // s_nr_users
        jsb.putInt(0x48, 0).putInt(0x4C, 0);
        byte[] zero = new byte[bs];
        for (long[] r : runs) {
            for (long b = 0; b < r[2]; b++) out.write((r[1] + b) * bs, ByteBuffer.wrap(zero));
        }
        out.write(runs.get(0)[1] * bs, jsb.rewind());
        finishMap(JOURNAL_INO, runs, n * bs);
        sizes.put(JOURNAL_INO, n * bs);
    }

    private void writeData(long ino, Node n) throws IOException {
        switch (n) {
            case File f -> writeFile(ino, f);
            case Dir d -> {
                List<byte[]> blocks = dirBlocks(ino, d);
                List<long[]> runs = new ArrayList<>();
                long lblk = 0;
                while (lblk < blocks.size()) {
                    long[] r = allocate(blocks.size() - lblk);
                    for (int i = 0; i < r[1]; i++) {
                        byte[] blk = blocks.get((int) (lblk + i));
                        sealDirBlock(ino, blk);
                        out.write((r[0] + i) * bs, ByteBuffer.wrap(blk));
                    }
                    runs.add(new long[] {lblk, r[0], r[1]});
                    lblk += r[1];
                }
                sizes.put(ino, (long) blocks.size() * bs);
                finishMap(ino, runs, (long) blocks.size() * bs);
            }
            case Symlink s -> {
                byte[] t = s.target().getBytes(StandardCharsets.UTF_8);
                if (t.length >= bs || t.length > 4095) throw new IllegalArgumentException("symlink target of " + t.length + " bytes");
                sizes.put(ino, (long) t.length);
                if (t.length < Inode.I_BLOCK_SIZE) {
                    iblock.put(ino, java.util.Arrays.copyOf(t, Inode.I_BLOCK_SIZE)); // fast: in i_block
                    sectors.put(ino, 0L);
                } else {
                    long[] r = allocate(1);
                    byte[] blk = java.util.Arrays.copyOf(t, bs);
                    out.write(r[0] * bs, ByteBuffer.wrap(blk));
                    finishMap(ino, List.<long[]>of(new long[] {0, r[0], 1}), t.length);
                }
            }
            case Special s -> {
                sizes.put(ino, 0L);
                sectors.put(ino, 0L);
                ByteBuffer ib = ByteBuffer.allocate(Inode.I_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                if (s.type() == Inode.S_IFCHR || s.type() == Inode.S_IFBLK) {
                    if (s.major() < 256 && s.minor() < 256) {
                        ib.putInt(0, (s.major() << 8) | s.minor());
                    } else {
                        ib.putInt(4, (s.minor() & 0xff) | (s.major() << 8) | ((s.minor() & ~0xff) << 12));
                    }
                }
                iblock.put(ino, ib.array());
            }
        }
    }

    /** Blocks read and written at a time: large transfers, few calls. */
    private static final int CHUNK_BLOCKS = 256;
    private ByteBuffer chunkBuffer;

    /**
     * Reads the content once, in chunks: all-zero blocks become holes, the others are placed in runs as
     * long as the free space allows, and each stretch of a chunk that lands contiguously is one write.
     */
    private void writeFile(long ino, File f) throws IOException {
        List<long[]> runs = new ArrayList<>();
        long nblocks = (f.size() + bs - 1) / bs;
        if (chunkBuffer == null) chunkBuffer = ByteBuffer.allocate(CHUNK_BLOCKS * bs); // one for all files
        ByteBuffer buf = chunkBuffer;
        long[] open = null;
        for (long chunk = 0; chunk < nblocks; chunk += CHUNK_BLOCKS) {
            int blocks = (int) Math.min(CHUNK_BLOCKS, nblocks - chunk);
            long off = chunk * bs;
            int want = (int) Math.min((long) blocks * bs, f.size() - off);
            buf.clear().limit(want);
            while (buf.hasRemaining()) {
                int r = f.content().read(off + buf.position(), buf);
                if (r < 0) throw new IOException("file shorter than its size " + f.size());
            }
            byte[] data = buf.array();
            java.util.Arrays.fill(data, want, blocks * bs, (byte) 0);
            int writeFrom = -1;
            long writeAt = 0;
            for (int i = 0; i < blocks; i++) {
                long lblk = chunk + i;
                if (allZero(data, i * bs, bs)) {
                    open = null;
                    writeFrom = flush(data, writeFrom, i, writeAt);
                    continue;
                }
                long phys;
                if (open != null && open[2] < Extents.INIT_MAX_LEN && open[1] + open[2] < blocksCount && !used.get((int) (open[1] + open[2]))) {
                    phys = open[1] + open[2];
                    used.set((int) phys);
                    open[2]++;
                } else {
                    long[] r = allocate(1);
                    phys = r[0];
                    open = new long[] {lblk, phys, 1};
                    runs.add(open);
                }
                if (writeFrom >= 0 && writeAt + (i - writeFrom) != phys) writeFrom = flush(data, writeFrom, i, writeAt);
                if (writeFrom < 0) {
                    writeFrom = i;
                    writeAt = phys;
                }
            }
            flush(data, writeFrom, blocks, writeAt);
        }
        sizes.put(ino, f.size());
        finishMap(ino, runs, f.size());
    }

    /** Writes blocks [from, to) of the chunk at {@code at}; returns -1 (nothing pending). */
    private int flush(byte[] data, int from, int to, long at) throws IOException {
        if (from >= 0 && to > from) out.write(at * bs, ByteBuffer.wrap(data, from * bs, (to - from) * bs).slice());
        return -1;
    }

    private static boolean allZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) if (b[i] != 0) return false;
        return true;
    }

    /** Records an inode's block map: extents (ext4) or the direct and indirect blocks (ext2/ext3). */
    private void finishMap(long ino, List<long[]> runs, long size) throws IOException {
        long dataBlocks = 0;
        for (long[] r : runs) dataBlocks += r[2];
        long mapBlocks = ext4 ? extentMap(ino, runs) : indirectMap(ino, runs);
        sectors.put(ino, (dataBlocks + mapBlocks) * (bs / 512));
        extents.put(ino, runs);
    }

    private long extentMap(long ino, List<long[]> runs) throws IOException {
        ByteBuffer root = ByteBuffer.allocate(Inode.I_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int rootMax = (Inode.I_BLOCK_SIZE - Extents.HEADER) / Extents.ENTRY;
        if (runs.size() <= rootMax) {
            header(root, runs.size(), rootMax, 0);
            for (int i = 0; i < runs.size(); i++) extent(root, Extents.HEADER + i * Extents.ENTRY, runs.get(i));
            iblock.put(ino, root.array());
            return 0;
        }
        int leafMax = (bs - Extents.HEADER) / Extents.ENTRY;
        int leaves = (runs.size() + leafMax - 1) / leafMax;
        if (leaves > rootMax) throw new IllegalArgumentException("inode " + ino + ": " + runs.size() + " extents need a deeper tree");
        header(root, leaves, rootMax, 1);
        for (int l = 0; l < leaves; l++) {
            List<long[]> part = runs.subList(l * leafMax, Math.min(runs.size(), (l + 1) * leafMax));
            long[] blk = allocate(1);
            ByteBuffer leaf = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
            header(leaf, part.size(), leafMax, 0);
            for (int i = 0; i < part.size(); i++) extent(leaf, Extents.HEADER + i * Extents.ENTRY, part.get(i));
            int tail = Extents.HEADER + leafMax * Extents.ENTRY;
            int crc = Crc32c.update(Crc32c.updateInt(Crc32c.updateInt(csumSeed, (int) ino), 0), leaf.array(), 0, tail);
            leaf.putInt(tail, crc);
            out.write(blk[0] * bs, ByteBuffer.wrap(leaf.array()));
            int e = Extents.HEADER + l * Extents.ENTRY;
            root.putInt(e, (int) part.get(0)[0]).putInt(e + 4, (int) blk[0]).putShort(e + 8, (short) (blk[0] >>> 32)).putShort(e + 10, (short) 0);
        }
        iblock.put(ino, root.array());
        return leaves;
    }

    private static void header(ByteBuffer b, int entries, int max, int depth) {
        b.putShort(0, (short) Extents.MAGIC).putShort(2, (short) entries).putShort(4, (short) max).putShort(6, (short) depth).putInt(8, 0);
    }

    private static void extent(ByteBuffer b, int at, long[] run) {
        b.putInt(at, (int) run[0]).putShort(at + 4, (short) run[2]).putShort(at + 6, (short) (run[1] >>> 32)).putInt(at + 8, (int) run[1]);
    }

    /** The ext2 block map: 12 direct numbers, then single, double and triple indirect blocks. */
    private long indirectMap(long ino, List<long[]> runs) throws IOException {
        Map<Long, Long> map = new java.util.TreeMap<>();
        for (long[] r : runs) for (long i = 0; i < r[2]; i++) map.put(r[0] + i, r[1] + i);
        ByteBuffer ib = ByteBuffer.allocate(Inode.I_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long per = bs / 4;
        long[] extra = {0};
        for (int i = 0; i < IndirectBlocks.DIRECT; i++) {
            Long p = map.get((long) i);
            if (p != null) ib.putInt(i * 4, (int) (long) p);
        }
        long base = IndirectBlocks.DIRECT;
        long span = per;
        for (int level = 1; level <= 3; level++) {
            long first = base;
            long last = base + span;
            boolean any = ((java.util.TreeMap<Long, Long>) map).subMap(first, last).size() > 0;
            if (any) ib.putInt((IndirectBlocks.DIRECT + level - 1) * 4, (int) indirect(map, first, level, per, extra));
            base = last;
            span *= per;
        }
        iblock.put(ino, ib.array());
        return extra[0];
    }

    /** Writes the indirect block of {@code level} covering from logical block {@code first}; returns its number. */
    private long indirect(Map<Long, Long> map, long first, int level, long per, long[] extra) throws IOException {
        long[] blk = allocate(1);
        extra[0]++;
        ByteBuffer b = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
        long childSpan = 1;
        for (int i = 1; i < level; i++) childSpan *= per;
        java.util.TreeMap<Long, Long> tm = (java.util.TreeMap<Long, Long>) map;
        for (int i = 0; i < per; i++) {
            long from = first + i * childSpan;
            if (level == 1) {
                Long p = tm.get(from);
                if (p != null) b.putInt(i * 4, (int) (long) p);
            } else if (!tm.subMap(from, from + childSpan).isEmpty()) {
                b.putInt(i * 4, (int) indirect(map, from, level - 1, per, extra));
            }
        }
        out.write(blk[0] * bs, ByteBuffer.wrap(b.array()));
        return blk[0];
    }

    // --- metadata -------------------------------------------------------------------------------

    private long freeBlocks() {
        return blocksCount - used.cardinality();
    }

    private void writeMetadata() throws IOException {
        long[] freeB = new long[groups];
        long[] freeI = new long[groups];
        long[] dirs = new long[groups];
        byte[][] descs = new byte[groups][];
        for (int g = 0; g < groups; g++) {
            // block bitmap: this group's blocks, and the bits past the last block set (as e2fsck wants)
            byte[] bb = new byte[bs];
            long start = groupStart(g);
            for (long b = start; b < start + bpg; b++) {
                if (b >= blocksCount || used.get((int) b)) bb[(int) ((b - start) / 8)] |= (byte) (1 << ((b - start) % 8));
            }
            for (long bit = bpg; bit < 8L * bs; bit++) bb[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
            long free = 0;
            for (long b = start; b < groupEnd(g); b++) if (!used.get((int) b)) free++;
            freeB[g] = free;
            byte[] ibm = new byte[bs];
            for (long i = 0; i < ipg; i++) {
                long ino = (long) g * ipg + i + 1;
                if (ino < FIRST_INO || byIno.containsKey(ino)) ibm[(int) (i / 8)] |= (byte) (1 << (i % 8));
                if (ino >= FIRST_INO && !byIno.containsKey(ino)) freeI[g]++;
                if (byIno.get(ino) instanceof Dir) dirs[g]++;
            }
            for (long bit = ipg; bit < 8L * bs; bit++) ibm[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
            out.write(blockBitmap(g) * bs, ByteBuffer.wrap(bb));
            out.write(inodeBitmap(g) * bs, ByteBuffer.wrap(ibm));
            writeInodeTable(g);
            ByteBuffer d = ByteBuffer.allocate(Superblock.DESC_SIZE_32).order(ByteOrder.LITTLE_ENDIAN);
            d.putInt(0x0, (int) blockBitmap(g)).putInt(0x4, (int) inodeBitmap(g)).putInt(0x8, (int) inodeTable(g));
            d.putShort(0xC, (short) freeB[g]).putShort(0xE, (short) freeI[g]).putShort(0x10, (short) dirs[g]);
            if (csum) {
                d.putShort(0x12, (short) BG_ITABLE_ZEROED);
                d.putShort(0x18, (short) Crc32c.update(csumSeed, bb, 0, (int) (bpg / 8)));
                d.putShort(0x1A, (short) Crc32c.update(csumSeed, ibm, 0, (int) (ipg / 8)));
                byte[] raw = d.array();
                d.putShort(GroupDesc.OFF_CHECKSUM, (short) GroupDesc.metadataChecksum(g, raw, 0, raw.length, csumSeed));
            }
            descs[g] = d.array();
        }
        byte[] gdt = new byte[gdtBlocks * bs];
        for (int g = 0; g < groups; g++) System.arraycopy(descs[g], 0, gdt, g * Superblock.DESC_SIZE_32, Superblock.DESC_SIZE_32);
        long totalFreeB = 0;
        long totalFreeI = 0;
        for (int g = 0; g < groups; g++) {
            totalFreeB += freeB[g];
            totalFreeI += freeI[g];
        }
        for (int g = 0; g < groups; g++) {
            if (!Superblock.sparseGroupHasBackup(g)) continue;
            byte[] sb = superblock(g, totalFreeB, totalFreeI);
            long at = g == 0 ? Superblock.OFFSET : groupStart(g) * bs;
            out.write(at, ByteBuffer.wrap(sb));
            out.write((groupStart(g) + 1) * bs, ByteBuffer.wrap(gdt));
        }
    }

    private void writeInodeTable(int g) throws IOException {
        byte[] table = new byte[itableBlocks * bs];
        for (long i = 0; i < ipg; i++) {
            long ino = (long) g * ipg + i + 1;
            byte[] raw = inode(ino);
            if (raw != null) System.arraycopy(raw, 0, table, (int) (i * INODE_SIZE), INODE_SIZE);
        }
        out.write(inodeTable(g) * bs, ByteBuffer.wrap(table));
    }

    /** The on-disk inode of {@code ino}, or null for an unused one (reserved ones but root and journal too). */
    private byte[] inode(long ino) {
        Node n = byIno.get(ino);
        boolean isJournal = journal && ino == JOURNAL_INO;
        if (n == null && !isJournal) return null;
        ByteBuffer b = ByteBuffer.allocate(INODE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long t = o.nowNanos();
        Attrs a = n != null ? n.attrs() : new Attrs(0600, 0, 0, t, t, t);
        int type = switch (n) {
            case null -> Inode.S_IFREG;
            case Dir d -> Inode.S_IFDIR;
            case File f -> Inode.S_IFREG;
            case Symlink s -> Inode.S_IFLNK;
            case Special s -> s.type();
        };
        long size = sizes.getOrDefault(ino, 0L);
        b.putShort(0x0, (short) (type | (a.perm() & 07777)));
        b.putShort(0x2, (short) a.uid()).putShort(0x78, (short) (a.uid() >>> 16));
        b.putShort(0x18, (short) a.gid()).putShort(0x7A, (short) (a.gid() >>> 16));
        b.putInt(0x4, (int) size).putInt(0x6C, (int) (size >>> 32));
        time(b, 0x8, 0x8C, a.atime());
        time(b, 0xC, 0x84, a.ctime());
        time(b, 0x10, 0x88, a.mtime());
        time(b, 0x90, 0x94, t);
        b.putShort(0x1A, (short) (n == null ? 1 : (int) links.get(ino)));
        long sec = sectors.getOrDefault(ino, 0L);
        b.putInt(0x1C, (int) sec).putShort(0x74, (short) (sec >>> 32));
        boolean fastSymlink = n instanceof Symlink && size < Inode.I_BLOCK_SIZE;
        boolean usesExtents = ext4 && !(n instanceof Special) && !fastSymlink;
        b.putInt(0x20, usesExtents ? Inode.EXTENTS_FL : 0);
        byte[] ib = iblock.get(ino);
        if (ib != null) b.put(0x28, ib);
        b.putShort(0x80, (short) EXTRA_ISIZE);
        if (csum) {
            byte[] raw = b.array();
            int crc = Crc32c.updateInt(Crc32c.updateInt(csumSeed, (int) ino), 0);
            crc = Crc32c.update(crc, raw, 0, raw.length);
            b.putShort(0x7C, (short) crc).putShort(0x82, (short) (crc >>> 16));
        }
        return b.array();
    }

    private static void time(ByteBuffer b, int secOff, int extraOff, long nanos) {
        long sec = Math.floorDiv(nanos, 1_000_000_000L);
        long nsec = Math.floorMod(nanos, 1_000_000_000L);
        b.putInt(secOff, (int) sec);
        long epoch = (sec - (int) sec) >> 32;
        b.putInt(extraOff, (int) ((nsec << 2) | (epoch & 3)));
    }

    private byte[] superblock(int group, long freeB, long freeI) {
        ByteBuffer s = ByteBuffer.allocate(Superblock.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long now = Math.floorDiv(o.nowNanos(), 1_000_000_000L);
        s.putInt(0x0, (int) (groups * ipg)).putInt(0x4, (int) blocksCount).putInt(0x8, 0);
        s.putInt(0xC, (int) freeB).putInt(0x10, (int) freeI).putInt(0x14, (int) firstDataBlock);
        int log = Integer.numberOfTrailingZeros(bs) - 10;
        s.putInt(0x18, log).putInt(0x1C, log).putInt(0x20, (int) bpg).putInt(0x24, (int) bpg).putInt(0x28, (int) ipg);
        s.putInt(0x2C, 0).putInt(0x30, (int) now).putShort(0x34, (short) 0).putShort(0x36, (short) -1);
        s.putShort(0x38, (short) Superblock.MAGIC).putShort(0x3A, (short) 1).putShort(0x3C, (short) 1).putShort(0x3E, (short) 0);
        s.putInt(0x40, (int) now).putInt(0x44, 0).putInt(0x48, 0).putInt(0x4C, Superblock.DYNAMIC_REV);
        s.putInt(0x54, FIRST_INO).putShort(0x58, (short) INODE_SIZE).putShort(0x5A, (short) group);
        int compat = Features.COMPAT_EXT_ATTR | (journal ? Features.COMPAT_HAS_JOURNAL : 0);
        int incompat = Features.INCOMPAT_FILETYPE | (ext4 ? Features.INCOMPAT_EXTENTS : 0);
        int roCompat = Features.RO_COMPAT_SPARSE_SUPER | Features.RO_COMPAT_LARGE_FILE
                | (ext4 ? Features.RO_COMPAT_HUGE_FILE | Features.RO_COMPAT_DIR_NLINK | Features.RO_COMPAT_EXTRA_ISIZE
                        | Features.RO_COMPAT_METADATA_CSUM : 0);
        s.putInt(0x5C, compat).putInt(0x60, incompat).putInt(0x64, roCompat);
        s.put(0x68, uuid);
        if (o.label() != null) s.put(0x78, o.label().getBytes(StandardCharsets.UTF_8));
        if (journal) {
            s.putInt(0xE0, (int) JOURNAL_INO);
            s.put(0xFD, (byte) 1); // s_jnl_backup_type: EXT3_JNL_BACKUP_BLOCKS
            byte[] ib = iblock.get(JOURNAL_INO);
            s.put(0x10C, ib, 0, Inode.I_BLOCK_SIZE);
            long jsize = sizes.get(JOURNAL_INO);
            s.putInt(0x10C + 15 * 4, (int) (jsize >>> 32)).putInt(0x10C + 16 * 4, (int) jsize);
        }
        long[] state = {o.seed() ^ 0x5eed};
        for (int i = 0; i < 4; i++) s.putInt(0xEC + 4 * i, (int) next(state));
        s.put(0xFC, (byte) 1); // half_md4, should a directory get an index
        s.putInt(0x108, (int) now);
        s.putShort(0x15C, (short) EXTRA_ISIZE).putShort(0x15E, (short) EXTRA_ISIZE);
        s.putInt(0x160, 0x1); // signed directory hash
        if (csum) {
            s.put(0x175, (byte) Superblock.CHECKSUM_TYPE_CRC32C);
            s.putInt(0x3FC, Superblock.checksum(s.array()));
        }
        return s.array();
    }
}
