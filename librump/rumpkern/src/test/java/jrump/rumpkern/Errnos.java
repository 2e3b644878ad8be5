package jrump.rumpkern;

/** Test helper: the errno a call fails with, or null when it succeeds. */
final class Errnos {
    private Errnos() {
    }

    static Errno errnoOf(Runnable call) {
        try {
            call.run();
        } catch (RumpException e) {
            return e.errno();
        }
        return null;
    }
}
