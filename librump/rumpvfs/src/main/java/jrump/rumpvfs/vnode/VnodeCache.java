package jrump.rumpvfs.vnode;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.Out;

/**
 * A mount's vnode cache (NetBSD's vcache, vfs_vnode.c) for file systems whose files live on a device:
 * one vnode per file key (an inode number), loaded on first use, counted while referenced.
 *
 * <p>Life cycle: {@link #get} loads or finds a vnode and references it; when the last reference goes,
 * VOP_INACTIVE runs, and the file system may ask for the vnode to be recycled (a file with no links left:
 * it frees the inode). Otherwise the vnode waits on a free list, oldest first, still cached; when more than
 * {@code maxFree} wait, the oldest are reclaimed (VOP_RECLAIM: the file system writes back and lets go of
 * its node). {@link #flush} reclaims everything at unmount; a forced one also reclaims vnodes still in use,
 * which from then on answer EBADF (deadfs).
 */
public final class VnodeCache {
    /** VFS_LOADVNODE: makes the vnode of {@code key} (its node read from the device). */
    @FunctionalInterface
    public interface Loader {
        int load(long key, Out<Vnode> vpp);
    }

    private static final class Entry {
        final long key;
        Vnode vp;
        /** Being loaded or reclaimed: lookups of the key wait. */
        boolean changing;

        Entry(long key) {
            this.key = key;
            this.changing = true;
        }
    }

    private final Kernel kernel;
    private final Kmutex lock;
    private final Kcondvar changed;
    private final Map<Long, Entry> byKey = new HashMap<>();
    private final Map<Vnode, Entry> byVnode = new HashMap<>();
    /** Unreferenced vnodes, oldest first. */
    private final LinkedHashSet<Vnode> free = new LinkedHashSet<>();
    private final int maxFree;
    private long loads;
    private long reclaims;

    public VnodeCache(Kernel kernel, int maxFree) {
        if (maxFree < 0) throw new IllegalArgumentException("negative free-list bound " + maxFree);
        this.kernel = kernel;
        this.lock = kernel.mutex();
        this.changed = kernel.condvar();
        this.maxFree = maxFree;
    }

    /** desiredvnodes: a free list sized to the kernel's memory limit (a vnode and its node cost ~16 KiB). */
    public static int defaultMaxFree(Kernel kernel) {
        long limit = kernel.hyp().memLimit();
        if (limit == Long.MAX_VALUE) return 16384;
        return (int) Math.max(64, Math.min(65536, limit / (16 << 10)));
    }

    /** vcache_get: the referenced vnode of {@code key}, loaded with {@code loader} if not cached. */
    public int get(long key, Loader loader, Out<Vnode> vpp) {
        lock.enter();
        try {
            while (true) {
                Entry e = byKey.get(key);
                if (e == null) break;
                if (e.changing) {
                    changed.await(lock);
                    continue;
                }
                if (e.vp.usecount.getAndIncrement() == 0) free.remove(e.vp);
                vpp.set(e.vp);
                return 0;
            }
            Entry e = new Entry(key);
            byKey.put(key, e);
            Out<Vnode> made = new Out<>();
            int error;
            lock.exit();
            try {
                error = loader.load(key, made);
            } finally {
                lock.enter();
            }
            if (error == 0 && made.get() == null) error = Errno.EIO.number();
            if (error != 0) {
                byKey.remove(key);
                changed.broadcast();
                return error;
            }
            Vnode vp = made.get();
            vp.cache = this;
            vp.usecount.set(1);
            e.vp = vp;
            e.changing = false;
            byVnode.put(vp, e);
            loads++;
            changed.broadcast();
            vpp.set(vp);
            return 0;
        } finally {
            lock.exit();
        }
    }

    /**
     * A reference to a vnode found without the cache (the name cache): false when it is being reclaimed
     * or gone, and then it must be looked up again.
     */
    public boolean tryRef(Vnode vp) {
        lock.enter();
        try {
            Entry e = byVnode.get(vp);
            if (e == null || e.changing) return false;
            if (vp.usecount.getAndIncrement() == 0) free.remove(vp);
            return true;
        } finally {
            lock.exit();
        }
    }

    /** vref: another reference to a vnode someone already references. */
    void vref(Vnode vp) {
        int n;
        do {
            n = vp.usecount.get();
            if (n == 0) {
                lock.enter();
                try {
                    if (vp.usecount.getAndIncrement() == 0) free.remove(vp);
                } finally {
                    lock.exit();
                }
                return;
            }
        } while (!vp.usecount.compareAndSet(n, n + 1));
    }

    /** vrele: drops a reference; the last one makes the vnode inactive, then free or reclaimed. */
    void vrele(Vnode vp) {
        int n;
        while ((n = vp.usecount.get()) > 1) {
            if (vp.usecount.compareAndSet(n, n - 1)) return;
        }
        if (n <= 0) throw vp.kernel().panic("vrele: " + vp + " has no reference");
        // the last reference: the file system hears of it with the vnode locked (VOP_INACTIVE unlocks)
        Out<Boolean> recycle = new Out<>();
        recycle.set(Boolean.FALSE);
        vp.lock(true);
        Vop.inactive(vp, recycle);
        lock.enter();
        try {
            if (vp.usecount.decrementAndGet() > 0) return; // found again meanwhile: still in use
            Entry e = byVnode.get(vp);
            if (e == null) return; // already reclaimed (forced unmount)
            if (Boolean.TRUE.equals(recycle.get())) {
                reclaim(e);
            } else {
                free.add(vp);
                trim();
            }
        } finally {
            lock.exit();
        }
    }

    /** Reclaims the oldest free vnodes beyond the bound. Locking: the cache lock held. */
    private void trim() {
        while (free.size() > maxFree) {
            Vnode oldest = free.iterator().next();
            reclaim(byVnode.get(oldest));
        }
    }

    /** VOP_RECLAIM and out of the cache. Locking: the cache lock held; released around the VOP. */
    private void reclaim(Entry e) {
        Vnode vp = e.vp;
        e.changing = true;
        free.remove(vp);
        lock.exit();
        NameCache.of(kernel).purgeVnode(vp);
        try {
            Vop.reclaim(vp);
        } finally {
            lock.enter();
        }
        vp.kill();
        vp.cache = null;
        byVnode.remove(vp);
        byKey.remove(e.key);
        reclaims++;
        changed.broadcast();
    }

    /**
     * vflush at unmount: reclaims every cached vnode. Vnodes still referenced make it EBUSY (and are left
     * alone) unless {@code force}, which reclaims them too: their holders see a dead vnode.
     */
    public int flush(boolean force) {
        lock.enter();
        try {
            if (!force) {
                for (Entry e : byVnode.values()) {
                    if (e.vp.usecount.get() > 0) return Errno.EBUSY.number();
                }
            }
            // passes over a snapshot: taking a fresh iterator per vnode would rescan the emptying table
            // from its start each time (quadratic in the vnodes cached)
            while (!byVnode.isEmpty()) {
                boolean progressed = false;
                for (Entry e : new java.util.ArrayList<>(byVnode.values())) {
                    if (e.changing || byVnode.get(e.vp) != e) continue;
                    reclaim(e);
                    progressed = true;
                }
                if (!progressed && !byVnode.isEmpty()) changed.await(lock); // only vnodes others are changing
            }
            return 0;
        } finally {
            lock.exit();
        }
    }

    /** Every cached vnode, for sync: {@code visit} runs without the cache lock on each vnode cached now. */
    public void forEach(java.util.function.Consumer<Vnode> visit) {
        java.util.List<Vnode> all;
        lock.enter();
        try {
            all = new java.util.ArrayList<>(byVnode.keySet());
        } finally {
            lock.exit();
        }
        all.forEach(visit);
    }

    /** Vnodes cached, referenced or not. */
    public int size() {
        lock.enter();
        try {
            return byVnode.size();
        } finally {
            lock.exit();
        }
    }

    /** Unreferenced vnodes kept. */
    public int freeCount() {
        lock.enter();
        try {
            return free.size();
        } finally {
            lock.exit();
        }
    }

    /** Vnodes loaded and reclaimed so far (tests, statistics). */
    public long loads() {
        lock.enter();
        try {
            return loads;
        } finally {
            lock.exit();
        }
    }

    public long reclaims() {
        lock.enter();
        try {
            return reclaims;
        } finally {
            lock.exit();
        }
    }
}
