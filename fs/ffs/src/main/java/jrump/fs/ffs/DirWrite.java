package jrump.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Changing directories (NetBSD's ufs_lookup.c: ufs_direnter, ufs_dirremove, ufs_dirrewrite): a new entry
 * takes the free space of a chunk (the slack of an entry's record, or a chunk's free first entry) or a new
 * DIRBLKSIZ chunk at the end; a removed entry's record joins the one before it in its chunk (the first
 * entry of a chunk is marked free instead). Each directory keeps a hint of the first chunk that may have
 * room (ufs's i_diroff), so a directory filled name after name is not searched from its start every time.
 *
 * <p>Locking: under the mount's fsLock, with the directory's vnode locked.
 */
final class DirWrite {
    private final Ffs fs;
    private final FileWrite files;

    DirWrite(Ffs fs, FileWrite files) {
        this.fs = fs;
        this.files = files;
    }

    private byte[] chunk(FfsNode dir, long off) throws FfsError {
        return FileRead.bytes(fs, dir, off, Dir.DIRBLKSIZ);
    }

    private void putChunk(FfsNode dir, long off, byte[] area) throws FfsError {
        BlockMap map = new BlockMap(fs, dir);
        long addr = map.map(off >> fs.sb.bshift);
        if (addr == 0) throw FfsError.corrupt("directory " + dir.ino + ": a hole at " + off);
        fs.disk.write(addr * fs.sb.fsize + (off & (fs.sb.bsize - 1)), area, 0, area.length);
    }

    /** ufs_direnter: enters {@code name} for inode {@code ino} of d_type {@code type}; returns the entry's offset. */
    long add(FfsNode dir, String name, long ino, int type) throws FfsError {
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        int need = Dir.dirsiz(nb.length);
        long size = dir.din.size;
        for (long off = Math.min(dir.freeHint, size) & -Dir.DIRBLKSIZ; off < size; off += Dir.DIRBLKSIZ) {
            byte[] area = chunk(dir, off);
            int p = 0;
            while (p < Dir.DIRBLKSIZ) {
                Dir.Entry e = Dir.parse(fs, dir, area, 0, p, off);
                int used = e.ino() == 0 ? 0 : Dir.dirsiz(e.name().getBytes(StandardCharsets.UTF_8).length);
                if (e.reclen() - used >= need) {
                    int at;
                    if (used == 0) {
                        at = p;
                        Dir.put(fs.sb.order, area, at, ino, e.reclen(), type, nb);
                    } else {
                        ByteBuffer.wrap(area).order(fs.sb.order).putShort(p + 4, (short) used);
                        at = p + used;
                        Dir.put(fs.sb.order, area, at, ino, e.reclen() - used, type, nb);
                    }
                    putChunk(dir, off, area);
                    dir.freeHint = off;
                    if (dir.names != null) dir.names.put(name, off + at);
                    return off + at;
                }
                p += e.reclen();
            }
        }
        // no room: a new chunk at the end
        byte[] area = new byte[Dir.DIRBLKSIZ];
        Dir.put(fs.sb.order, area, 0, ino, Dir.DIRBLKSIZ, type, nb);
        files.write(dir, size, ByteBuffer.wrap(area));
        dir.freeHint = size;
        if (dir.names != null) dir.names.put(name, size);
        return size;
    }

    /** ufs_dirremove: the entry at {@code offset} (named {@code name}) goes. */
    void remove(FfsNode dir, long offset, String name) throws FfsError {
        long off = offset & -Dir.DIRBLKSIZ;
        byte[] area = chunk(dir, off);
        int target = (int) (offset - off);
        int p = 0;
        int prev = -1;
        while (p < target) {
            Dir.Entry e = Dir.parse(fs, dir, area, 0, p, off);
            prev = p;
            p += e.reclen();
        }
        if (p != target) throw FfsError.corrupt("directory " + dir.ino + ": no entry at " + offset);
        Dir.Entry e = Dir.parse(fs, dir, area, 0, p, off);
        ByteBuffer b = ByteBuffer.wrap(area).order(fs.sb.order);
        if (prev < 0) {
            b.putInt(p, 0); // the first entry of a chunk: marked free, its record kept
        } else {
            int prevLen = b.getShort(prev + 4) & 0xffff;
            b.putShort(prev + 4, (short) (prevLen + e.reclen()));
        }
        putChunk(dir, off, area);
        if (off < dir.freeHint) dir.freeHint = off;
        if (dir.names != null) dir.names.remove(name);
    }

    /** ufs_dirrewrite: the entry at {@code offset} names inode {@code ino} of type {@code type} now. */
    void retarget(FfsNode dir, long offset, long ino, int type) throws FfsError {
        long off = offset & -Dir.DIRBLKSIZ;
        byte[] area = chunk(dir, off);
        int at = (int) (offset - off);
        Dir.parse(fs, dir, area, 0, at, off); // it must be an entry
        ByteBuffer.wrap(area).order(fs.sb.order).putInt(at, (int) ino);
        area[at + 6] = (byte) type;
        putChunk(dir, off, area);
    }

    /** ufs_dirempty: only "." and ".." left. */
    boolean isEmpty(FfsNode dir) throws FfsError {
        boolean[] other = {false};
        Dir.scan(fs, dir, 0, e -> {
            if (e.name().equals(".") || e.name().equals("..")) return true;
            other[0] = true;
            return false;
        });
        return !other[0];
    }

    /** The first chunk of a new directory: "." and "..". */
    void init(FfsNode dir, long parentIno) throws FfsError {
        byte[] area = new byte[Dir.DIRBLKSIZ];
        int dot = Dir.dirsiz(1);
        Dir.put(fs.sb.order, area, 0, dir.ino, dot, Dir.dtype(Dinode.IFDIR), new byte[] {'.'});
        Dir.put(fs.sb.order, area, dot, parentIno, Dir.DIRBLKSIZ - dot, Dir.dtype(Dinode.IFDIR), new byte[] {'.', '.'});
        files.write(dir, 0, ByteBuffer.wrap(area));
    }
}
