package jrump.rumpkern.kernel;

/**
 * A system call implementation (NetBSD's sy_call): returns an errno, 0 for success, with results in
 * {@code retval[0]} (and {@code retval[1]}). Called with a virtual CPU held.
 */
@FunctionalInterface
public interface SyscallHandler<A extends SyscallArgs> {
    int invoke(KLwp l, A args, long[] retval);
}
