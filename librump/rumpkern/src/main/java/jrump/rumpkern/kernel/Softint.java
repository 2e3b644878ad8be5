package jrump.rumpkern.kernel;

/**
 * A software interrupt handler (softint(9)): {@link #schedule()} queues it on the current CPU; it runs when
 * that CPU is next released, on the CPU's softint thread.
 */
public final class Softint {
    /** Levels, lowest priority first (SOFTINT_CLOCK, BIO, NET, SERIAL). */
    public static final int CLOCK = 0;
    public static final int BIO = 1;
    public static final int NET = 2;
    public static final int SERIAL = 3;
    static final int LEVELS = 4;

    private final Kernel kernel;
    final int level;
    final Runnable handler;
    /** Guarded by the queue's mutex of the CPU it is pending on. */
    boolean pending;

    Softint(Kernel kernel, int level, Runnable handler) {
        if (level < 0 || level >= LEVELS) throw new IllegalArgumentException("softint level " + level);
        this.kernel = kernel;
        this.level = level;
        this.handler = handler;
    }

    /** softint_schedule: the caller must hold a virtual CPU. */
    public void schedule() {
        VirtualCpu cpu = kernel.currentCpu();
        if (cpu == null) throw kernel.panic("softint_schedule without a CPU");
        cpu.softints.enqueue(this);
    }
}
