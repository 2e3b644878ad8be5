package jrump.rumpvfs.vfs;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.Proc;
import jrump.rumpvfs.rumpfs.Rumpfs;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.Vnode;

/**
 * The VFS state of one kernel: the root mount (rumpfs at boot) and each process's current and root
 * directories (struct cwdinfo), which rfork copies.
 */
public final class Vfs {
    /** Key of the kernel's Vfs in {@link Kernel#specific()}, and of a process's {@link Cwd}. */
    private static final Object KEY = new Object();

    /** A process's directories: the current one and the root (chroot). */
    record Cwd(Vnode cdir, Vnode rdir) {
    }

    private final Kernel kernel;
    private final java.util.Map<Vnode, Fifo> fifos = new java.util.concurrent.ConcurrentHashMap<>();
    private final Flocks flocks;
    private final Etfs etfs;
    private final Mount rootMount;
    private final Vnode rootVnode;

    private Vfs(Kernel kernel) {
        this.kernel = kernel;
        this.flocks = new Flocks(kernel);
        this.etfs = new Etfs(kernel);
        kernel.setEtfs(etfs);
        kernel.setSendfile(new Sendfile(etfs));
        this.rootMount = Rumpfs.create(kernel, null, 1);
        Out<Vnode> root = new Out<>();
        int error = rootMount.ops().root(rootMount, root);
        if (error != 0) throw new IllegalStateException("rumpfs root: errno " + error);
        this.rootVnode = root.get();
        kernel.addForkHook((parent, child) -> {
            Cwd c = cwd(parent);
            c.cdir().vref();
            c.rdir().vref();
            child.specific().put(KEY, c);
        });
        kernel.addExitHook(p -> {
            if (p.specific().remove(KEY) instanceof Cwd c) {
                c.cdir().vrele();
                c.rdir().vrele();
            }
        });
        mounts.add(rootMount);
        jrump.rumpvfs.vnode.VfsTypes.register(kernel, Rumpfs.TYPE);
    }

    /** The mount list (mountlist), root first; guarded by its own monitor. */
    private final java.util.List<Mount> mounts = new java.util.ArrayList<>();
    private long nextFsid = 2;

    synchronized long allocFsid() {
        return nextFsid++;
    }

    java.util.List<Mount> mounts() {
        synchronized (mounts) {
            return java.util.List.copyOf(mounts);
        }
    }

    void addMount(Mount mp) {
        synchronized (mounts) {
            mounts.add(mp);
        }
    }

    void removeMount(Mount mp) {
        synchronized (mounts) {
            mounts.remove(mp);
        }
    }

    /** Boots the VFS of {@code kernel} (once). */
    static Vfs init(Kernel kernel) {
        Vfs v = new Vfs(kernel);
        kernel.specific().put(KEY, v);
        return v;
    }

    static Vfs of(Kernel kernel) {
        return (Vfs) kernel.specific().get(KEY);
    }

    Kernel kernel() {
        return kernel;
    }

    Vnode rootVnode() {
        return rootVnode;
    }

    Mount rootMount() {
        return rootMount;
    }

    Etfs etfs() {
        return etfs;
    }

    Flocks flocks() {
        return flocks;
    }

    /** The FIFO state of a VFIFO vnode (kept for the kernel's life; small). */
    Fifo fifo(Vnode vp) {
        return fifos.computeIfAbsent(vp, v -> new Fifo(kernel));
    }

    Cwd cwd(Proc p) {
        Object c = p.specific().get(KEY);
        return c instanceof Cwd cwd ? cwd : new Cwd(rootVnode, rootVnode);
    }

    /** Sets a process's directories; each holds a reference to its vnode (vnodes of a cache). */
    void setCwd(Proc p, Cwd c) {
        c.cdir().vref();
        c.rdir().vref();
        if (p.specific().put(KEY, c) instanceof Cwd old) {
            old.cdir().vrele();
            old.rdir().vrele();
        }
    }

    /** A name in {@code dir} changed: the name cache forgets it (when the mount uses one). */
    void purgeName(Vnode dir, String name) {
        if (dir.mount() != null && dir.mount().usesNameCache()) jrump.rumpvfs.vnode.NameCache.of(kernel).purge(dir, name);
    }

    /** {@code vp} went or moved: the name cache forgets entries in it and naming it. */
    void purgeVnode(Vnode vp) {
        if (vp.mount() != null && vp.mount().usesNameCache()) jrump.rumpvfs.vnode.NameCache.of(kernel).purgeVnode(vp);
    }

    /** A vnode a VOP made or found (referenced) is kept until the syscall returns (vnodes of a cache). */
    static void holdForSyscall(jrump.rumpkern.kernel.KLwp l, Vnode vp) {
        if (vp != null && vp.cache() != null) l.hold(vp);
    }
}
