package jrump.rumpkern.kernel;

/**
 * The system call table of one kernel (rump_sysent): every slot starts out answering ENOSYS; SYSCALL
 * components establish their handlers at boot (rump_syscall_boot_establish).
 */
public final class Sysent {
    private final SyscallHandler<?>[] handlers = new SyscallHandler<?>[SyscallTable.MAXSYSCALL];
    private final String[] owners = new String[SyscallTable.MAXSYSCALL];
    private volatile boolean sealed;

    /** Installs {@code handler} for {@code desc}; {@code component} names who provides it. */
    public synchronized <A extends SyscallArgs> void establish(SyscallDesc<A> desc, SyscallHandler<A> handler, String component) {
        if (sealed) throw new IllegalStateException("sysent is sealed after boot");
        if (handlers[desc.number()] != null) {
            throw new IllegalStateException(desc.name() + " is already provided by " + owners[desc.number()]);
        }
        handlers[desc.number()] = handler;
        owners[desc.number()] = component;
    }

    void seal() {
        sealed = true;
    }

    @SuppressWarnings("unchecked")
    <A extends SyscallArgs> int invoke(SyscallDesc<A> desc, KLwp l, A args, long[] retval) {
        SyscallHandler<A> h = (SyscallHandler<A>) handlers[desc.number()];
        if (h == null) return jrump.rumpkern.Errno.ENOSYS.number();
        return h.invoke(l, args, retval);
    }

    /** The component providing syscall {@code number}, or null. */
    public String owner(int number) {
        return owners[number];
    }
}
