package jrump.rumpvfs.rumpfs;

import java.util.concurrent.atomic.AtomicLong;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.Vnode;

/**
 * rumpfs: the in-memory file system a rump kernel boots with as its root (NetBSD's rumpfs.c). Every node
 * has exactly one vnode for its whole life, so vnodes need no cache here.
 */
public final class Rumpfs implements VfsOps {
    /** Largest file: 2^40 bytes (a terabyte of sparse pages). */
    static final long MAX_FILE_SIZE = 1L << 40;

    /**
     * Limits of one mount (tmpfs's size and nodes options, root attributes). {@code maxBytes} and
     * {@code maxNodes} are Long.MAX_VALUE for none; the kernel's memory limit applies in any case.
     */
    public record Limits(long maxBytes, long maxNodes, int rootUid, int rootGid, int rootMode) {
        public static final Limits NONE = new Limits(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0755);
    }

    private final Kernel kernel;
    private final RumpfsOps ops;
    private final AtomicLong nextIno = new AtomicLong(2);
    private final Limits limits;
    /** Pages of file content held, and nodes alive: what statvfs reports and the limits bound. */
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong nodes = new AtomicLong();
    /** Live nodes by inode number, for file handles (inode numbers are never reused within a mount). */
    private final java.util.Map<Long, RumpfsNode> byIno = new java.util.concurrent.ConcurrentHashMap<>();

    /** The space account every file's pages are charged to. */
    final SparseBytes.Space space = new SparseBytes.Space() {
        @Override
        public boolean take(long n) {
            if (pages.addAndGet(n) > limits.maxBytes() / SparseBytes.PAGE) {
                pages.addAndGet(-n);
                return false;
            }
            try {
                kernel.hyp().memAlloc(n * SparseBytes.PAGE);
                return true;
            } catch (jrump.rumpuser.HyperException e) {
                pages.addAndGet(-n);
                return false;
            }
        }

        @Override
        public void give(long n) {
            pages.addAndGet(-n);
            kernel.hyp().memFree(n * SparseBytes.PAGE);
        }
    };
    private final Mount mount;
    private final RumpfsNode root;

    private Rumpfs(Kernel kernel, Vnode covered, long fsid, String type, Limits limits) {
        this.kernel = kernel;
        this.limits = limits;
        this.ops = new RumpfsOps(this);
        this.mount = new Mount(this, type, covered, fsid, 0);
        this.mount.setData(this);
        this.mount.setFromName(type);
        this.root = newNode(VType.VDIR, limits.rootMode(), limits.rootUid(), limits.rootGid(), null);
        this.root.parent = root;
    }

    /** Makes an empty rumpfs and its mount. */
    public static Mount create(Kernel kernel, Vnode covered, long fsid) {
        return new Rumpfs(kernel, covered, fsid, "rumpfs", Limits.NONE).mount;
    }

    /** Makes an empty memory file system of another type name (tmpfs) with limits. */
    public static Mount create(Kernel kernel, Vnode covered, long fsid, String type, Limits limits) {
        return new Rumpfs(kernel, covered, fsid, type, limits).mount;
    }

    /** rumpfs as a type mount(2) can make more of (it takes no options). */
    public static final jrump.rumpvfs.vnode.VfsType TYPE = new jrump.rumpvfs.vnode.VfsType() {
        @Override
        public String name() {
            return "rumpfs";
        }

        @Override
        public int mount(Kernel kernel, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
            if (options != null && !options.isBlank()) return jrump.rumpkern.Errno.EINVAL.number();
            Mount mp = create(kernel, covered, fsid);
            mp.setFlags(flags & Mount.MNT_RDONLY);
            out.set(mp);
            return 0;
        }
    };

    Kernel kernel() {
        return kernel;
    }

    long now() {
        return kernel.wallNanos();
    }

    /** A new node, or null when the mount's node limit is reached (ENOSPC). */
    RumpfsNode newNode(VType type, int mode, int uid, int gid, String target) {
        if (nodes.incrementAndGet() > limits.maxNodes()) {
            nodes.decrementAndGet();
            return null;
        }
        RumpfsNode n = new RumpfsNode(nextIno.getAndIncrement(), type, mode, uid, gid, now());
        n.target = target;
        n.vnode = new Vnode(kernel, mount, ops, type, n);
        byIno.put(n.ino, n);
        return n;
    }

    /** A node with no name and no open file is gone: its pages and its place in the node count return. */
    void maybeFree(RumpfsNode n) {
        if (n.nlink > 0 || n.opens > 0) return;
        if (n.type == VType.VREG) n.content.truncate(0, space);
        byIno.remove(n.ino);
        nodes.decrementAndGet();
    }

    long fsid() {
        return mount.fsid();
    }

    /**
     * Space is pages: the mount's size limit, else the kernel's memory limit; without either, what the
     * file system holds now with nothing free promised (an unbounded memory file system cannot say more).
     */
    @Override
    public int statvfs(Mount mp, Out<jrump.rumpkern.Statvfs> out) {
        long bsize = SparseBytes.PAGE;
        jrump.rumpuser.Hypercalls hyp = kernel.hyp();
        long used = pages.get();
        long totalPages;
        long freePages;
        if (limits.maxBytes() != Long.MAX_VALUE) {
            totalPages = limits.maxBytes() / bsize;
            freePages = Math.max(0, totalPages - used);
        } else if (hyp.memLimit() != Long.MAX_VALUE) {
            totalPages = hyp.memLimit() / bsize;
            freePages = Math.max(0, (hyp.memLimit() - hyp.memUsed()) / bsize);
        } else {
            totalPages = used;
            freePages = 0;
        }
        long files = nodes.get();
        long freeNodes = limits.maxNodes() == Long.MAX_VALUE ? 0 : limits.maxNodes() - files;
        out.set(new jrump.rumpkern.Statvfs(0, bsize, bsize, bsize, totalPages, freePages, freePages, 0,
                limits.maxNodes() == Long.MAX_VALUE ? files : limits.maxNodes(), freeNodes, freeNodes, 0, 0,
                jrump.rumpkern.Sys.NAME_MAX, 0, "", "", ""));
        return 0;
    }

    /** A fid is the inode number, 8 bytes big-endian. */
    @Override
    public int vptofh(Vnode vp, Out<byte[]> fid) {
        fid.set(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(((RumpfsNode) vp.data()).ino).array());
        return 0;
    }

    @Override
    public int fhtovp(Mount mp, byte[] fid, Out<Vnode> vpp) {
        if (fid.length != Long.BYTES) return jrump.rumpkern.Errno.EINVAL.number();
        RumpfsNode n = byIno.get(java.nio.ByteBuffer.wrap(fid).getLong());
        synchronized (this) {
            // a file with no name left is gone for handles even while open (as ffs's i_nlink check)
            if (n == null || n.nlink <= 0) return jrump.rumpkern.Errno.ESTALE.number();
        }
        vpp.set(n.vnode);
        return 0;
    }

    /** A forced unmount leaves open files of this file system dead (EBADF), as vflush(FORCECLOSE) does. */
    @Override
    public int unmount(Mount mp, boolean force) {
        if (force) byIno.values().forEach(n -> n.vnode.vgone());
        return 0;
    }

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        vpp.set(root.vnode);
        return 0;
    }
}
