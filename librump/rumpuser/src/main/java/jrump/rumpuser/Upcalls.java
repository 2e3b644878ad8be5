package jrump.rumpuser;

/**
 * The kernel's side of the hypercall interface (rumpuser_hyperup): what the hypervisor calls back.
 */
public interface Upcalls {
    /**
     * Gives up the calling thread's virtual CPU before a blocking host call (hyp_backend_unschedule).
     * Returns a token for {@link #backendSchedule(int)}, or -1 when the thread held no CPU.
     */
    int backendUnschedule();

    /** Takes a virtual CPU back after a blocking host call (hyp_backend_schedule). */
    void backendSchedule(int token);

    /** How many virtual CPUs are held right now: 0 means nothing runs inside the kernel. */
    int busyCpus();
}
