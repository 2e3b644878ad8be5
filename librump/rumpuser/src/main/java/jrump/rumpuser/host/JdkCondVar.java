package jrump.rumpuser.host;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostMutex;

/**
 * A condition variable not bound to one mutex (rumpuser_cv_init takes none). The waiter is queued before
 * the mutex is released, so a signal sent after the caller saw the condition false is never lost.
 */
final class JdkCondVar implements HostCondVar {
    private final HostHypercalls hyp;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean signaled;
    }

    JdkCondVar(HostHypercalls hyp) {
        this.hyp = hyp;
    }

    @Override
    public void await(HostMutex mutex) {
        wait(mutex, -1, true);
    }

    @Override
    public void awaitNowrap(HostMutex mutex) {
        Waiter w = new Waiter();
        waiters.add(w);
        mutex.exit();
        while (!w.signaled) LockSupport.park(this);
        mutex.enterNowrap();
    }

    @Override
    public boolean awaitNanos(HostMutex mutex, long nanos) {
        return wait(mutex, Math.max(nanos, 0), true);
    }

    private boolean wait(HostMutex mutex, long nanos, boolean wrap) {
        Waiter w = new Waiter();
        waiters.add(w);
        mutex.exit();
        int token = wrap ? hyp.upcalls().backendUnschedule() : -1;
        try {
            if (nanos < 0) {
                while (!w.signaled) LockSupport.park(this);
            } else {
                long deadline = System.nanoTime() + nanos;
                long left;
                while (!w.signaled && (left = deadline - System.nanoTime()) > 0) LockSupport.parkNanos(this, left);
            }
            // a signaller that already took us off the queue is about to set the flag: that signal is ours
            if (!w.signaled && !waiters.remove(w)) {
                while (!w.signaled) Thread.onSpinWait();
            }
        } finally {
            if (wrap) hyp.upcalls().backendSchedule(token);
        }
        mutex.enter();
        return w.signaled;
    }

    @Override
    public void signal() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            w.signaled = true;
            LockSupport.unpark(w.thread);
            return;
        }
    }

    @Override
    public void broadcast() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            w.signaled = true;
            LockSupport.unpark(w.thread);
        }
    }

    @Override
    public boolean hasWaiters() {
        return !waiters.isEmpty();
    }
}
