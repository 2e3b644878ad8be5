package jrump.fs.ffs;

import jrump.rumpkern.Errno;

/**
 * What the image said that makes an operation fail: damage (EIO), an image that is not FFS (EFTYPE), a
 * feature left out (EOPNOTSUPP), a full disk (ENOSPC) or the device's own error. Checked, so that every path
 * from the disk to a vnode operation ends in an errno, never in an unchecked exception.
 */
final class FfsError extends Exception {
    private final int errno;

    FfsError(Errno errno, String message) {
        super(message);
        this.errno = errno.number();
    }

    FfsError(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** Damage: the structure named in {@code message} is not what fs.h / dinode.h / dir.h allow. */
    static FfsError corrupt(String message) {
        return new FfsError(Errno.EIO, message);
    }

    int errno() {
        return errno;
    }
}
