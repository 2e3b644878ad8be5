package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;

/**
 * Changes to directory blocks (directory.rst; NetBSD's ext2fs_lookup.c enter/remove/rewrite): entries go
 * into the first gap big enough after the directory's insertion hint, or into a new block at its end;
 * removal merges an entry into the one before it. Blocks keep their checksum tail under metadata_csum.
 *
 * <p>htree directories keep their index ({@link Htree}); a linear directory that outgrows its first block
 * on a file system with dir_index becomes one. Where the index cannot be kept (three levels, a root this
 * code does not know), the directory is made linear instead (its index blocks become empty entry blocks
 * and INDEX_FL goes): valid for every implementation, unindexed for Linux until e2fsck -D.
 */
final class DirWriter {
    /** The dirent tail: a fake entry of inode 0, rec_len 12, name_len 0, file_type 0xDE, then the crc32c. */
    static final int TAIL = 12;
    private static final int TAIL_FILE_TYPE = 0xDE;

    private final Ext2fs fs;
    private final int bs;
    private final Htree htree;

    /** A live entry: its name's bytes, inode and file type. */
    record Named(byte[] name, long ino, int fileType) {
    }

    DirWriter(Ext2fs fs) {
        this.fs = fs;
        this.bs = fs.sb.blockSize;
        this.htree = new Htree(fs, this);
    }

    private boolean tails() {
        return fs.sb.metadataCsum();
    }

    /** The bytes of the block usable for entries. */
    private int usable() {
        return bs - (tails() ? TAIL : 0);
    }

    static int entrySize(int nameLen) {
        return (Ext2Dir.ENTRY_HEADER + nameLen + 3) & ~3;
    }

    /** ext4_rec_len_to_disk: the inverse of {@link Ext2Dir#recLen}. */
    static short recLenToDisk(int len, int bs) {
        if (bs < 65536) return (short) len;
        if (len == bs) return (short) 65535;
        return (short) ((len & 65532) | ((len >> 16) & 3));
    }

    private int recLen(ByteBuffer b, int p) {
        return Ext2Dir.recLen(b.getShort(p + 4) & 0xffff, bs);
    }

    void putEntry(ByteBuffer b, int p, long ino, int recLen, byte[] name, int fileType) {
        b.putInt(p, (int) ino);
        b.putShort(p + 4, recLenToDisk(recLen, bs));
        if (fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE)) {
            b.put(p + 6, (byte) name.length);
            b.put(p + 7, (byte) fileType);
        } else {
            b.putShort(p + 6, (short) name.length);
        }
        b.put(p + Ext2Dir.ENTRY_HEADER, name);
    }

    private int nameLen(ByteBuffer b, int p) {
        return fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE) ? b.get(p + 6) & 0xff : b.getShort(p + 6) & 0xffff;
    }

    /** The checksum tail of a directory leaf block (ext4_dirblock_csum), written in place. */
    void seal(Inode dir, byte[] blk) {
        if (!tails()) return;
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        int t = bs - TAIL;
        b.putInt(t, 0);
        b.putShort(t + 4, (short) TAIL);
        b.put(t + 6, (byte) 0);
        b.put(t + 7, (byte) TAIL_FILE_TYPE);
        b.putInt(t + 8, Crc32c.update(dir.checksumSeed(fs.sb), blk, 0, t));
    }

    /** An inline directory moves into a block before it changes. */
    private void checkWritable(Inode dir) throws Ext2Error {
        InlineData.expand(fs, dir);
    }

    /** The live entries of a leaf block, in block order. */
    List<Named> liveEntries(Inode dir, byte[] blk) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        List<Named> out = new ArrayList<>();
        int p = 0;
        int end = usable();
        while (p < end) {
            int rl = recLen(b, p);
            if (rl < Ext2Dir.ENTRY_HEADER || p + rl > bs || (rl & 3) != 0) throw Ext2Error.corrupt("directory " + dir.ino + ": bad entry");
            long eino = b.getInt(p) & 0xffffffffL;
            int nl = nameLen(b, p);
            if (eino != 0 && Ext2Dir.ENTRY_HEADER + nl <= rl) {
                int ft = fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE) ? blk[p + 7] & 0xff : 0;
                out.add(new Named(java.util.Arrays.copyOfRange(blk, p + 8, p + 8 + nl), eino, ft));
            }
            p += rl;
        }
        return out;
    }

    /** Writes {@code entries} packed into {@code blk} from its start (the last one takes the rest), sealed. */
    void pack(Inode dir, byte[] blk, List<Named> entries) {
        java.util.Arrays.fill(blk, (byte) 0);
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        if (entries.isEmpty()) {
            b.putShort(4, recLenToDisk(usable(), bs));
        }
        for (int i = 0; i < entries.size(); i++) {
            Named e = entries.get(i);
            int size = entrySize(e.name().length);
            int rl = i == entries.size() - 1 ? usable() - p : size;
            putEntry(b, p, e.ino(), rl, e.name(), e.fileType());
            p += size;
        }
        seal(dir, blk);
    }

    /** The physical block of directory block {@code lblk}, or 0 for a hole. */
    private long physical(Inode dir, long lblk) throws Ext2Error {
        return fs.map(dir, lblk).physical();
    }

    // --- entering names ---------------------------------------------------------------------------

    /** Enters {@code name} → {@code ino}. ENOSPC when the directory needs a block and none is left. */
    void add(Ext2Node node, String name, long ino, int fileType) throws Ext2Error {
        Inode dir = node.inode;
        checkWritable(dir);
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        if (dir.hasFlag(Inode.INDEX_FL)) {
            try {
                htree.add(node, nm, ino, fileType);
                return;
            } catch (Htree.Unkept e) {
                fs.warn("directory " + dir.ino + ": " + e.getMessage() + ": made linear");
                unindex(dir);
            }
        }
        int need = entrySize(nm.length);
        long blocks = dir.size / bs;
        for (long lblk = Math.min(node.insertHint, blocks); lblk < blocks; lblk++) {
            long pb = physical(dir, lblk);
            if (pb == 0) continue;
            byte[] blk = fs.tx.get(pb); // changed already: change it further in place
            if (blk == null) blk = fs.readMetadataBlock(pb, "directory " + dir.ino); // a copy, kept only if the name goes in
            if (insertInto(dir, blk, nm, ino, fileType, need)) {
                fs.tx.put(pb, blk);
                node.insertHint = lblk;
                return;
            }
        }
        // a one-block directory on a dir_index file system grows as an htree
        if (blocks == 1 && fs.sb.hasCompat(Features.COMPAT_DIR_INDEX) && !dir.hasFlag(Inode.INDEX_FL)) {
            htree.makeIndexed(node);
            try {
                htree.add(node, nm, ino, fileType);
                return;
            } catch (Htree.Unkept e) {
                fs.warn("directory " + dir.ino + ": " + e.getMessage() + ": made linear");
                unindex(dir);
                blocks = dir.size / bs;
            }
        }
        // a new block at the end
        long lblk = blocks;
        if (lblk >= MapWriter.maxBlocks(fs.sb, dir)) throw new Ext2Error(Errno.EFBIG, "directory " + dir.ino + " is as big as it can get");
        long pb = fs.allocData(dir, lblk, 1)[0];
        byte[] blk = fs.freshBlock(pb);
        putEntry(ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN), 0, ino, usable(), nm, fileType);
        seal(dir, blk);
        dir.size += bs;
        node.insertHint = lblk;
        return;
    }

    /** Puts the entry into the first gap of {@code blk} that fits it; false when none does. */
    boolean insertInto(Inode dir, byte[] blk, byte[] nm, long ino, int fileType, int need) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        int end = usable();
        int p = 0;
        while (p < end) {
            int rl = recLen(b, p);
            if (rl < Ext2Dir.ENTRY_HEADER || p + rl > bs || (rl & 3) != 0) throw Ext2Error.corrupt("directory " + dir.ino + ": bad entry");
            long eino = b.getInt(p) & 0xffffffffL;
            int used = eino == 0 ? 0 : entrySize(nameLen(b, p));
            int span = Math.min(rl, end - p); // an entry covering the tail's room (no tail yet) gives up only the part before it
            if (span - used >= need) {
                if (used == 0) {
                    putEntry(b, p, ino, rl, nm, fileType);
                } else {
                    b.putShort(p + 4, recLenToDisk(used, bs));
                    putEntry(b, p + used, ino, rl - used, nm, fileType);
                }
                seal(dir, blk);
                return true;
            }
            p += rl;
        }
        return false;
    }

    /** The first block of a new directory: "." and "..". */
    void initDirectory(Inode dir, long parent, long pb) throws Ext2Error {
        byte[] blk = fs.freshBlock(pb);
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        putEntry(b, 0, dir.ino, 12, ".".getBytes(StandardCharsets.US_ASCII), Ext2Dir.FT_DIR);
        putEntry(b, 12, parent, usable() - 12, "..".getBytes(StandardCharsets.US_ASCII), Ext2Dir.FT_DIR);
        seal(dir, blk);
    }

    // --- removing and rewriting names -------------------------------------------------------------

    /** What a name's entry is: its block, position, the entry before it in the block (-1), and the inode. */
    record Slot(long lblk, long pblk, int pos, int prev, long ino) {
    }

    Slot find(Inode dir, String name) throws Ext2Error {
        byte[] nm = name.getBytes(StandardCharsets.UTF_8);
        long blocks = dir.size / bs;
        for (long lblk = 0; lblk < blocks; lblk++) {
            long pb = physical(dir, lblk);
            if (pb == 0) continue;
            byte[] blk = fs.readMetadataBlock(pb, "directory " + dir.ino);
            ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
            int p = 0;
            int prev = -1;
            while (p < bs) {
                int rl = recLen(b, p);
                if (rl < Ext2Dir.ENTRY_HEADER || p + rl > bs || (rl & 3) != 0) throw Ext2Error.corrupt("directory " + dir.ino + ": bad entry");
                long eino = b.getInt(p) & 0xffffffffL;
                int nl = nameLen(b, p);
                if (eino != 0 && nl == nm.length && Ext2Dir.ENTRY_HEADER + nl <= rl
                        && java.util.Arrays.equals(blk, p + 8, p + 8 + nl, nm, 0, nl)) {
                    return new Slot(lblk, pb, p, prev, eino);
                }
                prev = p;
                p += rl;
            }
        }
        return null;
    }

    /** Removes {@code name}, which must name inode {@code ino}: ENOENT when it is not there (any more). */
    void remove(Ext2Node node, String name, long ino) throws Ext2Error {
        Inode dir = node.inode;
        checkWritable(dir);
        Slot s = find(dir, name);
        if (s == null || s.ino() != ino) throw new Ext2Error(Errno.ENOENT, name);
        byte[] blk = fs.modifyBlock(s.pblk(), "directory " + dir.ino);
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        if (s.prev() >= 0) {
            int merged = recLen(b, s.prev()) + recLen(b, s.pos());
            b.putShort(s.prev() + 4, recLenToDisk(merged, bs));
        } else {
            b.putInt(s.pos(), 0);
        }
        seal(dir, blk);
        node.insertHint = 0;
    }

    /** Points existing entry {@code name} at {@code ino} (rename over a name, a moved directory's ".."). */
    void retarget(Ext2Node node, String name, long ino, int fileType) throws Ext2Error {
        Inode dir = node.inode;
        checkWritable(dir);
        Slot s = find(dir, name);
        if (s == null) throw new Ext2Error(Errno.ENOENT, name);
        byte[] blk = fs.modifyBlock(s.pblk(), "directory " + dir.ino);
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(s.pos(), (int) ino);
        if (fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE)) b.put(s.pos() + 7, (byte) fileType);
        if (dir.hasFlag(Inode.INDEX_FL) && s.lblk() == 0) htree.sealRoot(dir, blk); // ".." lives in the htree root
        else seal(dir, blk);
    }

    /** Whether the directory holds nothing but "." and "..". */
    boolean isEmpty(Inode dir) throws Ext2Error {
        boolean[] empty = {true};
        Ext2Dir.scan(fs, dir, 0, e -> {
            if (e.name().equals(".") || e.name().equals("..")) return true;
            empty[0] = false;
            return false;
        });
        return empty[0];
    }

    // --- htree ------------------------------------------------------------------------------------

    /** Turns an htree directory into a linear one: its root and interior index blocks become plain entry blocks. */
    private void unindex(Inode dir) throws Ext2Error {
        long rootPb = physical(dir, 0);
        if (rootPb == 0) throw Ext2Error.corrupt("directory " + dir.ino + ": htree without a root block");
        byte[] root = fs.modifyBlock(rootPb, "directory " + dir.ino);
        ByteBuffer b = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN);
        int dotdot = recLen(b, 0);
        if (dotdot != 12) throw Ext2Error.corrupt("directory " + dir.ino + ": htree root without a 12-byte \".\"");
        int levels = root[0x1E] & 0xff;
        int infoLen = root[0x1D] & 0xff;
        if (levels > 1) throw new Ext2Error(Errno.EOPNOTSUPP, "directory " + dir.ino + ": a three-level htree (large_dir) cannot be changed yet");
        if (levels > 0) {
            int countOff = 0x18 + infoLen;
            int count = b.getShort(countOff + 2) & 0xffff;
            if (countOff + count * 8 > bs) throw Ext2Error.corrupt("directory " + dir.ino + ": htree root count " + count);
            for (int i = 0; i < count; i++) {
                long lblk = b.getInt(countOff + 4 + i * 8) & 0xffffffffL;
                long pb = physical(dir, lblk);
                if (pb == 0) continue;
                byte[] node = fs.modifyBlock(pb, "directory " + dir.ino);
                java.util.Arrays.fill(node, (byte) 0);
                ByteBuffer nb = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
                nb.putInt(0, 0);
                nb.putShort(4, recLenToDisk(usable(), bs));
                seal(dir, node);
            }
        }
        // ".." keeps its name and now covers the rest of the block
        java.util.Arrays.fill(root, 12 + Ext2Dir.ENTRY_HEADER + 4, bs, (byte) 0);
        b.putShort(12 + 4, recLenToDisk(usable() - 12, bs));
        seal(dir, root);
        dir.flags &= ~Inode.INDEX_FL;
        fs.markDirty(dir);
    }
}
