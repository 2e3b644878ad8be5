package jrump.rumpkern.kernel;

/**
 * What a kernel knows about one host thread: the lwp bound to it (rump_lwproc_switch), its cached
 * implicit lwp, and the CPU and lwp of the call it is in. The hypervisor keeps it per thread
 * (rumpuser_curlwp), so the kernel itself holds no thread-locals.
 */
final class ThreadState {
    /** Dedicated lwp (rfork/newlwp/switch), or null for the implicit context. */
    KLwp bound;
    /** The implicit lwp in the init process, made once per thread. */
    KLwp implicit;
    /** The lwp running the current call, and its CPU; null outside the kernel. */
    KLwp running;
    VirtualCpu cpu;
    /** Nested entries (a public interface called from inside the kernel) do not reschedule. */
    int depth;
    /** The CPU was given up for a blocking hypercall. */
    boolean backendUnscheduled;
}
