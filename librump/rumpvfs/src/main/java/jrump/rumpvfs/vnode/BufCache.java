package jrump.rumpvfs.vnode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Callout;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.Out;

/**
 * The kernel's buffer cache (NetBSD's vfs_bio.c): blocks of devices kept in memory, read once, written
 * back later. One per kernel, bounded in bytes by the kernel's memory limit; the least recently used idle
 * blocks go first, dirty ones written before they go.
 *
 * <p>Block numbers are in {@link #DEV_BSIZE} units, as daddr_t is; a block's size is the file system's
 * choice. Device I/O is VOP_STRATEGY on the device vnode, synchronous. Delayed writes ({@link #bdwrite})
 * reach the device on {@link #flush} (VFS_SYNC, fsync), when memory runs short, and from the syncer
 * {@link #SYNC_DELAY_SECONDS} after the first of them.
 */
public final class BufCache {
    /** sys/param.h: the unit of block numbers. */
    public static final int DEV_BSIZE = 512;
    /** How long a delayed write may wait before the syncer writes it (NetBSD's syncdelay). */
    public static final int SYNC_DELAY_SECONDS = 30;

    private static final Object KEY = BufCache.class;

    private record Key(Vnode devvp, long blkno) {
    }

    private final Kernel kernel;
    private final Kmutex lock;
    private final Kcondvar released;
    private final Map<Key, CachedBlock> blocks = new HashMap<>();
    /** Idle blocks, least recently used first. */
    private final LinkedHashSet<CachedBlock> idle = new LinkedHashSet<>();
    private final long maxBytes;
    private final Callout syncer;
    private long bytes;
    private long dirtyCount;
    private long hits;
    private long misses;
    private long writes;

    private BufCache(Kernel kernel, long maxBytes) {
        this.kernel = kernel;
        this.lock = kernel.mutex();
        this.released = kernel.condvar();
        this.maxBytes = maxBytes;
        this.syncer = kernel.callouts().create("bufsync", this::syncerRun);
        kernel.addHaltHook(this::flushAll);
    }

    /** The kernel's buffer cache: a quarter of its memory limit, 64 MiB without one. */
    public static BufCache of(Kernel kernel) {
        return (BufCache) kernel.specific().computeIfAbsent(KEY, k -> {
            long limit = kernel.hyp().memLimit();
            long max = limit == Long.MAX_VALUE ? 64L << 20 : Math.max(256L << 10, limit / 4);
            return new BufCache(kernel, max);
        });
    }

    /** A cache of its own with an explicit bound (tests, tools). */
    public static BufCache withLimit(Kernel kernel, long maxBytes) {
        return new BufCache(kernel, maxBytes);
    }

    /** bread: block {@code blkno} of {@code size} bytes, read from the device unless cached, busy for the caller. */
    public int bread(Vnode devvp, long blkno, int size, Out<CachedBlock> out) {
        Out<CachedBlock> got = new Out<>();
        int error = acquire(devvp, blkno, size, got);
        if (error != 0) return error;
        CachedBlock b = got.get();
        if (b.invalid) {
            error = strategy(b, true);
            if (error != 0) {
                brelse(b);
                return error;
            }
            b.invalid = false;
        }
        out.set(b);
        return 0;
    }

    /**
     * getblk: the block busy for the caller without reading it, for a caller that will overwrite all of it
     * (its content is the cached one, or zeros when it was not cached).
     */
    public int getblk(Vnode devvp, long blkno, int size, Out<CachedBlock> out) {
        int error = acquire(devvp, blkno, size, out);
        if (error == 0) out.get().invalid = false;
        return error;
    }

    /** brelse: hands a busy block back unchanged (a dirty one stays dirty). */
    public void brelse(CachedBlock b) {
        lock.enter();
        try {
            release(b);
        } finally {
            lock.exit();
        }
    }

    /** bwrite: writes the block now and hands it back; the device's error, if any. */
    public int bwrite(CachedBlock b) {
        int error = strategy(b, false);
        lock.enter();
        try {
            if (error == 0) markClean(b);
            release(b);
        } finally {
            lock.exit();
        }
        return error;
    }

    /** bdwrite: the block changed; it reaches the device later (flush, pressure or the syncer). */
    public void bdwrite(CachedBlock b) {
        lock.enter();
        try {
            if (!b.dirty) {
                b.dirty = true;
                if (dirtyCount++ == 0 && !syncer.pending()) syncer.schedule((long) SYNC_DELAY_SECONDS * jrump.rumpkern.kernel.Callouts.HZ);
            }
            release(b);
        } finally {
            lock.exit();
        }
    }

    /** Writes every dirty block of {@code devvp} (all devices for null); the first error, after trying all. */
    public int flush(Vnode devvp) {
        int first = 0;
        for (CachedBlock b : dirtyBlocks(devvp)) {
            int error = writeBack(b);
            if (first == 0) first = error;
        }
        return first;
    }

    /**
     * Forgets the blocks of a device (unmount, after its flush): dirty ones are written first unless
     * {@code discard}. Blocks still busy are waited for.
     */
    public int invalidate(Vnode devvp, boolean discard) {
        int error = discard ? 0 : flush(devvp);
        lock.enter();
        try {
            for (CachedBlock b : new ArrayList<>(blocks.values())) {
                if (b.devvp != devvp) continue;
                while (b.busy) released.await(lock);
                if (b.dirty) markClean(b);
                drop(b);
            }
        } finally {
            lock.exit();
        }
        return error;
    }

    /**
     * Forgets block {@code blkno} of {@code devvp} without writing it (brelse with B_INVAL): for a file
     * system that freed the block, whose delayed data must not land on whatever the block becomes next.
     */
    public void discard(Vnode devvp, long blkno) {
        lock.enter();
        try {
            CachedBlock b;
            while ((b = blocks.get(new Key(devvp, blkno))) != null && b.busy) released.await(lock);
            if (b == null) return;
            markClean(b);
            drop(b);
        } finally {
            lock.exit();
        }
    }

    /** Bytes held now, and the bound. */
    public long bytes() {
        lock.enter();
        try {
            return bytes;
        } finally {
            lock.exit();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Reads served from memory and from the device, and blocks written, so far. */
    public long hits() {
        return counter(0);
    }

    public long misses() {
        return counter(1);
    }

    public long writes() {
        return counter(2);
    }

    public long dirtyBlocks() {
        return counter(3);
    }

    private long counter(int which) {
        lock.enter();
        try {
            return switch (which) {
                case 0 -> hits;
                case 1 -> misses;
                case 2 -> writes;
                default -> dirtyCount;
            };
        } finally {
            lock.exit();
        }
    }

    // --- inside -------------------------------------------------------------------------------

    /** The block, busy for the caller: the cached one (waiting while another holds it) or a new invalid one. */
    private int acquire(Vnode devvp, long blkno, int size, Out<CachedBlock> out) {
        if (size <= 0 || size % DEV_BSIZE != 0) return Errno.EINVAL.number();
        if (blkno < 0) return Errno.EINVAL.number();
        Key key = new Key(devvp, blkno);
        lock.enter();
        try {
            while (true) {
                CachedBlock b = blocks.get(key);
                if (b == null) break;
                if (b.busy) {
                    released.await(lock);
                    continue;
                }
                if (b.bytes.length != size) {
                    // the file system reads this block at another size now: the old copy must go first
                    if (b.dirty) {
                        b.busy = true;
                        idle.remove(b);
                        lock.exit();
                        int error;
                        try {
                            error = strategy(b, false);
                        } finally {
                            lock.enter();
                        }
                        b.busy = false;
                        released.broadcast();
                        if (error != 0) return error;
                        markClean(b);
                    }
                    drop(b);
                    continue;
                }
                b.busy = true;
                idle.remove(b);
                if (!b.invalid) hits++;
                out.set(b);
                return 0;
            }
            int error = makeRoom(size);
            if (error != 0) return error;
            CachedBlock b = new CachedBlock(devvp, blkno, size);
            b.busy = true;
            b.invalid = true;
            blocks.put(key, b);
            bytes += size;
            misses++;
            out.set(b);
            return 0;
        } finally {
            lock.exit();
        }
    }

    /** Evicts idle blocks, oldest first, until {@code size} more bytes fit. Locking: held (released for writes). */
    private int makeRoom(long size) {
        while (bytes + size > maxBytes && !idle.isEmpty()) {
            CachedBlock victim = idle.iterator().next();
            if (victim.dirty) {
                victim.busy = true;
                idle.remove(victim);
                lock.exit();
                int error;
                try {
                    error = strategy(victim, false);
                } finally {
                    lock.enter();
                }
                victim.busy = false;
                released.broadcast();
                if (error != 0) {
                    idle.add(victim); // keep the data: it is the only copy
                    return error;
                }
                markClean(victim);
            }
            drop(victim);
        }
        try {
            kernel.hyp().memAlloc(size);
        } catch (jrump.rumpuser.HyperException e) {
            return Errno.ENOMEM.number();
        }
        return 0;
    }

    /** Locking: held; the block is idle or busy by the caller. */
    private void drop(CachedBlock b) {
        if (blocks.remove(new Key(b.devvp, b.blkno)) == b) {
            idle.remove(b);
            bytes -= b.bytes.length;
            kernel.hyp().memFree(b.bytes.length);
        }
    }

    private void markClean(CachedBlock b) {
        if (b.dirty) {
            b.dirty = false;
            dirtyCount--;
        }
    }

    /** Locking: held. */
    private void release(CachedBlock b) {
        if (!b.busy) throw kernel.panic("brelse: " + b + " is not busy");
        b.busy = false;
        if (b.invalid && !b.dirty) {
            drop(b); // nothing worth keeping (a failed read)
        } else {
            idle.add(b);
        }
        released.broadcast();
    }

    private List<CachedBlock> dirtyBlocks(Vnode devvp) {
        lock.enter();
        try {
            List<CachedBlock> out = new ArrayList<>();
            for (CachedBlock b : blocks.values()) if (b.dirty && (devvp == null || b.devvp == devvp)) out.add(b);
            // in block order: the device sees one sweep
            out.sort((x, y) -> Long.compare(x.blkno, y.blkno));
            return out;
        } finally {
            lock.exit();
        }
    }

    /** Writes one block back if it is still cached and dirty, waiting for it to be idle. */
    private int writeBack(CachedBlock b) {
        lock.enter();
        try {
            while (b.busy) released.await(lock);
            if (!b.dirty || blocks.get(new Key(b.devvp, b.blkno)) != b) return 0;
            b.busy = true;
            idle.remove(b);
        } finally {
            lock.exit();
        }
        return bwrite(b);
    }

    /** One synchronous VOP_STRATEGY of the whole block. */
    private int strategy(CachedBlock b, boolean read) {
        Buf io = new Buf(b.blkno, ByteBuffer.wrap(b.bytes), read);
        int error = Vop.strategy(b.devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number(); // a short transfer: past the device's end
        if (!read && error == 0) {
            lock.enter();
            try {
                writes++;
            } finally {
                lock.exit();
            }
        }
        return error;
    }

    private void syncerRun() {
        flushAll();
        lock.enter();
        try {
            if (dirtyCount > 0) syncer.schedule((long) SYNC_DELAY_SECONDS * jrump.rumpkern.kernel.Callouts.HZ);
        } finally {
            lock.exit();
        }
    }

    private void flushAll() {
        flush(null);
    }
}
