package jrump.rumpdev;

/**
 * A device could not be opened, or its partition table could not be read: an errno (NetBSD's numbers)
 * and a message that says what was wrong, naming the sector and the table entry when one is at fault.
 *
 * <p>The errnos: the host's own for a file that cannot be opened or read (ENOENT, EACCES, EIO...); EFTYPE
 * ("Inappropriate file type or format") for a damaged or hostile partition table; ENXIO for a partition
 * that does not exist or a device that is closed; EINVAL for a window outside its device; ENODEV for a
 * kernel booted without the rumpdev component. It is the only exception the rumpdev API throws.
 */
public final class DiskException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public DiskException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public DiskException(int errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The errno a system call reporting this failure returns. */
    public int errno() {
        return errno;
    }
}
