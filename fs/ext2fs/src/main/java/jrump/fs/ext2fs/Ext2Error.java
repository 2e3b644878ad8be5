package jrump.fs.ext2fs;

import jrump.rumpkern.Errno;

/**
 * What the on-disk structures said that makes an operation fail: damage (EIO, or EFTYPE for a superblock
 * that is not ext2's), an unsupported feature (EOPNOTSUPP, EROFS), or the device's own error. Checked, so
 * that every path from the disk to a vnode operation turns it into an errno rather than a kernel panic.
 */
final class Ext2Error extends Exception {
    private final int errno;

    Ext2Error(Errno errno, String message) {
        super(message);
        this.errno = errno.number();
    }

    Ext2Error(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** Damage: the structure named in {@code message} is not what ext2 writes. */
    static Ext2Error corrupt(String message) {
        return new Ext2Error(Errno.EIO, message);
    }

    int errno() {
        return errno;
    }
}
