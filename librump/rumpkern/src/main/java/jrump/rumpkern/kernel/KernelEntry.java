package jrump.rumpkern.kernel;

import jrump.rumpkern.KernelPanic;

/** How generated public interface wrappers enter a kernel (rump_schedule / rump_unschedule). */
public interface KernelEntry {
    /** Takes a virtual CPU for the calling thread's lwp (or an implicit one). */
    void schedule();

    /** Gives the CPU back. */
    void unschedule();

    /** Kills the kernel for an unexpected exception in kernel code and returns the panic to throw. */
    KernelPanic panic(String where, RuntimeException cause);
}
