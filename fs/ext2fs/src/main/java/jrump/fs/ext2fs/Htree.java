package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the hash index of an htree directory as names are added (directory.rst, "Hash Tree Directories";
 * Linux's namei.c dx_add_entry, make_indexed_dir): the name's hash picks a leaf through the root (and one
 * level of interior nodes); a full leaf is split at the median hash into a new block whose first hash goes
 * into the parent; a full root grows a level. A directory that outgrows its first block is turned into an
 * htree. What this cannot keep (three levels, a damaged or unusual root) it reports, and the caller makes
 * the directory linear instead — valid, just unindexed.
 */
final class Htree {
    /** The fake "." entry, then ".." covering the rest of the root block, then dx_root_info. */
    private static final int ROOT_INFO = 0x18;
    private static final int INFO_LENGTH = 8;
    /** dx_countlimit in an interior node: after its fake empty entry header. */
    private static final int NODE_COUNT = 8;
    private static final int ENTRY = 8;
    /** dx_tail: t_reserved, t_checksum. */
    private static final int DX_TAIL = 8;

    private final Ext2fs fs;
    private final DirWriter dirs;
    private final int bs;

    Htree(Ext2fs fs, DirWriter dirs) {
        this.fs = fs;
        this.dirs = dirs;
        this.bs = fs.sb.blockSize;
    }

    private int tail() {
        return fs.sb.metadataCsum() ? DX_TAIL : 0;
    }

    int rootLimit() {
        return (bs - ROOT_INFO - INFO_LENGTH - tail()) / ENTRY;
    }

    int nodeLimit() {
        return (bs - NODE_COUNT - tail()) / ENTRY;
    }

    /** One dx block as read: where its count/limit is, and its entries (hash, logical block). */
    private final class Node {
        final long lblk;
        final long pblk;
        final byte[] data;
        final int countOff;
        final int limit;
        final List<long[]> entries = new ArrayList<>();

        Node(Inode dir, long lblk, int countOff, int expectedLimit) throws Ext2Error {
            this.lblk = lblk;
            this.pblk = fs.map(dir, lblk).physical();
            if (pblk == 0) throw new Ext2Error(jrump.rumpkern.Errno.EIO, "htree block " + lblk + " is a hole");
            this.data = fs.readMetadataBlock(pblk, "directory " + dir.ino);
            this.countOff = countOff;
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            this.limit = b.getShort(countOff) & 0xffff;
            int count = b.getShort(countOff + 2) & 0xffff;
            if (limit != expectedLimit || count == 0 || count > limit) throw new Unkept("dx block " + lblk + ": count " + count + ", limit " + limit);
            for (int i = 0; i < count; i++) {
                long hash = i == 0 ? 0 : b.getInt(countOff + i * ENTRY) & 0xffffffffL;
                long block = b.getInt(countOff + i * ENTRY + 4) & 0xffffffffL;
                if (block == 0 && i > 0 || block >= dir.size / bs) throw new Unkept("dx block " + lblk + " points at block " + block);
                entries.add(new long[] {hash, block});
            }
        }

        /** The entry a hash belongs under: the last whose hash is not above it. */
        int find(long hash) {
            int pick = 0;
            for (int i = 1; i < entries.size(); i++) {
                if (entries.get(i)[0] > hash) break;
                pick = i;
            }
            return pick;
        }

        boolean full() {
            return entries.size() >= limit;
        }

        /** Writes the entries back and seals the block, into the transaction. */
        void store(Inode dir) throws Ext2Error {
            byte[] blk = fs.modifyBlock(pblk, "directory " + dir.ino);
            System.arraycopy(data, 0, blk, 0, bs);
            ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
            java.util.Arrays.fill(blk, countOff, bs, (byte) 0);
            b.putShort(countOff, (short) limit);
            b.putShort(countOff + 2, (short) entries.size());
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) b.putInt(countOff + i * ENTRY, (int) entries.get(i)[0]);
                b.putInt(countOff + i * ENTRY + 4, (int) entries.get(i)[1]);
            }
            seal(dir, blk, countOff, limit, entries.size());
        }
    }

    /** The index cannot be kept by this code: the caller makes the directory linear. */
    static final class Unkept extends RuntimeException {
        Unkept(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * ext4_dx_csum: crc32c of the block up to its last entry, then of the dx_tail with its checksum field
     * zero (t_reserved, four zero bytes); stored in the dx_tail right after the limit's entries.
     */
    void seal(Inode dir, byte[] blk, int countOff, int limit, int count) {
        if (!fs.sb.metadataCsum()) return;
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        int t = countOff + limit * ENTRY;
        b.putInt(t, 0);
        b.putInt(t + 4, 0);
        int crc = Crc32c.update(dir.checksumSeed(fs.sb), blk, 0, countOff + count * ENTRY);
        crc = Crc32c.update(crc, blk, t, DX_TAIL);
        b.putInt(t + 4, crc);
    }

    /** Seals the root block after a change to its "." or ".." entries. */
    void sealRoot(Inode dir, byte[] root) {
        ByteBuffer b = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN);
        int countOff = ROOT_INFO + (root[ROOT_INFO + 5] & 0xff);
        if (countOff + 4 > bs) return;
        seal(dir, root, countOff, b.getShort(countOff) & 0xffff, b.getShort(countOff + 2) & 0xffff);
    }

    /**
     * Enters the name into the indexed directory. Throws {@link Unkept} (before changing anything) when the
     * index cannot take it; ENOSPC and the like as {@link Ext2Error}.
     */
    void add(Ext2Node node, byte[] nm, long ino, int fileType) throws Ext2Error {
        Inode dir = node.inode;
        Node root = readRoot(dir);
        int version = DirHash.version(fs.sb, root.data[ROOT_INFO + 4] & 0xff);
        int levels = root.data[ROOT_INFO + 6] & 0xff;
        long hash = DirHash.hash(new String(nm, StandardCharsets.UTF_8), version, fs.sb.hashSeed) & 0xffffffffL;
        int ri = root.find(hash);
        Node parent = root;
        int pi = ri;
        if (levels == 1) {
            parent = new Node(dir, root.entries.get(ri)[1], NODE_COUNT, nodeLimit());
            pi = parent.find(hash);
        }
        long leafLblk = parent.entries.get(pi)[1];
        long leafPb = fs.map(dir, leafLblk).physical();
        if (leafPb == 0) throw new Unkept("leaf " + leafLblk + " is a hole");
        byte[] leaf = fs.tx.get(leafPb);
        if (leaf == null) leaf = fs.readMetadataBlock(leafPb, "directory " + dir.ino);
        if (dirs.insertInto(dir, leaf, nm, ino, fileType, DirWriter.entrySize(nm.length))) {
            fs.tx.put(leafPb, leaf);
            return;
        }
        // the leaf is full: it splits, and its parent takes one more entry — check that it can first
        if (parent.full() && (levels == 1 ? root.full() : false)) throw new Unkept("index full at two levels");
        List<DirWriter.Named> all = dirs.liveEntries(dir, leaf);
        all.add(new DirWriter.Named(nm, ino, fileType));
        List<long[]> keyed = new ArrayList<>(); // {hash, index into all}
        for (int i = 0; i < all.size(); i++) {
            keyed.add(new long[] {DirHash.hash(new String(all.get(i).name(), StandardCharsets.UTF_8), version, fs.sb.hashSeed) & 0xffffffffL, i});
        }
        keyed.sort(Comparator.comparingLong(k -> k[0]));
        int total = 0;
        for (DirWriter.Named e : all) total += DirWriter.entrySize(e.name().length);
        int m = 0;
        for (int acc = 0; m < keyed.size() - 1 && acc + DirWriter.entrySize(all.get((int) keyed.get(m)[1]).name().length) <= total / 2; m++) {
            acc += DirWriter.entrySize(all.get((int) keyed.get(m)[1]).name().length);
        }
        m = Math.max(1, m);
        long splitHash = keyed.get(m)[0];
        boolean continued = keyed.get(m - 1)[0] == splitHash;
        List<DirWriter.Named> low = new ArrayList<>();
        List<DirWriter.Named> high = new ArrayList<>();
        for (int i = 0; i < keyed.size(); i++) (i < m ? low : high).add(all.get((int) keyed.get(i)[1]));

        long newLblk = dir.size / bs;
        long newPb = fs.allocData(dir, newLblk, 1)[0];
        dir.size += bs;
        byte[] lowBlk = fs.modifyBlock(leafPb, "directory " + dir.ino);
        dirs.pack(dir, lowBlk, low);
        dirs.pack(dir, fs.freshBlock(newPb), high);
        insertIndex(dir, root, parent, levels, ri, pi, splitHash | (continued ? 1 : 0), newLblk);
    }

    /** Puts (hash, block) after position {@code pi} of {@code parent}, growing or splitting the index as needed. */
    private void insertIndex(Inode dir, Node root, Node parent, int levels, int ri, int pi, long hash, long block) throws Ext2Error {
        if (!parent.full()) {
            parent.entries.add(pi + 1, new long[] {hash, block});
            parent.store(dir);
            return;
        }
        if (levels == 0) {
            // the root grows a level: its entries move to a new interior node
            long nodeLblk = dir.size / bs;
            long nodePb = fs.allocData(dir, nodeLblk, 1)[0];
            dir.size += bs;
            byte[] nb = fs.freshBlock(nodePb);
            ByteBuffer b = ByteBuffer.wrap(nb).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, 0);
            b.putShort(4, DirWriter.recLenToDisk(bs, bs));
            List<long[]> moved = new ArrayList<>(root.entries);
            moved.add(pi + 1, new long[] {hash, block});
            writeNode(dir, nb, moved);
            root.entries.clear();
            root.entries.add(new long[] {0, nodeLblk});
            root.data[ROOT_INFO + 6] = 1;
            root.store(dir);
            return;
        }
        // a full interior node under a root with room: the node splits in two
        List<long[]> entries = new ArrayList<>(parent.entries);
        entries.add(pi + 1, new long[] {hash, block});
        int half = entries.size() / 2;
        long node2Lblk = dir.size / bs;
        long node2Pb = fs.allocData(dir, node2Lblk, 1)[0];
        dir.size += bs;
        byte[] n2 = fs.freshBlock(node2Pb);
        ByteBuffer b = ByteBuffer.wrap(n2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0);
        b.putShort(4, DirWriter.recLenToDisk(bs, bs));
        List<long[]> upper = new ArrayList<>(entries.subList(half, entries.size()));
        writeNode(dir, n2, upper);
        parent.entries.clear();
        parent.entries.addAll(entries.subList(0, half));
        parent.store(dir);
        root.entries.add(ri + 1, new long[] {upper.get(0)[0], node2Lblk});
        root.store(dir);
    }

    private void writeNode(Inode dir, byte[] nb, List<long[]> entries) {
        ByteBuffer b = ByteBuffer.wrap(nb).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(NODE_COUNT, (short) nodeLimit());
        b.putShort(NODE_COUNT + 2, (short) entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) b.putInt(NODE_COUNT + i * ENTRY, (int) entries.get(i)[0]);
            b.putInt(NODE_COUNT + i * ENTRY + 4, (int) entries.get(i)[1]);
        }
        seal(dir, nb, NODE_COUNT, nodeLimit(), entries.size());
    }

    private Node readRoot(Inode dir) throws Ext2Error {
        long pb = fs.map(dir, 0).physical();
        if (pb == 0) throw new Unkept("no root block");
        byte[] peek = fs.readMetadataBlock(pb, "directory " + dir.ino);
        int infoLen = peek[ROOT_INFO + 5] & 0xff;
        int levels = peek[ROOT_INFO + 6] & 0xff;
        int version = peek[ROOT_INFO + 4] & 0xff;
        if (infoLen != INFO_LENGTH || levels > 1 || version > DirHash.TEA) throw new Unkept("root: info length " + infoLen + ", levels " + levels + ", hash " + version);
        return new Node(dir, 0, ROOT_INFO + INFO_LENGTH, rootLimit());
    }

    /**
     * make_indexed_dir: a one-block linear directory about to grow becomes an htree — its names move to a
     * new block 1, and block 0 becomes the root pointing at it.
     */
    void makeIndexed(Ext2Node node) throws Ext2Error {
        Inode dir = node.inode;
        long rootPb = fs.map(dir, 0).physical();
        byte[] root = fs.modifyBlock(rootPb, "directory " + dir.ino);
        List<DirWriter.Named> names = dirs.liveEntries(dir, root);
        long dot = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL;
        long dotdot = 0;
        List<DirWriter.Named> moved = new ArrayList<>();
        for (DirWriter.Named n : names) {
            String s = new String(n.name(), StandardCharsets.UTF_8);
            if (s.equals(".")) continue;
            if (s.equals("..")) {
                dotdot = n.ino();
                continue;
            }
            moved.add(n);
        }
        long leafPb = fs.allocData(dir, 1, 1)[0];
        dir.size = 2L * bs;
        dirs.pack(dir, fs.freshBlock(leafPb), moved);
        java.util.Arrays.fill(root, (byte) 0);
        ByteBuffer b = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN);
        dirs.putEntry(b, 0, dot, 12, ".".getBytes(StandardCharsets.US_ASCII), Ext2Dir.FT_DIR);
        dirs.putEntry(b, 12, dotdot, bs - 12, "..".getBytes(StandardCharsets.US_ASCII), Ext2Dir.FT_DIR);
        root[ROOT_INFO + 4] = (byte) Math.min(fs.sb.defHashVersion, DirHash.TEA);
        root[ROOT_INFO + 5] = INFO_LENGTH;
        int countOff = ROOT_INFO + INFO_LENGTH;
        b.putShort(countOff, (short) rootLimit());
        b.putShort(countOff + 2, (short) 1);
        b.putInt(countOff + 4, 1);
        seal(dir, root, countOff, rootLimit(), 1);
        dir.flags |= Inode.INDEX_FL;
        node.insertHint = 0;
        fs.markDirty(dir);
    }
}
