package jrump.fs.ext2fs;

/**
 * inline_data (Documentation/filesystems/ext4/inline_data.rst): small files and directories kept in the
 * inode, the first 60 bytes in i_block and the rest in the "system.data" extended attribute.
 */
final class InlineData {
    private static final String DATA_NAME = "data";

    private InlineData() {
    }

    /** The "system.data" part (empty when everything fits in i_block). */
    static byte[] attribute(Volume fs, Inode in) throws Ext2Error {
        for (Xattrs.Attr a : Xattrs.read(fs, in)) {
            if (a.index() == Xattrs.INDEX_SYSTEM && a.name().equals(DATA_NAME)) return Xattrs.value(a);
        }
        return new byte[0];
    }

    /**
     * The bytes an inline file holds (i_block, then "system.data"), at most its size: past them it reads as
     * zeros, as Linux's ext4_readpage_inline zero-fills (mke2fs leaves all-zero and sparse files inline
     * with no data at all).
     */
    static byte[] content(Volume fs, Inode in) throws Ext2Error {
        if (in.size < 0) throw Ext2Error.corrupt("inode " + in.ino + ": inline size " + in.size);
        byte[] ib = in.iBlock();
        byte[] rest = in.size > Inode.I_BLOCK_SIZE ? attribute(fs, in) : new byte[0];
        long held = Math.min(in.size, Inode.I_BLOCK_SIZE + (long) rest.length);
        byte[] out = new byte[(int) held];
        int first = (int) Math.min(held, Inode.I_BLOCK_SIZE);
        System.arraycopy(ib, 0, out, 0, first);
        if (held > first) System.arraycopy(rest, 0, out, first, (int) (held - first));
        return out;
    }

    /**
     * A read-write mount about to change an inline file or directory moves it out of the inode first
     * (ext4_convert_inline_data): its content into a block of its own (a directory's entries into a
     * first directory block, "." and ".." spelled out), "system.data" removed, the inode block-mapped.
     */
    static void expand(Ext2fs fs, Inode in) throws Ext2Error {
        if (!in.hasFlag(Inode.INLINE_DATA_FL)) return;
        int bs = fs.sb.blockSize;
        byte[] content = null;
        java.util.List<DirWriter.Named> entries = null;
        if (in.isDir()) {
            entries = new java.util.ArrayList<>();
            java.util.List<DirWriter.Named> list = entries;
            Ext2Dir.scan(fs, in, 0, e -> {
                byte[] nm = e.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                list.add(new DirWriter.Named(nm, e.ino(), Ext2WriteOps.fileTypeOfDirent(e.dtype())));
                return true;
            });
        } else {
            content = content(fs, in);
        }
        XattrWriter.removeInlineData(fs, in);
        in.flags &= ~Inode.INLINE_DATA_FL;
        byte[] root = new byte[Inode.I_BLOCK_SIZE];
        if (fs.sb.hasIncompat(Features.INCOMPAT_EXTENTS)) {
            in.flags |= Inode.EXTENTS_FL;
            java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(root).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            r.putShort(0, (short) Extents.MAGIC);
            r.putShort(4, (short) MapWriter.ROOT_ENTRIES);
        }
        in.setIBlock(root);
        in.fileMap = new FileMap();
        if (entries != null) {
            if (entries.size() * 8L + 64 > bs) throw new Ext2Error(jrump.rumpkern.Errno.EFBIG, "inline directory " + in.ino + " too big for a block");
            long pb = fs.allocData(in, 0, 1)[0];
            fs.dirs.pack(in, fs.freshBlock(pb), entries);
            in.size = bs;
        } else if (content.length > 0) {
            long pb = fs.allocData(in, 0, 1)[0];
            fs.writeData(pb, 0, java.nio.ByteBuffer.wrap(content), content.length, true);
        }
        fs.markDirty(in);
    }
}
