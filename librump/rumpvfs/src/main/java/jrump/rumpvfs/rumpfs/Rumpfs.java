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
    /** Largest file rumpfs holds (its content is one Java array). */
    static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 8;

    private final Kernel kernel;
    private final RumpfsOps ops;
    private final AtomicLong nextIno = new AtomicLong(2);
    /** Bytes of file content held (the arrays' capacity), for statvfs. */
    final AtomicLong bytesHeld = new AtomicLong();
    private final Mount mount;
    private final RumpfsNode root;

    private Rumpfs(Kernel kernel, Vnode covered, long fsid) {
        this.kernel = kernel;
        this.ops = new RumpfsOps(this);
        this.mount = new Mount(this, "rumpfs", covered, fsid, 0);
        this.mount.setData(this);
        this.mount.setFromName("rumpfs");
        this.root = newNode(VType.VDIR, 0755, 0, 0, null);
        this.root.parent = root;
    }

    /** Makes an empty rumpfs and its mount. */
    public static Mount create(Kernel kernel, Vnode covered, long fsid) {
        return new Rumpfs(kernel, covered, fsid).mount;
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

    RumpfsNode newNode(VType type, int mode, int uid, int gid, String target) {
        RumpfsNode n = new RumpfsNode(nextIno.getAndIncrement(), type, mode, uid, gid, now());
        n.target = target;
        n.vnode = new Vnode(kernel, mount, ops, type, n);
        return n;
    }

    long fsid() {
        return mount.fsid();
    }

    /**
     * rumpfs's space is the kernel's memory: with a memory limit, the limit; without one, what it holds
     * now plus nothing promised (free space reads 0 blocks, as an unbounded tmpfs cannot say more).
     */
    @Override
    public int statvfs(Mount mp, Out<jrump.rumpkern.Statvfs> out) {
        long bsize = 4096;
        jrump.rumpuser.Hypercalls hyp = kernel.hyp();
        long held = bytesHeld.get();
        long total = hyp.memLimit() == Long.MAX_VALUE ? held : hyp.memLimit();
        long free = hyp.memLimit() == Long.MAX_VALUE ? 0 : Math.max(0, hyp.memLimit() - hyp.memUsed());
        long files = nextIno.get() - 2;
        out.set(new jrump.rumpkern.Statvfs(0, bsize, bsize, bsize, (total + bsize - 1) / bsize, free / bsize,
                free / bsize, 0, files, 0, 0, 0, 0, jrump.rumpkern.Sys.NAME_MAX, 0, "", "", ""));
        return 0;
    }

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        vpp.set(root.vnode);
        return 0;
    }
}
