package jrump.rumpkern.kernel;

import jrump.rumpuser.HostRwLock;

/** A kernel reader/writer lock (rwlock(9)); waiting gives up the virtual CPU. */
public final class Krwlock {
    private final Kernel kernel;
    private final HostRwLock host;

    Krwlock(Kernel kernel, HostRwLock host) {
        this.kernel = kernel;
        this.host = host;
    }

    public void enter(boolean writer) {
        if (kernel.diagnostic() && host.held(true)) throw kernel.panic("rw_enter: locking against myself");
        host.enter(writer);
    }

    public boolean tryEnter(boolean writer) {
        return host.tryEnter(writer);
    }

    public boolean tryUpgrade() {
        return host.tryUpgrade();
    }

    public void downgrade() {
        if (kernel.diagnostic() && !host.held(true)) throw kernel.panic("rw_downgrade: not write-held");
        host.downgrade();
    }

    public void exit() {
        if (kernel.diagnostic() && !host.held(true) && !host.held(false)) throw kernel.panic("rw_exit: not held");
        host.exit();
    }

    /** rw_write_held / rw_read_held. */
    public boolean held(boolean writer) {
        return host.held(writer);
    }
}
