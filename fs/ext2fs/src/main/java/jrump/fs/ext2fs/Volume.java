package jrump.fs.ext2fs;

/**
 * An ext2/3/4 volume as its structures are read: the superblock, group descriptors, inodes and block maps,
 * over whatever reads its blocks — a mounted file system's buffer cache ({@link Ext2fs}) or an image file
 * a tool checks ({@link Fsck}).
 */
abstract class Volume {
    final Superblock sb;

    Volume(Superblock sb) {
        this.sb = sb;
    }

    /** A copy of file system block {@code block}; {@code what} names it in errors. */
    abstract byte[] readMetadataBlock(long block, String what) throws Ext2Error;

    /**
     * {@code len} bytes at {@code off} of block {@code block} (an inode, a descriptor) without a copy of the
     * whole block; a mounted file system overrides this to copy straight out of its cache.
     */
    byte[] readMetadata(long block, int off, int len, String what) throws Ext2Error {
        return java.util.Arrays.copyOfRange(readMetadataBlock(block, what), off, off + len);
    }

    /** A line about damage that does not stop the operation (the kernel console, a tool's output). */
    abstract void warn(String message);

    // --- groups and inodes ----------------------------------------------------------------------

    /** The block holding group descriptor block {@code index} (meta_bg puts later ones in their groups). */
    long descriptorBlockOf(long index) {
        long descsPerBlock = sb.blockSize / sb.descSize;
        if (!sb.hasIncompat(Features.INCOMPAT_META_BG) || index < (sb.firstMetaBg & 0xffffffffL)) {
            return sb.firstDataBlock + 1 + index;
        }
        long group = index * descsPerBlock;
        long first = sb.firstDataBlock + group * sb.blocksPerGroup;
        return first + (hasSuperblockBackup(group) ? 1 : 0);
    }

    /** sparse_super: backups in groups 0, 1 and powers of 3, 5 and 7; without it, in every group. */
    boolean hasSuperblockBackup(long group) {
        return !sb.hasRoCompat(Features.RO_COMPAT_SPARSE_SUPER) || Superblock.sparseGroupHasBackup(group);
    }

    GroupDesc group(long g) throws Ext2Error {
        if (g < 0 || g >= sb.groupCount) throw Ext2Error.corrupt("group " + g + " of " + sb.groupCount);
        long descsPerBlock = sb.blockSize / sb.descSize;
        int off = (int) (g % descsPerBlock) * sb.descSize;
        byte[] d = readMetadata(descriptorBlockOf(g / descsPerBlock), off, sb.descSize, "group descriptors");
        return checkedGroup(g, d, 0);
    }

    /** Group {@code g}'s descriptor out of its descriptor block, checked. */
    GroupDesc parseGroup(long g, byte[] blk) throws Ext2Error {
        long descsPerBlock = sb.blockSize / sb.descSize;
        return checkedGroup(g, blk, (int) (g % descsPerBlock) * sb.descSize);
    }

    private GroupDesc checkedGroup(long g, byte[] blk, int off) throws Ext2Error {
        GroupDesc d = GroupDesc.parse(blk, off, sb.descSize);
        if (sb.metadataCsum() && GroupDesc.metadataChecksum(sb, g, blk, off, sb.descSize) != d.checksum()) {
            throw Ext2Error.corrupt("group " + g + ": descriptor checksum mismatch");
        }
        return d;
    }

    Inode readInode(long ino) throws Ext2Error {
        if (ino < 1 || ino > sb.inodesCount) throw Ext2Error.corrupt("inode number " + ino + " out of range");
        long group = (ino - 1) / sb.inodesPerGroup;
        long index = (ino - 1) % sb.inodesPerGroup;
        GroupDesc d = group(group);
        long byteOff = index * sb.inodeSize;
        long block = d.inodeTable() + byteOff / sb.blockSize;
        byte[] raw = readMetadata(block, (int) (byteOff % sb.blockSize), sb.inodeSize, "inode table of group " + group);
        return Inode.parse(ino, raw, sb);
    }

    /** Where logical block {@code lblk} of {@code in} lives. */
    Extents.Run map(Inode in, long lblk) throws Ext2Error {
        if (in.fileMap != null) return in.fileMap.lookup(lblk); // a read-write mount's current map
        return in.hasFlag(Inode.EXTENTS_FL) ? Extents.map(this, in, lblk) : IndirectBlocks.map(this, in, lblk);
    }

}
