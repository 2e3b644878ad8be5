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
    /** Times in nanoseconds since the epoch. */
    public long atime = VNOVAL;
    public long mtime = VNOVAL;
    public long ctime = VNOVAL;
    public long birthtime = VNOVAL;
    public long gen = VNOVAL;
    public long flags = VNOVAL;
    public long rdev = VNOVAL;
    public long bytes = VNOVAL;
    /** va_vaflags. */
    public int vaflags;

    /** va_vaflags: the times are "now" (utimes with a null pointer): write permission suffices. */
    public static final int VA_UTIMES_NULL = 0x01;
}
