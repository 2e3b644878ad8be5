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

    /** A file's whole content. */
    static byte[] content(Volume fs, Inode in) throws Ext2Error {
        if (in.size < 0 || in.size > Inode.I_BLOCK_SIZE + fs.sb.inodeSize + (long) fs.sb.blockSize) {
            throw Ext2Error.corrupt("inode " + in.ino + ": inline size " + in.size);
        }
        byte[] out = new byte[(int) in.size];
        byte[] ib = in.iBlock();
        int first = Math.min(out.length, Inode.I_BLOCK_SIZE);
        System.arraycopy(ib, 0, out, 0, first);
        if (out.length > first) {
            byte[] rest = attribute(fs, in);
            if (rest.length < out.length - first) throw Ext2Error.corrupt("inode " + in.ino + ": inline data shorter than its size");
            System.arraycopy(rest, 0, out, first, out.length - first);
        }
        return out;
    }
}
