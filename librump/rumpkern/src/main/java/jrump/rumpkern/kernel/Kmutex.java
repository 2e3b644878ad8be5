package jrump.rumpkern.kernel;

import jrump.rumpuser.HostMutex;

/**
 * A kernel mutex (mutex(9), MUTEX_DEFAULT): waiting for it gives up the virtual CPU. In diagnostic mode
 * locking against oneself and releasing a mutex one does not hold are panics, as LOCKDEBUG makes them.
 */
public final class Kmutex {
    private final Kernel kernel;
    final HostMutex host;

    Kmutex(Kernel kernel, HostMutex host) {
        this.kernel = kernel;
        this.host = host;
    }

    public void enter() {
        if (kernel.diagnostic() && host.heldByCurrentThread()) throw kernel.panic("mutex_enter: locking against myself");
        host.enter();
    }

    public boolean tryEnter() {
        return host.tryEnter();
    }

    public void exit() {
        if (kernel.diagnostic() && !host.heldByCurrentThread()) throw kernel.panic("mutex_exit: not owner");
        host.exit();
    }

    /** mutex_owned: whether the calling thread holds it (for KASSERTs). */
    public boolean owned() {
        return host.heldByCurrentThread();
    }
}
