package jrump.fs.msdosfs;

import java.util.BitSet;

import jrump.rumpkern.Errno;

/**
 * The File Allocation Table in memory (fatgen103 "FAT Data Structure"): the bytes of one copy, read at
 * mount, with the sectors changed since the last {@link #writeBack} remembered so that every copy gets
 * them. Holding the table costs 1.5 to 4 bytes a cluster (4 MiB for a million clusters) and makes every
 * chain walk and allocation a memory operation.
 *
 * <p>Locking: callers hold the mount's lock.
 */
final class Fat {
    /** Entry value of a free cluster. */
    static final long FREE = 0;
    /** FAT32: the high 4 bits of an entry are reserved and kept as found (fatgen103). */
    private static final long FAT32_MASK = 0x0FFFFFFFL;

    final FatType type;
    private final byte[] raw;
    private final int bytesPerSector;
    private final long maxCluster;
    private final BitSet dirtySectors = new BitSet();
    private long freeCount;
    /** Where the next allocation starts looking (FSI_Nxt_Free). */
    private long nextFree = 2;

    /** A table over {@code raw} (one copy's bytes), for clusters 2 to {@code maxCluster}. */
    Fat(FatType type, byte[] raw, int bytesPerSector, long maxCluster) {
        this.type = type;
        this.raw = raw;
        this.bytesPerSector = bytesPerSector;
        this.maxCluster = maxCluster;
        long free = 0;
        for (long c = 2; c <= maxCluster; c++) if (get(c) == FREE) free++;
        this.freeCount = free; // counted, never taken from FSInfo: NetBSD leaves that stale
    }

    long maxCluster() {
        return maxCluster;
    }

    long freeCount() {
        return freeCount;
    }

    long nextFree() {
        return nextFree;
    }

    byte[] raw() {
        return raw;
    }

    /** The entry of cluster {@code c} (0 and 1 are the reserved entries). */
    long get(long c) {
        return switch (type) {
            case FAT12 -> {
                int off = (int) (c + c / 2);
                int v = (raw[off] & 0xff) | (raw[off + 1] & 0xff) << 8;
                yield (c & 1) == 0 ? v & 0xFFF : v >>> 4;
            }
            case FAT16 -> {
                int off = (int) (c * 2);
                yield (raw[off] & 0xff) | (raw[off + 1] & 0xff) << 8;
            }
            case FAT32 -> {
                int off = (int) (c * 4);
                long v = (raw[off] & 0xffL) | (raw[off + 1] & 0xffL) << 8 | (raw[off + 2] & 0xffL) << 16 | (raw[off + 3] & 0xffL) << 24;
                yield v & FAT32_MASK;
            }
        };
    }

    /** Sets the entry of cluster {@code c}, keeping the free count. */
    void set(long c, long value) {
        long old = get(c);
        if (c >= 2) {
            if (old == FREE && value != FREE) freeCount--;
            if (old != FREE && value == FREE) freeCount++;
        }
        switch (type) {
            case FAT12 -> {
                int off = (int) (c + c / 2);
                int v = (raw[off] & 0xff) | (raw[off + 1] & 0xff) << 8;
                v = (c & 1) == 0 ? (v & 0xF000) | (int) (value & 0xFFF) : (v & 0x000F) | (int) (value & 0xFFF) << 4;
                raw[off] = (byte) v;
                raw[off + 1] = (byte) (v >>> 8);
                touch(off, 2);
            }
            case FAT16 -> {
                int off = (int) (c * 2);
                raw[off] = (byte) value;
                raw[off + 1] = (byte) (value >>> 8);
                touch(off, 2);
            }
            case FAT32 -> {
                int off = (int) (c * 4);
                long keep = (raw[off + 3] & 0xF0L) << 24;
                long v = keep | (value & FAT32_MASK);
                for (int i = 0; i < 4; i++) raw[off + i] = (byte) (v >>> (8 * i));
                touch(off, 4);
            }
        }
    }

    private void touch(int off, int len) {
        dirtySectors.set(off / bytesPerSector, (off + len - 1) / bytesPerSector + 1);
    }

    boolean isEoc(long v) {
        return type.isEoc(v);
    }

    /** Whether {@code c} names a data cluster of this volume. */
    boolean valid(long c) {
        return c >= 2 && c <= maxCluster;
    }

    /**
     * Takes {@code count} free clusters, chains them together and after {@code prev} (0: a new chain), and
     * returns the first; all or nothing: ENOSPC with nothing taken when fewer are free. Allocation runs
     * forward from the last one, so a file written in one go is contiguous on a fresh volume.
     */
    long allocate(long count, long prev) throws FatError {
        if (count <= 0) throw new IllegalArgumentException("allocate " + count);
        if (count > freeCount) throw new FatError(Errno.ENOSPC, "no space: " + count + " clusters wanted, " + freeCount + " free");
        long first = 0;
        long last = prev;
        long c = prev != 0 && prev < maxCluster ? prev + 1 : (nextFree >= 2 && nextFree <= maxCluster ? nextFree : 2);
        long scanned = 0;
        for (long got = 0; got < count; ) {
            if (c > maxCluster) c = 2;
            if (++scanned > maxCluster) throw FatError.corrupt("free count " + freeCount + " but no free cluster found");
            if (get(c) == FREE) {
                set(c, type.eoc);
                if (last != 0) set(last, c);
                if (first == 0) first = c;
                last = c;
                got++;
            }
            c++;
        }
        nextFree = last + 1 > maxCluster ? 2 : last + 1;
        return first;
    }

    /** Frees every cluster of the chain from {@code first} (a chain already walked and checked). */
    void free(long[] clusters, int from, int to) {
        for (int i = from; i < to; i++) set(clusters[i], FREE);
        if (from < to && clusters[from] < nextFree) nextFree = clusters[from];
    }

    /** The changed sectors (FAT-relative numbers), cleared: the caller writes them to every copy. */
    BitSet takeDirty() {
        BitSet d = (BitSet) dirtySectors.clone();
        dirtySectors.clear();
        return d;
    }

    boolean isDirty() {
        return !dirtySectors.isEmpty();
    }
}
