package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Krwlock;

/**
 * A vnode (struct vnode): a file as the VFS sees it. Its operations are its file system's
 * {@link VnodeOps}; its lock is a kernel rwlock (LK_EXCLUSIVE / LK_SHARED); {@code data} is the file
 * system's own node.
 */
public final class Vnode implements jrump.rumpkern.kernel.KLwp.Held {
    /** Source of {@link #id}: only an order, so one counter for all kernels does no harm. */
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Kernel kernel;
    private volatile VnodeOps ops;
    private final Krwlock lock;
    private volatile VType type;
    private final Object data;
    private final Mount mount;
    /** The file system mounted on this directory (v_mountedhere), or null. */
    private volatile Mount mountedHere;
    /** The cache that loaded this vnode and reclaims it (file systems on devices), or null (memory ones). */
    volatile VnodeCache cache;
    /** References (v_usecount) while in a cache: open files, cwds, namei results until their syscall returns. */
    final java.util.concurrent.atomic.AtomicInteger usecount = new java.util.concurrent.atomic.AtomicInteger();
    /** Reclaimed (or revoked by a forced unmount): its operations fail, it is no file any more. */
    private volatile boolean dead;

    public Vnode(Kernel kernel, Mount mount, VnodeOps ops, VType type, Object data) {
        this.kernel = kernel;
        this.mount = mount;
        this.ops = ops;
        this.type = type;
        this.data = data;
        this.lock = kernel.rwlock();
    }

    /** A vnode of no mount (tests, devices). */
    public Vnode(Kernel kernel, VnodeOps ops, VType type, Object data) {
        this(kernel, null, ops, type, data);
    }

    public Mount mount() {
        return mount;
    }

    /** Whether this vnode is the root of its mount (where ".." crosses to the covered directory). */
    public boolean isMountRoot() {
        if (mount == null) return false;
        jrump.rumpkern.kernel.Out<Vnode> root = new jrump.rumpkern.kernel.Out<>();
        if (mount.ops().root(mount, root) != 0) return false;
        root.get().vrele(); // VFS_ROOT's reference: only the identity was wanted
        return root.get() == this;
    }

    public Mount mountedHere() {
        return mountedHere;
    }

    public void setMountedHere(Mount mp) {
        mountedHere = mp;
    }

    /** A number that orders vnodes, for taking two vnode locks without deadlock. */
    public long id() {
        return id;
    }

    /**
     * Locks two vnodes exclusively in a fixed order (by id), so that two threads locking the same pair
     * never deadlock whichever way round they name them. Either may be null; the same vnode is locked once.
     */
    public static void lockPair(Vnode a, Vnode b) {
        if (a == null || b == null || a == b) {
            if (a != null) a.lock(true);
            else if (b != null) b.lock(true);
            return;
        }
        Vnode first = a.id < b.id ? a : b;
        Vnode second = first == a ? b : a;
        first.lock(true);
        second.lock(true);
    }

    /** The cache this vnode lives in, or null when its file system keeps it for its whole life. */
    public VnodeCache cache() {
        return cache;
    }

    /** vref: one more long-lived reference (an open file, a cwd). A no-op outside a cache. */
    public void vref() {
        VnodeCache c = cache;
        if (c != null) c.vref(this);
    }

    /** vrele: drops a reference; the last one may make the vnode inactive (and reclaim it). */
    public void vrele() {
        VnodeCache c = cache;
        if (c != null) c.vrele(this);
    }

    /** A namei result held until its syscall returns. */
    @Override
    public void releaseHeld() {
        vrele();
    }

    public int usecount() {
        return usecount.get();
    }

    public boolean isDead() {
        return dead;
    }

    /**
     * vgone for a vnode outside a cache: its file system has let go of it (a forced unmount), so from now
     * on its operations fail with EBADF, as deadfs answers. A cache's vnodes die when it reclaims them.
     */
    public void vgone() {
        if (cache != null) throw new IllegalStateException("vgone: " + this + " belongs to a vnode cache");
        kill();
    }

    void kill() {
        dead = true;
        ops = DeadVnodeOps.INSTANCE;
    }

    public Kernel kernel() {
        return kernel;
    }

    public VnodeOps ops() {
        return ops;
    }

    public VType type() {
        return type;
    }

    public void setType(VType t) {
        type = t;
    }

    public Object data() {
        return data;
    }

    /** Whether the generated VOP wrappers check lock states (the kernel's diagnostic mode). */
    public boolean diagnostic() {
        return kernel.diagnostic();
    }

    /** vn_lock: exclusive or shared. */
    public void lock(boolean exclusive) {
        lock.enter(exclusive);
    }

    /** A lock taken only if free now: for taking a second lock out of lockPair's order without deadlock. */
    public boolean tryLock(boolean exclusive) {
        return lock.tryEnter(exclusive);
    }

    public void unlock() {
        lock.exit();
    }

    /** VOP_ISLOCKED as the lock assertions use it: held by the calling thread, in either mode. */
    public boolean lockHeldByMe() {
        return lock.held(true) || lock.held(false);
    }

    @Override
    public String toString() {
        return "vnode(" + type + ", " + data + ")";
    }
}
