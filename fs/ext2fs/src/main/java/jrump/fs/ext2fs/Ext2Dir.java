package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Dirent;

/**
 * Directory contents (Documentation/filesystems/ext4/directory.rst): linear entries in each block (an
 * htree's index blocks read as empty entries, so a linear walk sees every name), or inline in the inode.
 * Offsets are the byte offsets of entries, readdir's cookies; an inline directory's are 0 ("."), 1 ("..")
 * and the entry's position in i_block and then in its "system.data" attribute.
 */
final class Ext2Dir {
    static final int NAME_MAX = 255;
    /** The smallest entry: inode, rec_len, name_len, file_type. */
    static final int ENTRY_HEADER = 8;
    // ext2_dir_entry_2 file_type values
    static final int FT_REG = 1;
    static final int FT_DIR = 2;
    static final int FT_CHRDEV = 3;
    static final int FT_BLKDEV = 4;
    static final int FT_FIFO = 5;
    static final int FT_SOCK = 6;
    static final int FT_SYMLINK = 7;
    /** Where an inline directory's "system.data" part starts among its offsets. */
    private static final int INLINE_XATTR_BASE = Inode.I_BLOCK_SIZE;

    /** One name: its offset (cookie), the offset after it, the inode, the dirent type. */
    record Entry(long offset, long next, long ino, int dtype, String name) {
    }

    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop the walk. */
        boolean visit(Entry e) throws Ext2Error;
    }

    private Ext2Dir() {
    }

    /** Visits the entries at or after {@code from}; returns the offset where the walk ended (the directory's end if it ran out). */
    static long scan(Volume fs, Inode dir, long from, Visitor v) throws Ext2Error {
        if (dir.hasFlag(Inode.INLINE_DATA_FL)) return scanInline(fs, dir, from, v);
        int bs = fs.sb.blockSize;
        long size = dir.size;
        if (size < 0 || size > fs.sb.blocksCount * (long) bs) throw Ext2Error.corrupt("directory " + dir.ino + ": size " + size);
        long off = from - from % bs;
        while (off < size) {
            long lblk = off / bs;
            Extents.Run run = fs.map(dir, lblk);
            if (run.physical() == 0) {
                off += bs; // a hole in a directory holds no names
                continue;
            }
            byte[] blk = fs.readMetadataBlock(run.physical(), "directory " + dir.ino);
            ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
            int p = 0;
            while (p < bs) {
                Entry e = entry(fs, dir, b, blk, p, bs, off + p);
                if (e.offset() >= from && e.ino() != 0 && !v.visit(e)) return e.offset();
                p = (int) (e.next() - off);
            }
            off += bs;
        }
        return size;
    }

    private static Entry entry(Volume fs, Inode dir, ByteBuffer b, byte[] area, int p, int end, long offset) throws Ext2Error {
        if (p + ENTRY_HEADER > end) throw Ext2Error.corrupt("directory " + dir.ino + ": entry at " + offset + " runs past its block");
        long ino = b.getInt(p) & 0xffffffffL;
        int recLen = recLen(b.getShort(p + 4) & 0xffff, fs.sb.blockSize);
        boolean ft = fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE);
        int nameLen = ft ? area[p + 6] & 0xff : b.getShort(p + 6) & 0xffff;
        int type = ft ? area[p + 7] & 0xff : 0;
        if (recLen < ENTRY_HEADER || (recLen & 3) != 0 || p + recLen > end || ENTRY_HEADER + nameLen > recLen) {
            throw Ext2Error.corrupt("directory " + dir.ino + ": bad entry at offset " + offset + " (rec_len " + recLen + ", name_len " + nameLen + ")");
        }
        if (ino > fs.sb.inodesCount) throw Ext2Error.corrupt("directory " + dir.ino + ": entry at " + offset + " names inode " + ino);
        String name = new String(area, p + ENTRY_HEADER, nameLen, StandardCharsets.UTF_8);
        return new Entry(offset, offset + recLen, ino, dtype(type), name);
    }

    /** ext4_rec_len_from_disk: 64 KiB blocks keep their length in 16 bits with the low bits reused. */
    static int recLen(int raw, int blockSize) {
        if (blockSize < 65536) return raw;
        if (raw == 65535 || raw == 0) return blockSize;
        return (raw & 65532) | ((raw & 3) << 16);
    }

    private static long scanInline(Volume fs, Inode dir, long from, Visitor v) throws Ext2Error {
        byte[] ib = dir.iBlock();
        ByteBuffer b = ByteBuffer.wrap(ib).order(ByteOrder.LITTLE_ENDIAN);
        long parent = b.getInt(0) & 0xffffffffL;
        if (from <= 0 && !v.visit(new Entry(0, 1, dir.ino, Dirent.DT_DIR, "."))) return 0;
        if (from <= 1 && !v.visit(new Entry(1, 4, parent, Dirent.DT_DIR, ".."))) return 1;
        int p = 4;
        while (p < Inode.I_BLOCK_SIZE) {
            Entry e = entry(fs, dir, b, ib, p, Inode.I_BLOCK_SIZE, p);
            if (e.offset() >= from && e.ino() != 0 && !v.visit(e)) return e.offset();
            p = (int) e.next();
        }
        byte[] more = InlineData.attribute(fs, dir);
        ByteBuffer m = ByteBuffer.wrap(more).order(ByteOrder.LITTLE_ENDIAN);
        p = 0;
        while (p < more.length) {
            Entry e = entry(fs, dir, m, more, p, more.length, INLINE_XATTR_BASE + p);
            if (e.offset() >= from && e.ino() != 0 && !v.visit(e)) return e.offset();
            p = (int) (e.next() - INLINE_XATTR_BASE);
        }
        return INLINE_XATTR_BASE + more.length;
    }

    static int dtype(int ft) {
        return switch (ft) {
            case FT_REG -> Dirent.DT_REG;
            case FT_DIR -> Dirent.DT_DIR;
            case FT_CHRDEV -> Dirent.DT_CHR;
            case FT_BLKDEV -> Dirent.DT_BLK;
            case FT_FIFO -> Dirent.DT_FIFO;
            case FT_SOCK -> Dirent.DT_SOCK;
            case FT_SYMLINK -> Dirent.DT_LNK;
            default -> Dirent.DT_UNKNOWN;
        };
    }
}
