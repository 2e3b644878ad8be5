package jrump.fs.msdosfs;

import jrump.rumpkern.Errno;

/**
 * A failure on the way from the disk to a VOP, with its errno: checked, so that every path ends in an
 * errno and a console line naming the damage, never in an unchecked exception the kernel takes for a bug.
 */
final class FatError extends Exception {
    private final Errno errno;

    FatError(Errno errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    /** Damaged metadata: EIO. */
    static FatError corrupt(String message) {
        return new FatError(Errno.EIO, message);
    }

    int errno() {
        return errno.number();
    }

    Errno errnoValue() {
        return errno;
    }
}
