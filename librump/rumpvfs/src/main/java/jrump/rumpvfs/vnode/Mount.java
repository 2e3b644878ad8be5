package jrump.rumpvfs.vnode;

/** A mounted file system (struct mount): its operations, the vnode it covers, flags. */
public final class Mount {
    /** mnt_flag bits (sys/fstypes.h). */
    public static final int MNT_RDONLY = 0x00000001;

    private final VfsOps ops;
    private final String fstype;
    private final Vnode covered;
    private final long fsid;
    private volatile int flags;
    private volatile Object data;
    private volatile String onName = "/";
    private volatile String fromName = "";
    /** The block device it is mounted from (referenced while mounted), or null. */
    private volatile Vnode device;
    /** Whether lookups in this mount go through the kernel's {@link NameCache}. */
    private volatile boolean nameCache;

    public Mount(VfsOps ops, String fstype, Vnode covered, long fsid, int flags) {
        this.ops = ops;
        this.fstype = fstype;
        this.covered = covered;
        this.fsid = fsid;
        this.flags = flags;
    }

    public VfsOps ops() {
        return ops;
    }

    public String fstype() {
        return fstype;
    }

    /** The vnode this mount covers, or null for the root file system. */
    public Vnode covered() {
        return covered;
    }

    public long fsid() {
        return fsid;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int f) {
        flags = f;
    }

    public boolean readOnly() {
        return (flags & MNT_RDONLY) != 0;
    }

    /** Where it is mounted (f_mntonname). */
    public String onName() {
        return onName;
    }

    public void setOnName(String n) {
        onName = n;
    }

    /** What is mounted (f_mntfromname): a device, an image, or the type's name for memory file systems. */
    public String fromName() {
        return fromName;
    }

    public void setFromName(String n) {
        fromName = n;
    }

    public Vnode device() {
        return device;
    }

    public void setDevice(Vnode devvp) {
        device = devvp;
    }

    public boolean usesNameCache() {
        return nameCache;
    }

    /** A file system whose directory searches cost (a device's) turns the name cache on for its mount. */
    public void setNameCache(boolean on) {
        nameCache = on;
    }

    /** The file system's own per-mount state. */
    public Object data() {
        return data;
    }

    public void setData(Object d) {
        data = d;
    }
}
