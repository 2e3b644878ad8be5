package jrump.rumpkern;

/**
 * A system call or public kernel interface failed with one errno. Nothing was changed by the failed call.
 */
public class RumpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public RumpException(Errno errno, String what) {
        super(what + ": " + errno.message() + " (" + errno.name() + ")", null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
