package jrump.rumpuser;

/** A failed hypercall: carries the NetBSD errno the kernel returns for it. */
public final class HyperException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public HyperException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public HyperException(int errno, String message, Throwable cause) {
        super(message, cause, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
