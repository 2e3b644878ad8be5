package jrump.p2k;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes a read-write mount's image back soon after changes stop: 100 ms after the last change, and at least
 * every 2 s while changes go on. umount(2) of a FUSE mount does not wait for the daemon (only fuseblk mounts
 * get a synchronous DESTROY), so without this a program that checks or copies the image right after
 * {@code umount} could see it before the daemon's final sync; with it the image is consistent once the
 * mount has been idle for a moment, unmounted or not. The thread sleeps untimed while nothing is dirty.
 */
final class IdleSync implements AutoCloseable {
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger("jrump.p2k");

    private final Runnable sync;
    private final Thread thread;
    private final AtomicLong changes = new AtomicLong();
    private volatile long lastChange;
    private volatile boolean idle;
    private volatile boolean closed;
    /** Syncs done (for tests). */
    private final AtomicLong syncs = new AtomicLong();

    IdleSync(Runnable sync) {
        this.sync = sync;
        this.thread = Thread.ofPlatform().name("p2k-sync").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** A request changed the file system. */
    void changed() {
        lastChange = System.nanoTime();
        changes.incrementAndGet();
        if (idle) LockSupport.unpark(thread); // the count was raised first: the syncer sees it or is woken
    }

    long syncs() {
        return syncs.get();
    }

    private void run() {
        long synced = 0;
        long dirtySince = 0;
        while (!closed) {
            long seen = changes.get();
            if (seen == synced) {
                idle = true;
                if (changes.get() == synced && !closed) LockSupport.park(this);
                idle = false;
                dirtySince = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            long quietFor = now - lastChange;
            long dirtyFor = now - dirtySince;
            if (quietFor < IDLE_NANOS && dirtyFor < MAX_DELAY_NANOS) {
                LockSupport.parkNanos(this, Math.min(IDLE_NANOS - quietFor, MAX_DELAY_NANOS - dirtyFor));
                continue;
            }
            try {
                sync.run();
                syncs.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "syncing the image: " + e);
            }
            synced = seen;
            dirtySince = System.nanoTime();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
