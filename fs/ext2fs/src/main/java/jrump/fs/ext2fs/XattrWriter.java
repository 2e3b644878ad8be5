package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jrump.rumpkern.Errno;

/**
 * Setting and removing extended attributes (attributes.rst): the inode's whole set is laid out again,
 * into the space after the inode's extra fields first and the rest into an attribute block (entries
 * sorted, values packed from the block's end, entry and block hashes, the block checksum). A block other
 * inodes share (h_refcount above 1) is never changed in place: this inode gets a copy of its own.
 */
final class XattrWriter {
    /** Values and entries are padded to 4 bytes (EXT2_EXT_ATTR_PAD). */
    private static final int PAD = 4;
    private static final int NAME_HASH_SHIFT = 5;
    private static final int VALUE_HASH_SHIFT = 16;
    private static final int BLOCK_HASH_SHIFT = 16;
    private static final int OFF_REFCOUNT = 4;
    private static final int OFF_BLOCKS = 8;
    private static final int OFF_HASH = 0xC;
    private static final int OFF_CHECKSUM = 0x10;

    private XattrWriter() {
    }

    /** The on-disk (index, suffix) of a VFS name, or null when ext4 has no index for it. */
    static Object[] onDisk(int namespace, String name) {
        if (namespace == 1) return new Object[] {Xattrs.INDEX_USER, name};
        if (name.startsWith("trusted.")) return new Object[] {Xattrs.INDEX_TRUSTED, name.substring(8)};
        if (name.startsWith("security.")) return new Object[] {Xattrs.INDEX_SECURITY, name.substring(9)};
        if (name.equals("posix_acl_access")) return new Object[] {Xattrs.INDEX_POSIX_ACL_ACCESS, ""};
        if (name.equals("posix_acl_default")) return new Object[] {Xattrs.INDEX_POSIX_ACL_DEFAULT, ""};
        if (name.equals("richacl")) return new Object[] {Xattrs.INDEX_RICHACL, ""};
        return new Object[] {Xattrs.INDEX_SYSTEM, name};
    }

    /** Sets ({@code value} non-null) or removes one attribute of {@code in}. ENOATTR, ENOSPC, ERANGE. */
    static void set(Ext2fs fs, Inode in, int namespace, String name, byte[] value) throws Ext2Error {
        Object[] key = onDisk(namespace, name);
        int index = (Integer) key[0];
        String suffix = (String) key[1];
        if (suffix.getBytes(StandardCharsets.UTF_8).length > 255) throw new Ext2Error(Errno.ERANGE, "attribute name " + name);
        if (index == Xattrs.INDEX_SYSTEM && suffix.equals("data")) throw new Ext2Error(Errno.EPERM, "system.data belongs to inline data");
        List<Xattrs.Attr> attrs = new ArrayList<>(Xattrs.read(fs, in));
        for (Xattrs.Attr a : attrs) {
            if (a.value() == null) throw new Ext2Error(Errno.EOPNOTSUPP, "inode " + in.ino + ": attribute values in their own inodes (ea_inode)");
        }
        boolean found = attrs.removeIf(a -> a.index() == index && a.name().equals(suffix));
        if (value == null && !found) throw new Ext2Error(Errno.ENOATTR, name);
        if (value != null) attrs.add(new Xattrs.Attr(index, suffix, value, 0));
        lay(fs, in, attrs);
        in.ctime = fs.kernel.wallNanos();
        fs.markDirty(in);
    }

    /** Drops inline data's "system.data" (the content has moved to a block). */
    static void removeInlineData(Ext2fs fs, Inode in) throws Ext2Error {
        List<Xattrs.Attr> attrs = new ArrayList<>(Xattrs.read(fs, in));
        if (attrs.removeIf(a -> a.index() == Xattrs.INDEX_SYSTEM && a.name().equals("data"))) lay(fs, in, attrs);
    }

    private static int entrySize(Xattrs.Attr a) {
        return pad(Xattrs.ENTRY_HEADER + a.name().getBytes(StandardCharsets.UTF_8).length);
    }

    private static int pad(int n) {
        return (n + PAD - 1) & ~(PAD - 1);
    }

    /** Puts the set into the inode's space and, what does not fit, into a block. */
    private static void lay(Ext2fs fs, Inode in, List<Xattrs.Attr> attrs) throws Ext2Error {
        int start = in.inlineXattrOffset();
        int inodeRoom = in.raw.length - start - 4 - 4; // magic, terminator
        List<Xattrs.Attr> inInode = new ArrayList<>();
        List<Xattrs.Attr> inBlock = new ArrayList<>();
        // inline data's system.data must stay in the inode: it goes first
        attrs.sort(Comparator.comparing((Xattrs.Attr a) -> !(a.index() == Xattrs.INDEX_SYSTEM && a.name().equals("data"))));
        int used = 0;
        for (Xattrs.Attr a : attrs) {
            int need = entrySize(a) + pad(a.value().length);
            if (in.raw.length > Superblock.GOOD_OLD_INODE_SIZE && used + need <= inodeRoom) {
                inInode.add(a);
                used += need;
            } else {
                inBlock.add(a);
            }
        }
        int bs = fs.sb.blockSize;
        int blockNeed = 0;
        for (Xattrs.Attr a : inBlock) blockNeed += entrySize(a) + pad(a.value().length);
        if (blockNeed > bs - Xattrs.BLOCK_HEADER - 4) throw new Ext2Error(Errno.ENOSPC, "inode " + in.ino + ": attributes do not fit a block");
        if (!inBlock.isEmpty() && !fs.sb.hasCompat(Features.COMPAT_EXT_ATTR)) fs.warn("writing attributes on a file system without ext_attr");

        if (in.raw.length > Superblock.GOOD_OLD_INODE_SIZE) {
            java.util.Arrays.fill(in.raw, start, in.raw.length, (byte) 0);
            if (!inInode.isEmpty()) {
                ByteBuffer b = ByteBuffer.wrap(in.raw).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(start, Xattrs.MAGIC);
                write(in.raw, start + 4, start + 4, in.raw.length, inInode);
            }
        }

        long old = in.fileAcl;
        if (inBlock.isEmpty()) {
            if (old != 0) {
                Xattrs.releaseBlock(fs, in);
                in.fileAcl = 0;
                in.blocks512 -= bs / 512;
            }
            return;
        }
        byte[] blk;
        long block;
        if (old != 0 && refcount(fs, old) <= 1) {
            block = old;
            blk = fs.modifyBlock(block, "xattr block of inode " + in.ino);
            java.util.Arrays.fill(blk, (byte) 0);
        } else {
            if (old != 0) Xattrs.releaseBlock(fs, in);
            long goal = fs.alloc.groupStart((in.ino - 1) / fs.sb.inodesPerGroup);
            block = fs.alloc.allocBlocks(goal, 1)[0];
            blk = fs.freshBlock(block);
            in.fileAcl = block;
            if (old == 0) in.blocks512 += bs / 512;
        }
        inBlock.sort(Comparator.comparingInt(Xattrs.Attr::index).thenComparingInt(a -> a.name().length()).thenComparing(Xattrs.Attr::name));
        ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Xattrs.MAGIC);
        b.putInt(OFF_REFCOUNT, 1);
        b.putInt(OFF_BLOCKS, 1);
        int[] hashes = write(blk, Xattrs.BLOCK_HEADER, 0, bs, inBlock);
        int h = 0;
        for (int eh : hashes) {
            if (eh == 0) {
                h = 0;
                break;
            }
            h = (h << BLOCK_HASH_SHIFT) ^ (h >>> (32 - BLOCK_HASH_SHIFT)) ^ eh;
        }
        b.putInt(OFF_HASH, h);
        if (fs.sb.metadataCsum()) b.putInt(OFF_CHECKSUM, Xattrs.blockChecksum(fs.sb, block, blk));
    }

    private static int refcount(Ext2fs fs, long block) throws Ext2Error {
        byte[] blk = fs.readMetadataBlock(block, "xattr block");
        return ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN).getInt(OFF_REFCOUNT);
    }

    /**
     * Entries from {@code first} up, values from {@code end} down (offsets counted from {@code valueBase});
     * returns the entries' hashes.
     */
    private static int[] write(byte[] area, int first, int valueBase, int end, List<Xattrs.Attr> attrs) {
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        int[] hashes = new int[attrs.size()];
        int p = first;
        int v = end;
        for (int i = 0; i < attrs.size(); i++) {
            Xattrs.Attr a = attrs.get(i);
            byte[] nm = a.name().getBytes(StandardCharsets.UTF_8);
            byte[] val = a.value();
            v -= pad(val.length);
            System.arraycopy(val, 0, area, v, val.length);
            area[p] = (byte) nm.length;
            area[p + 1] = (byte) a.index();
            b.putShort(p + 2, (short) (val.length == 0 ? 0 : v - valueBase));
            b.putInt(p + 4, 0);
            b.putInt(p + 8, val.length);
            hashes[i] = entryHash(nm, val);
            b.putInt(p + 12, hashes[i]);
            System.arraycopy(nm, 0, area, p + Xattrs.ENTRY_HEADER, nm.length);
            p += pad(Xattrs.ENTRY_HEADER + nm.length);
        }
        return hashes;
    }

    /** ext2fs_ext_attr_hash_entry: the name's bytes (as signed chars), then the value's 32-bit words. */
    static int entryHash(byte[] name, byte[] value) {
        int h = 0;
        for (byte c : name) h = (h << NAME_HASH_SHIFT) ^ (h >>> (32 - NAME_HASH_SHIFT)) ^ c;
        byte[] padded = java.util.Arrays.copyOf(value, pad(value.length));
        ByteBuffer w = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < padded.length; i += 4) h = (h << VALUE_HASH_SHIFT) ^ (h >>> (32 - VALUE_HASH_SHIFT)) ^ w.getInt(i);
        return h;
    }
}
