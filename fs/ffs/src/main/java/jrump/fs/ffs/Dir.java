package jrump.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;


/**
 * Directory contents (NetBSD's sys/ufs/ufs/dir.h, 4.4BSD format): chunks of DIRBLKSIZ bytes, each filled
 * by entries {d_ino (32 bits), d_reclen (16), d_type (8), d_namlen (8), name, NUL, padding to 4}; an entry's
 * reclen takes in the free space after it, and an entry never crosses a chunk. d_ino 0 marks the free
 * first entry of a chunk. Offsets are the byte offsets of entries: readdir's cookies.
 */
final class Dir {
    /** dir.h DIRBLKSIZ. */
    static final int DIRBLKSIZ = 512;
    /** The header before the name: d_ino, d_reclen, d_type, d_namlen. */
    static final int HEADER = 8;
    // dir.h DT_* (the same numbers as the dirent's)
    static final int DT_UNKNOWN = 0;

    /** One name: its offset, the inode, its d_type and the entry's reclen. */
    record Entry(long offset, long ino, int type, String name, int reclen) {
    }

    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop the walk. */
        boolean visit(Entry e) throws FfsError;
    }

    private Dir() {
    }

    /** dir.h DIRSIZ: the bytes an entry with a name of {@code namlen} bytes needs. */
    static int dirsiz(int namlen) {
        return (HEADER + namlen + 1 + 3) & ~3;
    }

    /** Visits the live entries at or after {@code from}; returns the offset where the walk stopped (the size when it ran out). */
    static long scan(Ffs fs, FfsNode dir, long from, Visitor v) throws FfsError {
        long size = dir.din.size;
        long off = from - from % DIRBLKSIZ;
        int bsize = fs.sb.bsize;
        while (off < size) {
            // a block (or the fragments at the end) at a time
            int len = (int) Math.min(bsize - (off & (bsize - 1)), size - off);
            byte[] area = FileRead.bytes(fs, dir, off, len);
            for (int chunk = 0; chunk < len; chunk += DIRBLKSIZ) {
                long base = off + chunk;
                int p = 0;
                while (p < DIRBLKSIZ) {
                    Entry e = parse(fs, dir, area, chunk, p, base);
                    if (e.ino != 0 && base + p >= from && !v.visit(e)) return base + p;
                    p += e.reclen;
                }
            }
            off += len;
        }
        return size;
    }

    /** The entry at {@code p} of the chunk at {@code chunk} of {@code area}, checked as ufs_dirbadentry does. */
    static Entry parse(Ffs fs, FfsNode dir, byte[] area, int chunk, int p, long base) throws FfsError {
        return parse(fs.sb, dir.ino, area, chunk, p, base);
    }

    static Entry parse(Superblock sb, long dirIno, byte[] area, int chunk, int p, long base) throws FfsError {
        ByteBuffer b = ByteBuffer.wrap(area).order(sb.order);
        int at = chunk + p;
        long ino = Integer.toUnsignedLong(b.getInt(at));
        int reclen = b.getShort(at + 4) & 0xffff;
        int type = area[at + 6] & 0xff;
        int namlen = area[at + 7] & 0xff;
        if (reclen < HEADER || (reclen & 3) != 0 || p + reclen > DIRBLKSIZ) throw bad(dirIno, base + p, "record length " + reclen);
        if (ino == 0) return new Entry(base + p, 0, 0, "", reclen);
        if (dirsiz(namlen) > reclen || namlen == 0) throw bad(dirIno, base + p, "name length " + namlen + " in a record of " + reclen);
        if (ino >= sb.inodeCount()) throw bad(dirIno, base + p, "inode " + ino + " out of range");
        for (int i = 0; i < namlen; i++) {
            byte c = area[at + HEADER + i];
            if (c == 0 || c == '/') throw bad(dirIno, base + p, "a name with a NUL or a slash");
        }
        String name = new String(area, at + HEADER, namlen, StandardCharsets.UTF_8);
        return new Entry(base + p, ino, type, name, reclen);
    }

    private static FfsError bad(long dirIno, long at, String what) {
        return FfsError.corrupt("directory " + dirIno + " at " + at + ": " + what);
    }

    /** Encodes an entry at {@code at} of {@code area}. */
    static void put(ByteOrder order, byte[] area, int at, long ino, int reclen, int type, byte[] name) {
        ByteBuffer b = ByteBuffer.wrap(area).order(order);
        b.putInt(at, (int) ino).putShort(at + 4, (short) reclen);
        area[at + 6] = (byte) type;
        area[at + 7] = (byte) name.length;
        System.arraycopy(name, 0, area, at + HEADER, name.length);
        for (int i = at + HEADER + name.length; i < at + dirsiz(name.length) && i < area.length; i++) area[i] = 0;
    }

    /** The d_type of a mode (IFTODT). */
    static int dtype(int mode) {
        return (mode & Dinode.IFMT) >>> 12;
    }
}
