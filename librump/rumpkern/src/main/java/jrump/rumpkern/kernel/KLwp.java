package jrump.rumpkern.kernel;

import jrump.rumpkern.Lwp;

/** A kernel lwp (struct lwp). */
public final class KLwp implements Lwp {
    private final Proc proc;
    private final int lid;
    /** A softint or other interrupt thread's lwp (LP_INTR): releasing its CPU runs no softints. */
    final boolean intr;
    /** The CPU this lwp must run on (LP_BOUND), or -1. */
    final int boundCpu;
    /** The CPU it ran on last: the fast path's guess. */
    VirtualCpu targetCpu;
    /** The host thread this lwp is current on, or null; one lwp on two threads is fatal. */
    volatile Thread owner;
    /** Released: the lwp is gone once its thread leaves the kernel. */
    volatile boolean released;

    /** The return values of the syscall running on this lwp (retval[2]); see Kernel.call. */
    final long[] rv = new long[2];

    /** What this lwp's current syscall holds until it returns (single-threaded: an lwp runs on one thread). */
    private Held[] held = new Held[4];
    private int nheld;

    /** Something held until the syscall returns: a vnode reference namei took. */
    public interface Held {
        void releaseHeld();
    }

    KLwp(Proc proc, int lid, boolean intr, int boundCpu) {
        this.proc = proc;
        this.lid = lid;
        this.intr = intr;
        this.boundCpu = boundCpu;
    }

    public Proc proc() {
        return proc;
    }

    @Override
    public int pid() {
        return proc.pid();
    }

    @Override
    public int lid() {
        return lid;
    }

    /** The credential of the lwp's process at this moment. */
    public KCred cred() {
        return proc.cred();
    }

    /** Keeps {@code h} until the syscall returns (or {@link #releaseHeld} for kernel threads). */
    public void hold(Held h) {
        if (nheld == held.length) held = java.util.Arrays.copyOf(held, nheld * 2);
        held[nheld++] = h;
    }

    /** Lets go of everything held, newest first; the kernel does it as each syscall returns. */
    public void releaseHeld() {
        while (nheld > 0) {
            Held h = held[--nheld];
            held[nheld] = null;
            h.releaseHeld();
        }
    }

    boolean holdsAny() {
        return nheld > 0;
    }

    @Override
    public String toString() {
        return "lwp " + proc.pid() + "." + lid;
    }
}
