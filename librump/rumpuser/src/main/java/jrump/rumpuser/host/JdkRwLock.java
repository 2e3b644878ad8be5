package jrump.rumpuser.host;

import java.util.concurrent.locks.ReentrantReadWriteLock;

import jrump.rumpuser.HostRwLock;
import jrump.rumpuser.Upcalls;

/** A host reader/writer lock; a contended entry gives up the virtual CPU while it waits. */
final class JdkRwLock implements HostRwLock {
    private final HostHypercalls hyp;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    JdkRwLock(HostHypercalls hyp) {
        this.hyp = hyp;
    }

    @Override
    public void enter(boolean writer) {
        if (tryEnter(writer)) return;
        Upcalls up = hyp.upcalls();
        int token = up.backendUnschedule();
        try {
            if (writer) lock.writeLock().lock();
            else lock.readLock().lock();
        } finally {
            up.backendSchedule(token);
        }
    }

    @Override
    public boolean tryEnter(boolean writer) {
        return writer ? lock.writeLock().tryLock() : lock.readLock().tryLock();
    }

    /**
     * Always fails: ReentrantReadWriteLock cannot turn a read hold into a write hold atomically, and
     * dropping the read hold first would let a writer in while the caller believes it still reads (and
     * re-taking it could block holding a CPU). rw_tryupgrade may fail; callers then unlock and relock.
     */
    @Override
    public boolean tryUpgrade() {
        return false;
    }

    @Override
    public void downgrade() {
        lock.readLock().lock();
        lock.writeLock().unlock();
    }

    @Override
    public void exit() {
        if (lock.isWriteLockedByCurrentThread()) lock.writeLock().unlock();
        else lock.readLock().unlock();
    }

    @Override
    public boolean held(boolean writer) {
        return writer ? lock.isWriteLockedByCurrentThread() : lock.getReadHoldCount() > 0;
    }
}
