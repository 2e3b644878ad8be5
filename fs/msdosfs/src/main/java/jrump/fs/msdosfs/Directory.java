package jrump.fs.msdosfs;

import jrump.rumpkern.Errno;
import jrump.rumpvfs.vnode.CachedBlock;

/**
 * Directories on the disk (NetBSD's msdosfs_lookup.c and the directory half of msdosfs_denode.c): the
 * walk that builds a {@link DirIndex}, adding an entry (its alias, its long-name pieces, room found or
 * made), removing one, and the ".." entry a directory that changes parent must have rewritten.
 *
 * <p>Locking: every method runs under the mount's lock.
 */
final class Directory {
    /** fatgen103: a directory holds at most 65,536 entries (2 MiB). */
    static final int MAX_SLOTS = 65536;
    /** The slot of "..": the second entry of a subdirectory. */
    static final int DOTDOT_SLOT = 1;

    private Directory() {
    }

    private static boolean fixedRoot(Msdosfs fs, MsdosNode dir) {
        return dir.isRoot && !fs.bpb.isFat32();
    }

    static int totalSlots(Msdosfs fs, MsdosNode dir) throws FatError {
        if (fixedRoot(fs, dir)) return fs.bpb.rootEntries;
        long slots = (long) fs.chain(dir).length() * (fs.bpb.clusterBytes / DirEntry.SIZE);
        if (slots > MAX_SLOTS * 2L) throw FatError.corrupt("a directory of " + slots + " entries (at most " + MAX_SLOTS + ")");
        return (int) slots;
    }

    /** The device position of slot {@code slot}. */
    static long slotPos(Msdosfs fs, MsdosNode dir, int slot) throws FatError {
        long off = (long) slot * DirEntry.SIZE;
        if (fixedRoot(fs, dir)) return fs.bpb.firstRootDirSector * fs.bpb.bytesPerSector + off;
        FatChain ch = fs.chain(dir);
        int ci = (int) (off / fs.bpb.clusterBytes);
        if (ci >= ch.length()) throw FatError.corrupt("slot " + slot + " past the end of a directory");
        return fs.bpb.clusterOffset(ch.get(ci)) + off % fs.bpb.clusterBytes;
    }

    /** The directory's index, built by one walk on first use. */
    static DirIndex index(Msdosfs fs, MsdosNode dir) throws FatError {
        if (dir.index != null) return dir.index;
        if (dir.removed) return dir.index = new DirIndex(0);
        int total = totalSlots(fs, dir);
        DirIndex idx = new DirIndex(total);
        Walk w = new Walk(idx);
        int perBlock = fixedRoot(fs, dir) ? fs.bpb.bytesPerSector / DirEntry.SIZE : fs.bpb.clusterBytes / DirEntry.SIZE;
        for (int slot = 0; slot < total && !w.ended; slot += perBlock) {
            long start = slotPos(fs, dir, slot);
            CachedBlock b = fs.block(start, false);
            try {
                for (int i = 0; i < perBlock && slot + i < total && !w.ended; i++) w.slot(b.bytes(), i * DirEntry.SIZE, slot + i);
            } finally {
                fs.bufs.brelse(b);
            }
        }
        w.finish(total);
        dir.index = idx;
        return idx;
    }

    /** The state of one walk over a directory's slots in order. */
    private static final class Walk {
        final DirIndex idx;
        final LongName.Assembler lfn = new LongName.Assembler();
        /** The first long-name slot not yet part of an entry, or -1. */
        int junkFrom = -1;
        boolean ended;

        Walk(DirIndex idx) {
            this.idx = idx;
        }

        void slot(byte[] b, int off, int slot) {
            int first = b[off] & 0xff;
            if (first == DirEntry.END_OF_DIRECTORY) {
                flushJunk(slot);
                ended = true;
                return;
            }
            if (first == DirEntry.FREE_SLOT) {
                flushJunk(slot);
                lfn.reset();
                return;
            }
            int attr = b[off + DirEntry.DIR_ATTR] & 0xff;
            if ((attr & DirEntry.ATTR_LONG_NAME_MASK) == DirEntry.ATTR_LONG_NAME) {
                if (junkFrom < 0) junkFrom = slot;
                lfn.add(b, off, slot);
                return;
            }
            DirEntry e = DirEntry.parse(b, off);
            int lfnFirst = lfn.firstSlot();
            String longName = lfn.finish(e.name);
            int entryFirst = longName != null ? lfnFirst : slot;
            flushJunk(entryFirst);
            String raw = e.rawName();
            DirIndex.Kind kind;
            if ((attr & DirEntry.ATTR_VOLUME_ID) != 0) kind = DirIndex.Kind.LABEL;
            else if (raw.equals(".          ") || raw.equals("..         ")) kind = DirIndex.Kind.DOT;
            else kind = DirIndex.Kind.FILE;
            String name = longName != null ? longName : e.displayName();
            idx.add(new DirIndex.Item(entryFirst, slot, kind, name, raw, e.isDir(), e.isDir() ? e.firstCluster : 0));
        }

        /** Long-name pieces before {@code upTo} that belong to no entry occupy their slots as junk. */
        void flushJunk(int upTo) {
            if (junkFrom >= 0 && junkFrom < upTo) {
                idx.add(new DirIndex.Item(junkFrom, upTo - 1, DirIndex.Kind.JUNK, "", "", false, 0));
            }
            junkFrom = -1;
        }

        void finish(int total) {
            if (!ended) flushJunk(total);
        }
    }

    /** The short entry at device position {@code pos}. */
    static DirEntry readEntry(Msdosfs fs, long pos) throws FatError {
        byte[] raw = new byte[DirEntry.SIZE];
        fs.read(pos, raw, 0, raw.length);
        return DirEntry.parse(raw, 0);
    }

    private static void writeSlots(Msdosfs fs, MsdosNode dir, int first, byte[] data) throws FatError {
        for (int i = 0; i < data.length / DirEntry.SIZE; i++) fs.write(slotPos(fs, dir, first + i), data, i * DirEntry.SIZE, DirEntry.SIZE);
    }

    /**
     * Adds {@code name} for entry {@code e} (its name bytes and DIR_NTRes are set here): an 8.3 name as it
     * is when the name is one, else an alias unique in the directory and the long-name pieces. EEXIST when
     * the name (or an alias equal to it) is there, ENOSPC when the directory cannot grow.
     */
    static DirIndex.Item add(Msdosfs fs, MsdosNode dir, String name, DirEntry e) throws FatError {
        ShortNames.check(name);
        DirIndex idx = index(fs, dir);
        if (idx.lookup(name) != null) throw new FatError(Errno.EEXIST, name);
        byte[] data = ShortNames.slotsFor(name, e, idx.shortNames());
        int n = data.length / DirEntry.SIZE;
        int first = idx.findFree(n);
        while (first < 0) {
            grow(fs, dir, idx);
            first = idx.findFree(n);
        }
        writeSlots(fs, dir, first, data);
        DirIndex.Item it = new DirIndex.Item(first, first + n - 1, DirIndex.Kind.FILE, name, e.rawName(), e.isDir(), e.isDir() ? e.firstCluster : 0);
        idx.add(it);
        return it;
    }

    /** One more zeroed cluster for a directory; ENOSPC for the fixed FAT12/16 root or past 65,536 entries. */
    private static void grow(Msdosfs fs, MsdosNode dir, DirIndex idx) throws FatError {
        if (fixedRoot(fs, dir)) throw new FatError(Errno.ENOSPC, "the root directory is full (" + fs.bpb.rootEntries + " entries)");
        int perCluster = fs.bpb.clusterBytes / DirEntry.SIZE;
        if (idx.totalSlots + perCluster > MAX_SLOTS) throw new FatError(Errno.ENOSPC, "a directory holds at most " + MAX_SLOTS + " entries");
        FatChain ch = fs.chain(dir);
        long c = fs.fat.allocate(1, ch.last());
        fs.zeroCluster(c);
        ch.add(c);
        idx.totalSlots += perCluster;
    }

    /** Marks the slots of {@code it} free (0xE5) and drops it from the index. */
    static void remove(Msdosfs fs, MsdosNode dir, DirIndex.Item it) throws FatError {
        byte[] mark = {(byte) DirEntry.FREE_SLOT};
        for (int s = it.first(); s <= it.slot(); s++) fs.write(slotPos(fs, dir, s), mark, 0, 1);
        index(fs, dir).remove(it);
    }

    /**
     * Whether {@code it} is the entry of {@code n}: a directory by its first cluster, a file by its slot.
     * A removed node is nobody's entry: a lookup that raced a removal can hold the old vnode of a name
     * whose new directory took the same (freed) cluster, and must not remove the new one through it.
     */
    static boolean isEntryOf(Msdosfs fs, MsdosNode dir, DirIndex.Item it, MsdosNode n) throws FatError {
        if (n.removed) return false;
        if (n.isDir) return it.isDir() && it.dirCluster() == n.entry.firstCluster;
        return !it.isDir() && slotPos(fs, dir, it.slot()) == n.entryPos;
    }

    /** The parent cluster a subdirectory's ".." names (0: the root). */
    static long dotDotCluster(Msdosfs fs, long dirCluster) throws FatError {
        DirEntry dd = readEntry(fs, fs.bpb.clusterOffset(dirCluster) + DOTDOT_SLOT * DirEntry.SIZE);
        if (!dd.rawName().equals("..         ")) throw FatError.corrupt("the directory at cluster " + dirCluster + " has no '..' entry");
        return dd.firstCluster;
    }

    /** Points a moved directory's ".." at its new parent. */
    static void setDotDot(Msdosfs fs, long dirCluster, long parentCluster) throws FatError {
        long pos = fs.bpb.clusterOffset(dirCluster) + DOTDOT_SLOT * DirEntry.SIZE;
        byte[] raw = new byte[DirEntry.SIZE];
        fs.read(pos, raw, 0, raw.length);
        DirEntry dd = DirEntry.parse(raw, 0);
        dd.firstCluster = parentCluster;
        dd.write(raw, 0);
        fs.write(pos, raw, 0, raw.length);
    }

    /**
     * The device position of the short entry of the directory starting at {@code dirCluster}, found in
     * the parent its ".." names (a directory reached through ".." from a child).
     */
    static long findEntryOf(Msdosfs fs, long dirCluster, long parentCluster) throws FatError {
        MsdosNode parent = parentCluster == 0 ? fs.newRoot() : probe(fs, parentCluster);
        DirIndex idx = index(fs, parent);
        for (DirIndex.Item it : idx.from(0)) {
            if (it.kind() == DirIndex.Kind.FILE && it.isDir() && it.dirCluster() == dirCluster) return slotPos(fs, parent, it.slot());
        }
        throw FatError.corrupt("no entry for the directory at cluster " + dirCluster + " in its parent at cluster " + parentCluster);
    }

    /** A throwaway node of the directory at {@code cluster}, only to walk it. */
    private static MsdosNode probe(Msdosfs fs, long cluster) {
        DirEntry e = new DirEntry();
        e.attr = DirEntry.ATTR_DIRECTORY;
        e.firstCluster = cluster;
        return new MsdosNode(-1, true, false, e, MsdosNode.NO_ENTRY, -1);
    }

    /**
     * Whether the directory at {@code cluster} is {@code ancestor} or below it, walking ".." entries up to
     * the root; a walk longer than the volume has clusters is a cycle (EIO).
     */
    static boolean isWithin(Msdosfs fs, long cluster, long ancestor) throws FatError {
        long c = cluster;
        for (long steps = 0; c != 0; steps++) {
            if (c == ancestor) return true;
            if (steps > fs.bpb.clusterCount) throw FatError.corrupt("the directories above cluster " + cluster + " form a cycle");
            if (!fs.fat.valid(c)) throw FatError.corrupt("'..' names cluster " + c);
            c = dotDotCluster(fs, c);
        }
        return ancestor == 0;
    }
}
