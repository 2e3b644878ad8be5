package jrump.fs.ext2fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only check of an ext2/3/4 image (e2fsck -n's role): the superblock, every group's descriptor,
 * bitmaps and inode table, every inode in use and the blocks it claims, every directory, the tree's
 * connectivity, link counts, and the bitmaps and free counts against what was found. Problems are named
 * the way e2fsck names them. Exit status as e2fsck's: 0 clean, 4 problems found (left uncorrected), 8 the
 * check could not be made. Nothing is written.
 */
public final class Fsck {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_UNCORRECTED = 4;
    public static final int EXIT_OPERATIONAL = 8;
    /** Problems beyond this many are counted, not listed. */
    private static final int MAX_LISTED = 200;
    private static final int BG_INODE_UNINIT = 0x1;
    private static final int BG_BLOCK_UNINIT = 0x2;
    private static final long RESIZE_INO = 7;
    private static final int LINK_MAX = 65000;

    /** Reads the image's bytes at an offset. */
    @FunctionalInterface
    public interface Source {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** The outcome: the exit status, the problems, and the lines the check printed. */
    public record Report(int exitStatus, List<String> problems, List<String> output) {
    }

    private final Source source;
    private final long imageSize;
    private final List<String> problems = new ArrayList<>();
    private final List<String> output = new ArrayList<>();
    private int unlisted;
    private Image fs;
    private BitSet claimed;
    private final Map<Long, Inode> inUse = new HashMap<>();
    private final Map<Long, Integer> references = new HashMap<>();
    /** The directory holding each directory's name, and what each directory's ".." says. */
    private final Map<Long, Long> parentOf = new HashMap<>();
    private final Map<Long, Long> dotdot = new HashMap<>();
    private final Map<Long, Integer> xattrBlockRefs = new HashMap<>();
    private long fragmented;
    /** Pass 1's group descriptors (null where one could not be read), for pass 5. */
    private GroupDesc[] descs;

    private Fsck(Source source, long imageSize) {
        this.source = source;
        this.imageSize = imageSize;
    }

    /** Checks the image of {@code imageSize} bytes. */
    public static Report check(Source source, long imageSize) {
        Fsck f = new Fsck(source, imageSize);
        int status = f.run();
        if (f.unlisted > 0) f.output.add("... and " + f.unlisted + " more problems");
        return new Report(status, List.copyOf(f.problems), List.copyOf(f.output));
    }

    /** The volume over the image: blocks read from the source, the journal's blocks first when it needs recovery. */
    private final class Image extends Volume {
        Map<Long, byte[]> journaled = Map.of();

        Image(Superblock sb) {
            super(sb);
        }

        @Override
        byte[] readMetadataBlock(long block, String what) throws Ext2Error {
            if (block < 0 || block >= sb.blocksCount) throw Ext2Error.corrupt(what + ": block " + block + " outside the file system");
            byte[] j = journaled.get(block);
            if (j != null) return j.clone();
            return readBytes(block * sb.blockSize, sb.blockSize, what);
        }

        @Override
        void warn(String message) {
            output.add(message);
        }
    }

    private byte[] readBytes(long offset, int len, String what) throws Ext2Error {
        if (offset < 0 || offset + len > imageSize) throw Ext2Error.corrupt(what + ": past the end of the image");
        ByteBuffer b = ByteBuffer.allocate(len);
        try {
            while (b.hasRemaining()) {
                if (source.read(offset + b.position(), b) < 0) throw Ext2Error.corrupt(what + ": short read");
            }
        } catch (IOException e) {
            throw new Ext2Error(jrump.rumpkern.Errno.EIO, what + ": " + e.getMessage());
        }
        return b.array();
    }

    private void problem(String message) {
        if (problems.size() < MAX_LISTED) {
            problems.add(message);
            output.add(message);
        } else {
            unlisted++;
        }
    }

    private int run() {
        Superblock sb;
        try {
            sb = Superblock.parse(readBytes(Superblock.OFFSET, Superblock.SIZE, "superblock"));
        } catch (Ext2Error e) {
            output.add("ext2fs: bad superblock: " + e.getMessage());
            problems.add("bad superblock: " + e.getMessage());
            return EXIT_OPERATIONAL;
        }
        int unknown = sb.incompat & ~Features.INCOMPAT_SUPPORTED;
        int unknownRo = sb.roCompat & ~Features.RO_COMPAT_SUPPORTED;
        if (unknown != 0 || unknownRo != 0) {
            // a feature that changes what is consistent (shared blocks, bigalloc...): no verdict rather than a wrong one
            List<String> names = new ArrayList<>(Features.names(unknown, true));
            names.addAll(Features.names(unknownRo, false));
            output.add("unsupported feature(s): " + String.join(" ", names) + "; cannot check");
            return EXIT_OPERATIONAL;
        }
        fs = new Image(sb);
        if (sb.blocksCount * sb.blockSize > imageSize) {
            problem("The filesystem size (according to the superblock) is " + sb.blocksCount
                    + " blocks\nThe physical size of the device is " + imageSize / sb.blockSize + " blocks");
            return EXIT_UNCORRECTED;
        }
        try {
            if (sb.hasIncompat(Features.INCOMPAT_RECOVER) && sb.hasCompat(Features.COMPAT_HAS_JOURNAL)) {
                output.add("Warning: the journal needs recovery; checking the file system as the journal leaves it");
                fs.journaled = Journal.overlay(fs);
            }
            claimed = new BitSet();
            output.add("Pass 1: Checking inodes, blocks, and sizes");
            pass1();
            output.add("Pass 2: Checking directory structure");
            pass2();
            output.add("Pass 3: Checking directory connectivity");
            pass3();
            output.add("Pass 4: Checking reference counts");
            pass4();
            output.add("Pass 5: Checking group summary information");
            pass5();
        } catch (Ext2Error e) {
            problem("ext2fs: " + e.getMessage() + " (the check could not go on)");
            return problems.isEmpty() ? EXIT_OPERATIONAL : EXIT_UNCORRECTED;
        }
        long usedInodes = inUse.keySet().stream().filter(i -> i >= sb.firstIno || i == Ext2fs.ROOT_INO).count();
        long usedBlocks = claimed.cardinality();
        output.add(String.format("%s: %d/%d files (%.1f%% non-contiguous), %d/%d blocks",
                sb.volumeName.isEmpty() ? "image" : sb.volumeName, usedInodes + sb.firstIno - 1 - 1, sb.inodesCount,
                usedInodes == 0 ? 0.0 : 100.0 * fragmented / usedInodes, usedBlocks, sb.blocksCount));
        return problems.isEmpty() && unlisted == 0 ? EXIT_CLEAN : EXIT_UNCORRECTED;
    }

    // --- pass 1 -----------------------------------------------------------------------------------

    private void claim(long block, String owner) {
        if (block < fs.sb.firstDataBlock || block >= fs.sb.blocksCount) {
            problem(owner + " has illegal block " + block);
            return;
        }
        if (claimed.get((int) block)) {
            problem(owner + ": block " + block + " is claimed more than once (multiply-claimed)");
            return;
        }
        claimed.set((int) block);
    }

    private void pass1() throws Ext2Error {
        Superblock sb = fs.sb;
        for (long b = 0; b < sb.firstDataBlock; b++) claimed.set((int) b);
        long descsPerBlock = sb.blockSize / sb.descSize;
        long gdtBlocks = (sb.groupCount + descsPerBlock - 1) / descsPerBlock;
        boolean metaBg = sb.hasIncompat(Features.INCOMPAT_META_BG);
        descs = new GroupDesc[(int) sb.groupCount];
        for (long g = 0; g < sb.groupCount; g++) {
            long start = sb.firstDataBlock + g * sb.blocksPerGroup;
            if (fs.hasSuperblockBackup(g)) {
                claim(start, "group " + g + " superblock");
                if (!metaBg) for (long i = 0; i < gdtBlocks; i++) claim(start + 1 + i, "group " + g + " descriptors");
            }
            try {
                descs[(int) g] = fs.group(g);
            } catch (Ext2Error e) {
                problem("One or more block group descriptor checksums are invalid: group " + g + ": " + e.getMessage());
                descs[(int) g] = null;
            }
        }
        if (metaBg) {
            for (long i = 0; i < gdtBlocks; i++) claim(fs.descriptorBlockOf(i), "meta_bg descriptors");
        }
        // resize_inode: the reserved descriptor blocks belong to inode 7, which claims them in its walk
        long itBlocks = (sb.inodesPerGroup * sb.inodeSize + sb.blockSize - 1) / sb.blockSize;
        for (long g = 0; g < sb.groupCount; g++) {
            GroupDesc d = descs[(int) g];
            if (d == null) continue;
            claim(d.blockBitmap(), "group " + g + " block bitmap");
            claim(d.inodeBitmap(), "group " + g + " inode bitmap");
            for (long i = 0; i < itBlocks; i++) claim(d.inodeTable() + i, "group " + g + " inode table");
        }
        for (long g = 0; g < sb.groupCount; g++) {
            GroupDesc d = descs[(int) g];
            if (d == null) continue;
            boolean csumGroups = sb.metadataCsum() || sb.hasRoCompat(Features.RO_COMPAT_GDT_CSUM);
            if (csumGroups && (d.flags() & BG_INODE_UNINIT) != 0) continue;
            long count = sb.inodesPerGroup - (csumGroups ? Math.min(d.itableUnused(), sb.inodesPerGroup) : 0);
            for (long i = 0; i < count; i++) inode(g * sb.inodesPerGroup + i + 1, d);
        }
        long resizeIno = RESIZE_INO;
        if (sb.hasCompat(Features.COMPAT_RESIZE_INODE) && !inUse.containsKey(resizeIno)) {
            problem("Resize inode not valid.");
        }
    }

    private void inode(long ino, GroupDesc d) {
        Superblock sb = fs.sb;
        Inode in;
        try {
            long index = (ino - 1) % sb.inodesPerGroup;
            long byteOff = index * sb.inodeSize;
            byte[] blk = fs.readMetadataBlock(d.inodeTable() + byteOff / sb.blockSize, "inode table");
            byte[] raw = new byte[sb.inodeSize];
            System.arraycopy(blk, (int) (byteOff % sb.blockSize), raw, 0, sb.inodeSize);
            boolean used = (raw[0x1A] | raw[0x1B]) != 0 || (ino < sb.firstIno && ino != 1 && (raw[0] | raw[1]) != 0);
            if (!used) return;
            in = Inode.parse(ino, raw, sb);
        } catch (Ext2Error e) {
            problem("Inode " + ino + ": " + e.getMessage());
            return;
        }
        if (in.linksCount > 0 && in.dtime != 0 && ino >= sb.firstIno) problem("Deleted inode " + ino + " has zero dtime");
        int type = in.type();
        boolean known = type == Inode.S_IFREG || type == Inode.S_IFDIR || type == Inode.S_IFLNK || type == Inode.S_IFCHR
                || type == Inode.S_IFBLK || type == Inode.S_IFIFO || type == Inode.S_IFSOCK;
        if (!known && ino >= sb.firstIno) {
            problem("Inode " + ino + " has a bad mode (0" + Integer.toOctalString(in.mode) + ")");
            return;
        }
        inUse.put(ino, in);
        long[] owned = {0};
        long[] lastLogical = {-1};
        long[] lastWritten = {-1};
        int[] runs = {0};
        String owner = "Inode " + ino;
        boolean symlinkFast = type == Inode.S_IFLNK && !in.hasFlag(Inode.EXTENTS_FL) && !in.hasFlag(Inode.INLINE_DATA_FL)
                && in.blocks512 - (in.fileAcl != 0 ? sb.blockSize / 512 : 0) == 0;
        boolean noBlocks = symlinkFast || type == Inode.S_IFCHR || type == Inode.S_IFBLK || type == Inode.S_IFIFO || type == Inode.S_IFSOCK;
        if (!noBlocks) {
            try {
                BlockWalk.walk(fs, in, new BlockWalk.Visitor() {
                    @Override
                    public void data(long lblk, long pblk, long len, boolean unwritten) {
                        runs[0]++;
                        for (long i = 0; i < len; i++) claim(pblk + i, owner);
                        owned[0] += len;
                        lastLogical[0] = Math.max(lastLogical[0], lblk + len - 1);
                        if (!unwritten) lastWritten[0] = Math.max(lastWritten[0], lblk + len - 1);
                    }

                    @Override
                    public void mapBlock(long pblk) {
                        claim(pblk, owner);
                        owned[0]++;
                    }
                });
            } catch (Ext2Error e) {
                problem(owner + ": " + e.getMessage());
            }
        }
        if (runs[0] > 1) fragmented++;
        if (in.fileAcl != 0 || in.extraIsize > 0) {
            try {
                Xattrs.read(fs, in); // the attribute block's magic, checksum and every entry's bounds
            } catch (Ext2Error e) {
                problem(owner + ": " + e.getMessage());
            }
        }
        if (in.fileAcl != 0) {
            if (xattrBlockRefs.merge(in.fileAcl, 1, Integer::sum) == 1) claim(in.fileAcl, owner + " extended attribute block");
            owned[0]++;
        }
        long expected = owned[0] * (sb.blockSize / 512);
        boolean hugeUnits = sb.hasRoCompat(Features.RO_COMPAT_HUGE_FILE) && in.hasFlag(Inode.HUGE_FILE_FL);
        if (!hugeUnits && in.blocks512 != expected && ino != RESIZE_INO) {
            problem(owner + ", i_blocks is " + in.blocks512 + ", should be " + expected);
        }
        if (type == Inode.S_IFREG && lastLogical[0] >= 0 && !in.hasFlag(Inode.EXTENTS_FL)) {
            // e2fsck's rule: the last mapped block may not start at or past the end... of the size rounded down
            long needed = (lastLogical[0] + 1) * sb.blockSize;
            if (in.size < lastLogical[0] * sb.blockSize) problem(owner + ", i_size is " + in.size + ", should be " + needed);
        }
        if (type == Inode.S_IFREG && in.hasFlag(Inode.EXTENTS_FL) && lastWritten[0] >= 0
                && lastWritten[0] >= (in.size + sb.blockSize - 1) / sb.blockSize) {
            // written extents past the end of the file (preallocated ones must be unwritten)
            problem(owner + ", i_size is " + in.size + ", should be " + (lastWritten[0] + 1) * sb.blockSize);
        }
        if (type == Inode.S_IFDIR && !in.hasFlag(Inode.INLINE_DATA_FL) && in.size % sb.blockSize != 0) {
            problem(owner + " is a directory of " + in.size + " bytes, not whole blocks");
        }
    }

    // --- pass 2 -----------------------------------------------------------------------------------

    private void pass2() {
        for (Map.Entry<Long, Inode> e : inUse.entrySet()) {
            Inode dir = e.getValue();
            if (!dir.isDir() || dir.linksCount == 0) continue;
            long ino = e.getKey();
            List<Ext2Dir.Entry> entries = new ArrayList<>();
            try {
                if (!dir.hasFlag(Inode.INLINE_DATA_FL)) {
                    for (long lblk = 0; lblk * fs.sb.blockSize < dir.size; lblk++) {
                        if (fs.map(dir, lblk).physical() == 0) problem("Directory inode " + ino + " has an unallocated block #" + lblk);
                    }
                }
                Ext2Dir.scan(fs, dir, 0, x -> {
                    entries.add(x);
                    return entries.size() < 50_000_000;
                });
                if (fs.sb.metadataCsum() && !dir.hasFlag(Inode.INLINE_DATA_FL)) checkDirChecksums(dir);
            } catch (Ext2Error x) {
                problem("Directory inode " + ino + ": " + x.getMessage());
                continue;
            }
            boolean sawDot = false;
            boolean sawDotDot = false;
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Ext2Dir.Entry x : entries) {
                if (!names.add(x.name())) {
                    problem("Duplicate entry '" + x.name() + "' found in directory inode " + ino);
                    continue;
                }
                if (x.name().equals(".")) {
                    sawDot = true;
                    if (x.ino() != ino) problem("'.' in directory inode " + ino + " points to " + x.ino());
                    continue;
                }
                if (x.name().equals("..")) {
                    sawDotDot = true;
                    dotdot.put(ino, x.ino());
                    continue;
                }
                Inode target = inUse.get(x.ino());
                if (target == null || target.linksCount == 0) {
                    problem("Entry '" + x.name() + "' in directory inode " + ino + " has deleted/unused inode " + x.ino());
                    continue;
                }
                references.merge(x.ino(), 1, Integer::sum);
                if (target.isDir()) {
                    Long prev = parentOf.get(x.ino());
                    if (prev != null) {
                        problem("Entry '" + x.name() + "' in directory inode " + ino + " is a link to directory " + x.ino() + " also in " + prev);
                    } else {
                        parentOf.put(x.ino(), ino);
                    }
                    if (x.dtype() != jrump.rumpkern.Dirent.DT_DIR && fs.sb.hasIncompat(Features.INCOMPAT_FILETYPE)) {
                        problem("Setting filetype for entry '" + x.name() + "' in directory inode " + ino);
                    }
                }
            }
            if (!sawDot) problem("Missing '.' in directory inode " + ino);
            if (!sawDotDot) problem("Missing '..' in directory inode " + ino);
        }
    }

    /** Leaf blocks end in a dirent tail whose checksum covers the entries (index blocks are skipped). */
    private void checkDirChecksums(Inode dir) throws Ext2Error {
        int bs = fs.sb.blockSize;
        for (long lblk = 0; lblk * bs < dir.size; lblk++) {
            Extents.Run run = fs.map(dir, lblk);
            if (run.physical() == 0) continue;
            byte[] blk = fs.readMetadataBlock(run.physical(), "directory " + dir.ino);
            ByteBuffer b = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN);
            // htree index blocks (the root, and internal nodes: one empty entry spanning the block) carry a
            // dx_tail of their own, not a dirent tail
            boolean indexNode = (dir.hasFlag(Inode.INDEX_FL) && lblk == 0) || (b.getInt(0) == 0 && (b.getShort(4) & 0xffff) == bs);
            if (indexNode) continue;
            int t = bs - 12;
            boolean tail = b.getInt(t) == 0 && (b.getShort(t + 4) & 0xffff) == 12 && blk[t + 6] == 0 && (blk[t + 7] & 0xff) == 0xDE;
            if (!tail) {
                problem("Directory inode " + dir.ino + ", block #" + lblk + ": no space for a directory entry checksum");
                continue;
            }
            int crc = Crc32c.update(dir.checksumSeed(fs.sb), blk, 0, t);
            if (crc != b.getInt(bs - 4)) problem("Directory inode " + dir.ino + ", block #" + lblk + ": directory passes checks but fails checksum");
        }
    }

    // --- pass 3 -----------------------------------------------------------------------------------

    private void pass3() {
        Inode root = inUse.get(Ext2fs.ROOT_INO);
        if (root == null || !root.isDir()) {
            problem("Root inode is not a directory");
            return;
        }
        for (Map.Entry<Long, Inode> e : inUse.entrySet()) {
            long ino = e.getKey();
            if (!e.getValue().isDir() || e.getValue().linksCount == 0 || ino == Ext2fs.ROOT_INO) continue;
            Long parent = parentOf.get(ino);
            if (parent == null) {
                problem("Unconnected directory inode " + ino);
                continue;
            }
            Long dd = dotdot.get(ino);
            if (dd != null && !dd.equals(parent)) problem("'..' in directory inode " + ino + " is " + dd + ", should be " + parent);
            // the '..' entry must name the directory that holds the name
            long walk = ino;
            int depth = 0;
            while (walk != Ext2fs.ROOT_INO && depth++ < 100_000) {
                Long p = parentOf.get(walk);
                if (p == null) break;
                walk = p;
            }
            if (walk != Ext2fs.ROOT_INO) problem("Unconnected directory inode " + ino + " (a loop of directories)");
        }
    }

    // --- pass 4 -----------------------------------------------------------------------------------

    private void pass4() {
        Map<Long, Integer> subdirCount = new HashMap<>();
        for (Map.Entry<Long, Long> p : parentOf.entrySet()) if (!p.getKey().equals(p.getValue())) subdirCount.merge(p.getValue(), 1, Integer::sum);
        for (Map.Entry<Long, Inode> e : inUse.entrySet()) {
            long ino = e.getKey();
            Inode in = e.getValue();
            if (ino < fs.sb.firstIno && ino != Ext2fs.ROOT_INO) continue;
            if (in.linksCount == 0) continue;
            int refs = references.getOrDefault(ino, 0);
            if (in.isDir()) {
                int subdirs = subdirCount.getOrDefault(ino, 0);
                refs = (ino == Ext2fs.ROOT_INO ? 1 : refs) + 1 + subdirs;
                boolean dirNlink = fs.sb.hasRoCompat(Features.RO_COMPAT_DIR_NLINK) && in.linksCount == 1 && refs >= LINK_MAX;
                if (in.linksCount != refs && !dirNlink) problem("Inode " + ino + " ref count is " + in.linksCount + ", should be " + refs);
            } else if (refs == 0) {
                problem("Unattached inode " + ino);
            } else if (in.linksCount != refs) {
                problem("Inode " + ino + " ref count is " + in.linksCount + ", should be " + refs);
            }
        }
        for (Map.Entry<Long, Integer> x : xattrBlockRefs.entrySet()) {
            try {
                byte[] blk = fs.readMetadataBlock(x.getKey(), "extended attribute block");
                int refcount = ByteBuffer.wrap(blk).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
                if (refcount != x.getValue()) {
                    problem("Extended attribute block " + x.getKey() + " has reference count " + refcount + ", should be " + x.getValue());
                }
            } catch (Ext2Error e) {
                problem("Extended attribute block " + x.getKey() + ": " + e.getMessage());
            }
        }
    }

    // --- pass 5 -----------------------------------------------------------------------------------

    private void pass5() throws Ext2Error {
        Superblock sb = fs.sb;
        boolean csumGroups = sb.metadataCsum() || sb.hasRoCompat(Features.RO_COMPAT_GDT_CSUM);
        long totalFreeBlocks = 0;
        long totalFreeInodes = 0;
        List<String> blockDiffs = new ArrayList<>();
        List<String> inodeDiffs = new ArrayList<>();
        for (long g = 0; g < sb.groupCount; g++) {
            GroupDesc d = descs[(int) g];
            if (d == null) continue; // reported in pass 1
            long start = sb.firstDataBlock + g * sb.blocksPerGroup;
            long end = Math.min(start + sb.blocksPerGroup, sb.blocksCount);
            boolean blockUninit = csumGroups && (d.flags() & BG_BLOCK_UNINIT) != 0;
            byte[] bb = blockUninit ? null : fs.readMetadataBlock(d.blockBitmap(), "block bitmap of group " + g);
            long free = 0;
            for (long b = start; b < end; b++) {
                boolean used = claimed.get((int) b);
                if (!used) free++;
                if (bb == null) continue;
                int bit = (int) (b - start);
                boolean onDisk = (bb[bit >>> 3] & (1 << (bit & 7))) != 0;
                if (onDisk != used && blockDiffs.size() < 50) blockDiffs.add((used ? "+" : "-") + b);
            }
            if (blockUninit) {
                // an uninitialised bitmap means: only the group's own metadata is in use
                for (long b = start; b < end; b++) {
                    if (claimed.get((int) b) && !isGroupMetadata(b, g, d) && blockDiffs.size() < 50) blockDiffs.add("+" + b);
                }
            }
            if (d.freeBlocks() != free) problem("Free blocks count wrong for group #" + g + " (" + d.freeBlocks() + ", counted=" + free + ").");
            totalFreeBlocks += free;
            boolean inodeUninit = csumGroups && (d.flags() & BG_INODE_UNINIT) != 0;
            byte[] ib = inodeUninit ? null : fs.readMetadataBlock(d.inodeBitmap(), "inode bitmap of group " + g);
            long freeI = 0;
            long dirs = 0;
            for (long i = 0; i < sb.inodesPerGroup; i++) {
                long ino = g * sb.inodesPerGroup + i + 1;
                Inode in = inUse.get(ino);
                boolean used = (in != null && in.linksCount > 0) || ino < sb.firstIno;
                if (!used) freeI++;
                if (in != null && in.isDir() && in.linksCount > 0) dirs++;
                if (ib == null) continue;
                boolean onDisk = (ib[(int) (i >>> 3)] & (1 << (i & 7))) != 0;
                if (onDisk != used && inodeDiffs.size() < 50) inodeDiffs.add((used ? "+" : "-") + ino);
            }
            if (d.freeInodes() != freeI) problem("Free inodes count wrong for group #" + g + " (" + d.freeInodes() + ", counted=" + freeI + ").");
            if (d.usedDirs() != dirs) problem("Directories count wrong for group #" + g + " (" + d.usedDirs() + ", counted=" + dirs + ").");
            totalFreeInodes += freeI;
        }
        if (!blockDiffs.isEmpty()) problem("Block bitmap differences: " + String.join(" ", blockDiffs));
        if (!inodeDiffs.isEmpty()) problem("Inode bitmap differences: " + String.join(" ", inodeDiffs));
        // the superblock's totals are a hint ext4 keeps lazily (e2fsck -n does not count them as damage)
        if (sb.freeBlocks != totalFreeBlocks) output.add("note: superblock free blocks " + sb.freeBlocks + ", counted " + totalFreeBlocks);
        if (sb.freeInodes != totalFreeInodes) output.add("note: superblock free inodes " + sb.freeInodes + ", counted " + totalFreeInodes);
    }

    private boolean isGroupMetadata(long b, long g, GroupDesc d) {
        long itBlocks = (fs.sb.inodesPerGroup * fs.sb.inodeSize + fs.sb.blockSize - 1) / fs.sb.blockSize;
        long start = fs.sb.firstDataBlock + g * fs.sb.blocksPerGroup;
        long descsPerBlock = fs.sb.blockSize / fs.sb.descSize;
        long gdt = (fs.sb.groupCount + descsPerBlock - 1) / descsPerBlock;
        // with resize_inode, the descriptor copies are followed by the blocks reserved for more of them
        long reserved = fs.sb.hasCompat(Features.COMPAT_RESIZE_INODE)
                ? ByteBuffer.wrap(fs.sb.raw).order(ByteOrder.LITTLE_ENDIAN).getShort(0xCE) & 0xffff : 0;
        if (fs.hasSuperblockBackup(g) && b >= start && b < start + 1 + gdt + reserved) return true;
        return b == d.blockBitmap() || b == d.inodeBitmap() || (b >= d.inodeTable() && b < d.inodeTable() + itBlocks);
    }
}
