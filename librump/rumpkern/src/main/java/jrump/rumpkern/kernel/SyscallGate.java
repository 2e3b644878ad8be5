package jrump.rumpkern.kernel;

/** How the generated public syscall methods enter a kernel: schedule, dispatch through sysent, unschedule. */
public interface SyscallGate {
    /** Runs the call; returns retval[0] or throws RumpException with the errno. */
    <A extends SyscallArgs> long call(SyscallDesc<A> desc, A args);
}
