package jrump.rumpuser.host;

import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpuser.HostMutex;
import jrump.rumpuser.Upcalls;

/**
 * A host mutex over ReentrantLock. Contended entry gives up the virtual CPU; after the wait the CPU is
 * taken back before the lock (as rumpuser_pth.c does for kernel mutexes), so that no thread ever holds the
 * lock while it waits for a CPU: that order could deadlock against a CPU holder entering without wrap.
 */
final class JdkMutex implements HostMutex {
    private final HostHypercalls hyp;
    private final boolean spin;
    final ReentrantLock lock = new ReentrantLock();

    JdkMutex(HostHypercalls hyp, boolean spin) {
        this.hyp = hyp;
        this.spin = spin;
    }

    @Override
    public void enter() {
        if (lock.tryLock()) return;
        if (spin) {
            lock.lock();
            return;
        }
        Upcalls up = hyp.upcalls();
        while (true) {
            int token = up.backendUnschedule();
            if (token < 0) {
                lock.lock();
                return;
            }
            lock.lock();
            lock.unlock();
            up.backendSchedule(token);
            if (lock.tryLock()) return;
        }
    }

    @Override
    public void enterNowrap() {
        lock.lock();
    }

    @Override
    public boolean tryEnter() {
        return lock.tryLock();
    }

    @Override
    public void exit() {
        lock.unlock();
    }

    @Override
    public boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }
}
