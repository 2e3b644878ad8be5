package jrump.rumpkern.kernel;

import jrump.rumpkern.Errno;
import jrump.rumpuser.HostCondVar;

/** A kernel condition variable (condvar(9)); waiting gives up the virtual CPU. */
public final class Kcondvar {
    private final Kernel kernel;
    private final HostCondVar host;

    Kcondvar(Kernel kernel, HostCondVar host) {
        this.kernel = kernel;
        this.host = host;
    }

    /** cv_wait. Locking: {@code m} held on entry and on return. */
    public void await(Kmutex m) {
        if (kernel.diagnostic() && !m.owned()) throw kernel.panic("cv_wait: mutex not held");
        host.await(m.host);
    }

    /**
     * cv_timedwait with a timeout in nanoseconds; returns 0 when woken, EWOULDBLOCK on timeout.
     * Locking: {@code m} held on entry and on return.
     */
    public int awaitNanos(Kmutex m, long nanos) {
        if (kernel.diagnostic() && !m.owned()) throw kernel.panic("cv_timedwait: mutex not held");
        return host.awaitNanos(m.host, nanos) ? 0 : Errno.EWOULDBLOCK.number();
    }

    public void signal() {
        host.signal();
    }

    public void broadcast() {
        host.broadcast();
    }

    public boolean hasWaiters() {
        return host.hasWaiters();
    }
}
