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

    /**
     * Runs {@code call} and returns the errno it failed with, or null when it succeeded: for code (tests,
     * tools) that expects a particular failure, e.g. {@code errnoOf(() -> sys.rmdir("/d")) == ENOTEMPTY}.
     */
    public static Errno errnoOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RumpException e) {
            return e.errno();
        }
    }
}
