package jrump.rumpkern;

/**
 * The kernel found its own state broken (a failed KASSERT, a fatal misuse such as releasing the implicit
 * lwp, or an unexpected exception inside kernel code). The kernel that panicked is dead: every later call
 * into it fails. Other kernels in the JVM are untouched. An Error, not an Exception: nothing should handle it
 * short of discarding the kernel.
 */
public final class KernelPanic extends Error {
    private static final long serialVersionUID = 1L;

    public KernelPanic(String message) {
        super("panic: " + message);
    }

    public KernelPanic(String message, Throwable cause) {
        super("panic: " + message, cause);
    }
}
