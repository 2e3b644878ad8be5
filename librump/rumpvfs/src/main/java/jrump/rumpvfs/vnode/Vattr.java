package jrump.rumpvfs.vnode;

/**
 * Vnode attributes (struct vattr), mutable as in NetBSD: getattr fills one, setattr reads the fields that
 * are not {@link #VNOVAL}.
 */
public final class Vattr {
    /** "No value": a field setattr leaves alone (VNOVAL). */
    public static final long VNOVAL = -1;

    public VType type = VType.VNON;
    public long mode = VNOVAL;
    public long nlink = VNOVAL;
    public long uid = VNOVAL;
    public long gid = VNOVAL;
    public long fsid = VNOVAL;
    public long fileid = VNOVAL;
    public long size = VNOVAL;
    public long blocksize = VNOVAL;
    /**
     * "No value" for the times: every other nanosecond count is a time, -1 (just before the epoch) too,
     * so theirs is not {@link #VNOVAL}.
     */
    public static final long VNOVAL_TIME = Long.MIN_VALUE;
    /** Times in nanoseconds since the epoch. */
    public long atime = VNOVAL_TIME;
    public long mtime = VNOVAL_TIME;
    public long ctime = VNOVAL_TIME;
    public long birthtime = VNOVAL_TIME;
    public long gen = VNOVAL;
    public long flags = VNOVAL;
    public long rdev = VNOVAL;
    public long bytes = VNOVAL;
    /** va_vaflags. */
    public int vaflags;

    /** va_vaflags: the times are "now" (utimes with a null pointer): write permission suffices. */
    public static final int VA_UTIMES_NULL = 0x01;
}
