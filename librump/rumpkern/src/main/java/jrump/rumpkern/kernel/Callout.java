package jrump.rumpkern.kernel;

/** A timed call (callout(9)). Runs on the kernel's callout thread with a virtual CPU held. */
public final class Callout {
    final Callouts owner;
    final Runnable fn;
    final String name;
    // guarded by the owner's mutex
    long deadline;
    long seq;
    boolean pending;

    Callout(Callouts owner, String name, Runnable fn) {
        this.owner = owner;
        this.name = name;
        this.fn = fn;
    }

    /** callout_schedule in ticks of {@link Callouts#HZ}; rescheduling a pending callout moves it. */
    public void schedule(long ticks) {
        owner.schedule(this, Math.max(ticks, 0) * Callouts.TICK_NANOS);
    }

    /** Schedules to run {@code nanos} from now. */
    public void scheduleNanos(long nanos) {
        owner.schedule(this, Math.max(nanos, 0));
    }

    /** callout_stop: returns whether it was pending. Does not wait for a running call. */
    public boolean stop() {
        return owner.stop(this);
    }

    /** callout_halt: stops it and waits until a running call has returned. */
    public boolean halt() {
        return owner.halt(this);
    }

    public boolean pending() {
        return owner.isPending(this);
    }

    @Override
    public String toString() {
        return "callout " + name;
    }
}
