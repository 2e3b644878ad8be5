package jrump.fs.cd9660;

import jrump.rumpkern.Errno;

/**
 * What the image said that makes an operation fail: damage (EIO), an image that is not ISO 9660 (EFTYPE),
 * a feature left out (EOPNOTSUPP), or the device's own error. Checked, so that every path from the disk to
 * a vnode operation ends in an errno, never in an unchecked exception the kernel would take for a bug.
 */
final class Cd9660Error extends Exception {
    private final int errno;

    Cd9660Error(Errno errno, String message) {
        super(message);
        this.errno = errno.number();
    }

    Cd9660Error(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** Damage: the structure named in {@code message} is not what ECMA-119 or its extensions allow. */
    static Cd9660Error corrupt(String message) {
        return new Cd9660Error(Errno.EIO, message);
    }

    int errno() {
        return errno;
    }
}
