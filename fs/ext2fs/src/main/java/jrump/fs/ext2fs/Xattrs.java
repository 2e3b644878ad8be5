package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;

/**
 * Extended attributes (Documentation/filesystems/ext4/attributes.rst): entries in the inode after its extra
 * fields (after a magic number) and in one attribute block (after a 32-byte header), each with a name
 * index (the prefix: user., trusted., security., system.posix_acl_*...), a name and a value.
 */
final class Xattrs {
    static final int MAGIC = 0xEA020000;
    static final int BLOCK_HEADER = 32;
    static final int ENTRY_HEADER = 16;
    private static final int OFF_BLOCK_CHECKSUM = 0x10;

    // name indexes (attributes.rst, "Attribute Name Indices")
    static final int INDEX_USER = 1;
    static final int INDEX_POSIX_ACL_ACCESS = 2;
    static final int INDEX_POSIX_ACL_DEFAULT = 3;
    static final int INDEX_TRUSTED = 4;
    static final int INDEX_SECURITY = 6;
    static final int INDEX_SYSTEM = 7;
    static final int INDEX_RICHACL = 8;

    /** One attribute; {@code valueInode} non-zero when the value lives in an inode of its own (ea_inode). */
    record Attr(int index, String name, byte[] value, long valueInode) {
    }

    private Xattrs() {
    }

    /** All attributes of {@code in}: the in-inode ones first, then its block's. */
    static List<Attr> read(Volume fs, Inode in) throws Ext2Error {
        List<Attr> out = new ArrayList<>();
        int start = in.inlineXattrOffset();
        if (in.raw.length > Superblock.GOOD_OLD_INODE_SIZE && start + 4 <= in.raw.length) {
            ByteBuffer b = ByteBuffer.wrap(in.raw).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(start) == MAGIC) entries(in, in.raw, start + 4, start + 4, in.raw.length, out);
        }
        if (in.fileAcl != 0) {
            byte[] blk = fs.readMetadataBlock(in.fileAcl, "xattr block of inode " + in.ino);
            ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != MAGIC) throw Ext2Error.corrupt("inode " + in.ino + ": xattr block " + in.fileAcl + " has no magic");
            if (b.getInt(8) != 1) throw Ext2Error.corrupt("inode " + in.ino + ": xattr block spans " + b.getInt(8) + " blocks");
            if (fs.sb.metadataCsum() && blockChecksum(fs.sb, in.fileAcl, blk) != b.getInt(OFF_BLOCK_CHECKSUM)) {
                throw Ext2Error.corrupt("inode " + in.ino + ": xattr block checksum mismatch");
            }
            entries(in, blk, BLOCK_HEADER, 0, blk.length, out);
        }
        return out;
    }

    /** ext4_xattr_block_csum: crc32c of the seed, the block's number and the block with its checksum zeroed. */
    static int blockChecksum(Superblock sb, long block, byte[] blk) {
        byte[] copy = blk.clone();
        for (int i = 0; i < 4; i++) copy[OFF_BLOCK_CHECKSUM + i] = 0;
        byte[] num = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(block).array();
        return Crc32c.update(Crc32c.update(sb.checksumSeed, num, 0, 8), copy, 0, copy.length);
    }

    /**
     * An inode lets go of its attribute block: the block's h_refcount drops, and the block is freed when no
     * inode shares it any more.
     */
    static void releaseBlock(Ext2fs fs, Inode in) throws Ext2Error {
        byte[] blk = fs.modifyBlock(in.fileAcl, "xattr block of inode " + in.ino);
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) throw Ext2Error.corrupt("inode " + in.ino + ": xattr block " + in.fileAcl + " has no magic");
        int refs = b.getInt(4);
        if (refs <= 1) {
            fs.tx.free(in.fileAcl, 1);
            return;
        }
        b.putInt(4, refs - 1);
        if (fs.sb.metadataCsum()) b.putInt(OFF_BLOCK_CHECKSUM, blockChecksum(fs.sb, in.fileAcl, blk));
    }

    /**
     * Entries from {@code first} until the four zero bytes that end them; value offsets count from
     * {@code valueBase} (the first entry in an inode, the block's start in a block).
     */
    private static void entries(Inode in, byte[] area, int first, int valueBase, int end, List<Attr> out) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        int p = first;
        while (p + 4 <= end && b.getInt(p) != 0) {
            if (p + ENTRY_HEADER > end) throw Ext2Error.corrupt("inode " + in.ino + ": xattr entry runs past its area");
            int nameLen = area[p] & 0xff;
            int index = area[p + 1] & 0xff;
            int valueOffs = b.getShort(p + 2) & 0xffff;
            long valueInum = b.getInt(p + 4) & 0xffffffffL;
            long valueSize = b.getInt(p + 8) & 0xffffffffL;
            if (p + ENTRY_HEADER + nameLen > end) throw Ext2Error.corrupt("inode " + in.ino + ": xattr name runs past its area");
            String name = new String(area, p + ENTRY_HEADER, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            byte[] value = null;
            if (valueInum == 0) {
                long vstart = (long) valueBase + valueOffs;
                if (vstart + valueSize > end || valueSize > Integer.MAX_VALUE) {
                    throw Ext2Error.corrupt("inode " + in.ino + ": xattr value of " + name + " runs past its area");
                }
                value = java.util.Arrays.copyOfRange(area, (int) vstart, (int) (vstart + valueSize));
            }
            out.add(new Attr(index, name, value, valueInum));
            p += (ENTRY_HEADER + nameLen + 3) & ~3;
        }
    }

    /** The attribute's name in the VFS's namespaces: (namespace, name) as extattr sees it, or null to hide it. */
    static String[] vfsName(Attr a) {
        String ns = switch (a.index()) {
            case INDEX_USER -> "1";
            default -> "2";
        };
        String name = switch (a.index()) {
            case INDEX_USER -> a.name();
            case INDEX_POSIX_ACL_ACCESS -> "posix_acl_access";
            case INDEX_POSIX_ACL_DEFAULT -> "posix_acl_default";
            case INDEX_TRUSTED -> "trusted." + a.name();
            case INDEX_SECURITY -> "security." + a.name();
            case INDEX_SYSTEM -> a.name();
            case INDEX_RICHACL -> "richacl";
            default -> null;
        };
        return name == null ? null : new String[] {ns, name};
    }

    /** A value kept in its own inode is not read yet. */
    static byte[] value(Attr a) throws Ext2Error {
        if (a.value() == null) throw new Ext2Error(Errno.EOPNOTSUPP, "xattr value in inode " + a.valueInode() + " (ea_inode)");
        return a.value();
    }
}
