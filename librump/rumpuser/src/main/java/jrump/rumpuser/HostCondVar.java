package jrump.rumpuser;

/** rumpuser_cv: a condition variable used with a {@link HostMutex}. */
public interface HostCondVar {
    /** Waits, giving up the virtual CPU. */
    void await(HostMutex mutex);

    /** Waits keeping the virtual CPU (cv_wait_nowrap): for the scheduler's own waits. */
    void awaitNowrap(HostMutex mutex);

    /** Waits at most {@code nanos}; returns false on timeout. Gives up the virtual CPU. */
    boolean awaitNanos(HostMutex mutex, long nanos);

    void signal();

    void broadcast();

    boolean hasWaiters();
}
