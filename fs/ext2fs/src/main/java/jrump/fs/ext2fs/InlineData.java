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
}
