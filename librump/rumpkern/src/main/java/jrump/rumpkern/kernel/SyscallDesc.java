package jrump.rumpkern.kernel;

/** A system call of syscalls.master: number, name, the record of its arguments, and NOERR. */
public record SyscallDesc<A extends SyscallArgs>(int number, String name, Class<A> argsType, boolean noerr) {
}
