package jrump.fs.ext2fs;

import jrump.rumpkern.Errno;

/**
 * Block and inode allocation (NetBSD's ext2fs_alloc.c, Linux's balloc.c and ialloc.c): bitmaps, group
 * descriptor counts and flags, the superblock's totals, all changed inside the mount's {@link Transaction}.
 * Groups whose bitmaps were never written (uninit_bg's BLOCK_UNINIT, INODE_UNINIT) get them built here
 * the first time they are used, as the kernel does.
 */
final class Allocator {
    private final Ext2fs fs;
    private final Superblock sb;
    private final long descsPerBlock;

    Allocator(Ext2fs fs) {
        this.fs = fs;
        this.sb = fs.sb;
        this.descsPerBlock = sb.blockSize / sb.descSize;
    }

    private boolean groupChecksums() {
        return sb.metadataCsum() || sb.hasRoCompat(Features.RO_COMPAT_GDT_CSUM);
    }

    long groupStart(long g) {
        return sb.firstDataBlock + g * sb.blocksPerGroup;
    }

    long blocksInGroup(long g) {
        return Math.min(sb.blocksPerGroup, sb.blocksCount - groupStart(g));
    }

    private void writeDesc(long g, GroupDesc d) throws Ext2Error {
        byte[] blk = fs.modifyBlock(fs.descriptorBlockOf(g / descsPerBlock), "group descriptors");
        int off = (int) (g % descsPerBlock) * sb.descSize;
        GroupDesc.putCounts(blk, off, sb.descSize, d);
        GroupDesc.seal(sb, g, blk, off, sb.descSize);
    }

    /** Groups whose bitmaps changed since the last commit: their checksums are computed once, at the commit. */
    private final java.util.Set<Long> changedBlockBitmaps = new java.util.TreeSet<>();
    private final java.util.Set<Long> changedInodeBitmaps = new java.util.TreeSet<>();

    private void bitmapChanged(long g, boolean inodeBitmap) {
        if (sb.metadataCsum()) (inodeBitmap ? changedInodeBitmaps : changedBlockBitmaps).add(g);
    }

    /** The bitmap checksums of every group changed since the last commit (metadata_csum), into its descriptor. */
    void sealBitmaps() throws Ext2Error {
        for (long g : changedBlockBitmaps) {
            GroupDesc d = fs.group(g);
            sealBitmapNow(g, fs.modifyBlock(d.blockBitmap(), "block bitmap of group " + g), false);
        }
        for (long g : changedInodeBitmaps) {
            GroupDesc d = fs.group(g);
            sealBitmapNow(g, fs.modifyBlock(d.inodeBitmap(), "inode bitmap of group " + g), true);
        }
        changedBlockBitmaps.clear();
        changedInodeBitmaps.clear();
    }

    private void sealBitmapNow(long g, byte[] bitmap, boolean inodeBitmap) throws Ext2Error {
        long bits = inodeBitmap ? sb.inodesPerGroup : sb.blocksPerGroup;
        int crc = Crc32c.update(sb.checksumSeed, bitmap, 0, (int) (bits / 8));
        byte[] blk = fs.modifyBlock(fs.descriptorBlockOf(g / descsPerBlock), "group descriptors");
        int off = (int) (g % descsPerBlock) * sb.descSize;
        GroupDesc.putBitmapChecksum(blk, off, sb.descSize, inodeBitmap, crc);
        GroupDesc.seal(sb, g, blk, off, sb.descSize);
    }

    // --- bitmaps ----------------------------------------------------------------------------------

    /** Group {@code g}'s block bitmap, writable; a BLOCK_UNINIT group's is built (and the flag cleared). */
    private byte[] blockBitmap(long g, GroupDesc[] d) throws Ext2Error {
        if ((d[0].flags() & GroupDesc.BLOCK_UNINIT) == 0 || !groupChecksums()) {
            return fs.modifyBlock(checkedBitmapBlock(d[0].blockBitmap()), "block bitmap of group " + g);
        }
        byte[] bitmap = fs.freshBlock(checkedBitmapBlock(d[0].blockBitmap()));
        long start = groupStart(g);
        long n = blocksInGroup(g);
        if (fs.hasSuperblockBackup(g)) {
            long gdtBlocks = (sb.groupCount + descsPerBlock - 1) / descsPerBlock;
            setRange(bitmap, 0, Math.min(n, 1 + gdtBlocks + sb.reservedGdtBlocks));
        }
        long itableBlocks = (sb.inodesPerGroup * sb.inodeSize + sb.blockSize - 1) / sb.blockSize;
        for (long o = 0; o < sb.groupCount; o++) {
            GroupDesc od = o == g ? d[0] : fs.group(o);
            markIfInGroup(bitmap, start, n, od.blockBitmap(), 1);
            markIfInGroup(bitmap, start, n, od.inodeBitmap(), 1);
            markIfInGroup(bitmap, start, n, od.inodeTable(), itableBlocks);
        }
        setRange(bitmap, n, (long) sb.blockSize * 8); // past the end of a short last group: never free
        d[0] = d[0].withCounts(d[0].freeBlocks(), d[0].freeInodes(), d[0].usedDirs(), d[0].flags() & ~GroupDesc.BLOCK_UNINIT, d[0].itableUnused());
        writeDesc(g, d[0]);
        return bitmap;
    }

    /** Group {@code g}'s inode bitmap, writable; an INODE_UNINIT group's starts empty. */
    private byte[] inodeBitmap(long g, GroupDesc[] d) throws Ext2Error {
        if ((d[0].flags() & GroupDesc.INODE_UNINIT) == 0 || !groupChecksums()) {
            return fs.modifyBlock(checkedBitmapBlock(d[0].inodeBitmap()), "inode bitmap of group " + g);
        }
        byte[] bitmap = fs.freshBlock(checkedBitmapBlock(d[0].inodeBitmap()));
        setRange(bitmap, sb.inodesPerGroup, (long) sb.blockSize * 8);
        d[0] = d[0].withCounts(d[0].freeBlocks(), d[0].freeInodes(), d[0].usedDirs(), d[0].flags() & ~GroupDesc.INODE_UNINIT, d[0].itableUnused());
        writeDesc(g, d[0]);
        return bitmap;
    }

    private long checkedBitmapBlock(long block) throws Ext2Error {
        if (block <= sb.firstDataBlock || block >= sb.blocksCount) throw Ext2Error.corrupt("bitmap at block " + block);
        return block;
    }

    private static void markIfInGroup(byte[] bitmap, long start, long n, long first, long count) {
        long from = Math.max(first, start);
        long to = Math.min(first + count, start + n);
        if (from < to) setRange(bitmap, from - start, to - start);
    }

    private static void setRange(byte[] bitmap, long from, long to) {
        for (long i = from; i < to; i++) bitmap[(int) (i >>> 3)] |= (byte) (1 << (i & 7));
    }

    private static boolean isSet(byte[] bitmap, long i) {
        return (bitmap[(int) (i >>> 3)] & (1 << (i & 7))) != 0;
    }

    private static void set(byte[] bitmap, long i, boolean on) {
        if (on) bitmap[(int) (i >>> 3)] |= (byte) (1 << (i & 7));
        else bitmap[(int) (i >>> 3)] &= (byte) ~(1 << (i & 7));
    }

    /** The first clear bit in [from, to), or -1. Whole 0xFF bytes are skipped at once. */
    private static long firstClear(byte[] bitmap, long from, long to) {
        long i = from;
        while (i < to) {
            if ((i & 7) == 0 && i + 8 <= to && bitmap[(int) (i >>> 3)] == (byte) 0xff) {
                i += 8;
                continue;
            }
            if (!isSet(bitmap, i)) return i;
            i++;
        }
        return -1;
    }

    // --- blocks -----------------------------------------------------------------------------------

    /**
     * Up to {@code max} contiguous free blocks, the first at or as soon after {@code goal} as can be
     * found: {first, count}. ENOSPC when every group is full.
     */
    long[] allocBlocks(long goal, long max) throws Ext2Error {
        if (max <= 0) throw new IllegalArgumentException("allocating " + max + " blocks");
        if (sb.freeBlocks <= 0) throw new Ext2Error(Errno.ENOSPC, "no free blocks");
        if (goal < sb.firstDataBlock || goal >= sb.blocksCount) goal = sb.firstDataBlock;
        long g0 = (goal - sb.firstDataBlock) / sb.blocksPerGroup;
        for (long i = 0; i <= sb.groupCount; i++) {
            long g = (g0 + i) % sb.groupCount;
            GroupDesc[] d = {fs.group(g)};
            if (d[0].freeBlocks() == 0) continue;
            long n = blocksInGroup(g);
            long from = i == 0 ? goal - groupStart(g) : 0;
            byte[] bitmap = blockBitmap(g, d);
            long bit = firstClear(bitmap, from, n);
            if (bit < 0 && from > 0) bit = firstClear(bitmap, 0, from);
            if (bit < 0) {
                fs.warn("group " + g + " counts " + d[0].freeBlocks() + " free blocks but its bitmap has none");
                continue;
            }
            long len = 1;
            while (len < max && bit + len < n && !isSet(bitmap, bit + len)) len++;
            len = Math.min(len, d[0].freeBlocks());
            setRange(bitmap, bit, bit + len);
            bitmapChanged(g, false);
            d[0] = d[0].withCounts(d[0].freeBlocks() - len, d[0].freeInodes(), d[0].usedDirs(), d[0].flags(), d[0].itableUnused());
            writeDesc(g, d[0]);
            sb.freeBlocks -= len;
            return new long[] {groupStart(g) + bit, len};
        }
        throw new Ext2Error(Errno.ENOSPC, "no free blocks");
    }

    /** Frees the runs a commit gives back; a block already free is reported and left alone. */
    void freeBlocksNow(long first, long count) throws Ext2Error {
        long b = first;
        long end = first + count;
        if (first <= sb.firstDataBlock || end > sb.blocksCount) throw Ext2Error.corrupt("freeing blocks " + first + "+" + count);
        while (b < end) {
            long g = (b - sb.firstDataBlock) / sb.blocksPerGroup;
            long start = groupStart(g);
            long stop = Math.min(end, start + blocksInGroup(g));
            GroupDesc[] d = {fs.group(g)};
            byte[] bitmap = blockBitmap(g, d);
            long freed = 0;
            for (long x = b; x < stop; x++) {
                if (!isSet(bitmap, x - start)) {
                    fs.warn("freeing block " + x + ", which is already free");
                    continue;
                }
                set(bitmap, x - start, false);
                freed++;
            }
            bitmapChanged(g, false);
            d[0] = d[0].withCounts(d[0].freeBlocks() + freed, d[0].freeInodes(), d[0].usedDirs(), d[0].flags(), d[0].itableUnused());
            writeDesc(g, d[0]);
            sb.freeBlocks += freed;
            b = stop;
        }
    }

    // --- inodes -----------------------------------------------------------------------------------

    /**
     * A free inode, placed as Linux's Orlov allocator does, with flex groups (flex_bg) as the unit: a
     * directory at the top of the tree goes to the unit with the fewest directories among those with at
     * least the average of free inodes and of free blocks, most free blocks breaking ties (spreading the
     * tree's branches);
     * a deeper directory stays in its parent's unit while that has at least half the average free inodes
     * and blocks (keeping a branch together); anything else goes in its directory's group, or the next
     * one with room.
     */
    long allocInode(long parentIno, boolean dir) throws Ext2Error {
        if (sb.freeInodes <= 0) throw new Ext2Error(Errno.ENOSPC, "no free inodes");
        long parentGroup = (parentIno - 1) / sb.inodesPerGroup;
        long start = dir ? directoryGroup(parentIno, parentGroup) : parentGroup;
        for (long i = 0; i < sb.groupCount; i++) {
            long g = (start + i) % sb.groupCount;
            GroupDesc[] d = {fs.group(g)};
            if (d[0].freeInodes() == 0) continue;
            byte[] bitmap = inodeBitmap(g, d);
            long from = g == 0 ? sb.firstIno - 1 : 0;
            long bit = firstClear(bitmap, from, sb.inodesPerGroup);
            if (bit < 0) {
                fs.warn("group " + g + " counts " + d[0].freeInodes() + " free inodes but its bitmap has none");
                continue;
            }
            set(bitmap, bit, true);
            bitmapChanged(g, true);
            if (groupChecksums() && (d[0].flags() & GroupDesc.BLOCK_UNINIT) != 0) {
                blockBitmap(g, d); // built now: the kernel never leaves a group with inodes in use BLOCK_UNINIT
                bitmapChanged(g, false);
            }
            long unused = d[0].itableUnused();
            if (groupChecksums() && bit >= sb.inodesPerGroup - unused) unused = sb.inodesPerGroup - bit - 1;
            d[0] = d[0].withCounts(d[0].freeBlocks(), d[0].freeInodes() - 1, d[0].usedDirs() + (dir ? 1 : 0), d[0].flags(), unused);
            writeDesc(g, d[0]);
            sb.freeInodes--;
            return g * sb.inodesPerGroup + bit + 1;
        }
        throw new Ext2Error(Errno.ENOSPC, "no free inodes");
    }

    /** Where a new directory's inode is looked for first (see allocInode). */
    private long directoryGroup(long parentIno, long parentGroup) throws Ext2Error {
        long unit = 1L << sb.logGroupsPerFlex;
        long units = (sb.groupCount + unit - 1) / unit;
        long[] freeInodes = new long[(int) units];
        long[] freeBlocks = new long[(int) units];
        long[] dirs = new long[(int) units];
        for (long g = 0; g < sb.groupCount; g++) {
            GroupDesc d = fs.group(g);
            int u = (int) (g / unit);
            freeInodes[u] += d.freeInodes();
            freeBlocks[u] += d.freeBlocks();
            dirs[u] += d.usedDirs();
        }
        long avgInodes = sb.freeInodes / units;
        long avgBlocks = sb.freeBlocks / units;
        int parentUnit = (int) (parentGroup / unit);
        if (parentIno != Ext2fs.ROOT_INO && freeInodes[parentUnit] >= Math.max(1, avgInodes / 2) && freeBlocks[parentUnit] >= avgBlocks / 2) {
            return parentGroup;
        }
        int best = -1;
        for (int u = 0; u < units; u++) {
            if (freeInodes[u] == 0 || freeInodes[u] < avgInodes || freeBlocks[u] < avgBlocks) continue;
            if (best < 0 || dirs[u] < dirs[best] || dirs[u] == dirs[best] && freeBlocks[u] > freeBlocks[best]) best = u;
        }
        for (int u = 0; best < 0 && u < units; u++) {
            if (freeInodes[u] > 0 && (best < 0 || freeInodes[u] > freeInodes[best])) best = u; // a crowded file system: room first
        }
        if (best < 0) return parentGroup;
        // the unit's first group with a free inode (its own loop below moves on if that one fills meanwhile)
        for (long g = best * unit; g < Math.min(sb.groupCount, (best + 1) * unit); g++) {
            if (fs.group(g).freeInodes() > 0) return g;
        }
        return best * unit;
    }

    void freeInode(long ino, boolean dir) throws Ext2Error {
        if (ino < sb.firstIno || ino > sb.inodesCount) throw Ext2Error.corrupt("freeing inode " + ino);
        long g = (ino - 1) / sb.inodesPerGroup;
        long bit = (ino - 1) % sb.inodesPerGroup;
        GroupDesc[] d = {fs.group(g)};
        byte[] bitmap = inodeBitmap(g, d);
        if (!isSet(bitmap, bit)) {
            fs.warn("freeing inode " + ino + ", which is already free");
            return;
        }
        set(bitmap, bit, false);
        bitmapChanged(g, true);
        d[0] = d[0].withCounts(d[0].freeBlocks(), d[0].freeInodes() + 1, Math.max(0, d[0].usedDirs() - (dir ? 1 : 0)), d[0].flags(), d[0].itableUnused());
        writeDesc(g, d[0]);
        sb.freeInodes++;
    }
}
