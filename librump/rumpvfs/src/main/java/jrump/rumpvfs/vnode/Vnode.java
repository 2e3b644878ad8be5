package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Krwlock;

/**
 * A vnode (struct vnode): a file as the VFS sees it. Its operations are its file system's
 * {@link VnodeOps}; its lock is a kernel rwlock (LK_EXCLUSIVE / LK_SHARED); {@code data} is the file
 * system's own node.
 */
public final class Vnode {
    /** Source of {@link #id}: only an order, so one counter for all kernels does no harm. */
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Kernel kernel;
    private final VnodeOps ops;
    private final Krwlock lock;
    private volatile VType type;
    private final Object data;
    private final Mount mount;
    /** The file system mounted on this directory (v_mountedhere), or null. */
    private volatile Mount mountedHere;

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
        return mount.ops().root(mount, root) == 0 && root.get() == this;
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
