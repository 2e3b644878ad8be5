package jrump.rumpvfs.vnode;

/** flags of VOP_FSYNC (sys/vnode.h). */
public final class FsyncFlag {
    /** Wait for the writes to finish. */
    public static final int FSYNC_WAIT = 0x0001;
    /** The data only, not the metadata that is not needed to read it back (fdatasync). */
    public static final int FSYNC_DATAONLY = 0x0002;
    /** Flush the device's own write cache too (FDISKSYNC). */
    public static final int FSYNC_CACHE = 0x0100;

    private FsyncFlag() {
    }
}
