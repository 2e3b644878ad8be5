package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Timespec;
import jrump.rumpkern.kernel.Filedesc;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.SyscallArgs;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.FsyncFlag;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * The file system calls (NetBSD sys/kern/vfs_syscalls.c, vfs_vnops.c): path-based calls go through
 * namei, then lock the vnodes they change and call their operations.
 */
final class VfsSyscalls {
    private static final int S_ISVTX = 01000;

    private final Vfs vfs;
    private final Namei namei;

    VfsSyscalls(Vfs vfs) {
        this.vfs = vfs;
        this.namei = new Namei(vfs);
    }

    private static int e(Errno errno) {
        return errno.number();
    }

    private static boolean readOnly(Vnode vp) {
        return vp.mount() != null && vp.mount().readOnly();
    }

    /**
     * Whether writing to the file would change a read-only file system: FIFOs, devices and sockets on it
     * stay writable, their data is not the file system's (ufs_access, tmpfs_access).
     */
    private static boolean readOnlyContent(Vnode vp) {
        VType t = vp.type();
        return readOnly(vp) && (t == VType.VREG || t == VType.VDIR || t == VType.VLNK);
    }

    /** What a descriptor-based call does with the vnode behind a descriptor; returns an errno. */
    @FunctionalInterface
    private interface VnodeCall {
        int apply(KFile fp, Vnode vp);
    }

    /**
     * Runs {@code call} on the vnode of descriptor {@code fd} (EBADF if none; {@code notVnode} when the
     * descriptor is a pipe or socket), holding a reference to the file for the call.
     */
    private static int withVnode(KLwp l, int fd, Errno notVnode, VnodeCall call) {
        KFile fp = l.proc().fd().get(fd);
        if (fp == null) return e(Errno.EBADF);
        try {
            Vnode vp = vnodeOf(fp);
            return vp == null ? e(notVnode) : call.apply(fp, vp);
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    /** The vnode behind an open file (a FIFO's too), or null for pipes and sockets. */
    private static Vnode vnodeOf(KFile fp) {
        return fp.data() instanceof Vnode v ? v : fp.data() instanceof Fifo.Handle h ? h.vp() : null;
    }

    /** Installs a new open file at the lowest free descriptor; returns 0 with the descriptor in rv[0]. */
    private static int install(KLwp l, KFile fp, int flags, long[] rv) {
        int fd = l.proc().fd().alloc(fp, 0, (flags & Sys.O_CLOEXEC) != 0,
                Filedesc.maxDescriptors(l.proc().limit(Sys.RLIMIT_NOFILE).cur()));
        if (fd < 0) {
            Filedesc.drop(l, fp);
            return -fd;
        }
        rv[0] = fd;
        return 0;
    }

    // --- open ---------------------------------------------------------------------------------

    /** The file operations of the placeholder open(2) puts in a descriptor slot to see that one is free. */
    private static final jrump.rumpkern.kernel.FileOps PROBE = new jrump.rumpkern.kernel.FileOps() {
        @Override
        public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
            return e(Errno.EBADF);
        }

        @Override
        public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
            return e(Errno.EBADF);
        }

        @Override
        public int close(KLwp l, KFile fp) {
            return 0;
        }

        @Override
        public String type() {
            return "probe";
        }
    };

    int open(KLwp l, SyscallArgs.Open a, long[] rv) {
        return openat(l, Sys.AT_FDCWD, a.path(), a.flags(), a.mode(), rv);
    }

    int openat(KLwp l, SyscallArgs.Openat a, long[] rv) {
        return openat(l, a.fd(), a.path(), a.oflags(), a.mode(), rv);
    }

    private int openat(KLwp l, int dirfd, String path, int flags, int mode, long[] rv) {
        int acc = flags & Sys.O_ACCMODE;
        if (acc == Sys.O_ACCMODE) return e(Errno.EINVAL);
        boolean creat = (flags & Sys.O_CREAT) != 0;
        if (creat && (flags & Sys.O_DIRECTORY) != 0) return e(Errno.EINVAL);
        // NetBSD allocates the descriptor before vn_open (fd_allocfile): at the limit, EMFILE comes before
        // anything is created or truncated. A probe, not a reservation: the lowest free slot is taken again
        // at the end
        KFile probe = new KFile(PROBE, null, 0);
        int slot = l.proc().fd().alloc(probe, 0, false, Filedesc.maxDescriptors(l.proc().limit(Sys.RLIMIT_NOFILE).cur()));
        if (slot >= 0) l.proc().fd().removeIf(slot, probe);
        Filedesc.drop(l, probe);
        if (slot < 0) return -slot;
        int error;
        // a name created by another thread between our lookup and our create is simply opened (no O_EXCL)
        while ((error = openOnce(l, dirfd, path, flags, mode, rv)) == e(Errno.EEXIST) && creat && (flags & Sys.O_EXCL) == 0) {
            // look again
        }
        return error;
    }

    private int openOnce(KLwp l, int dirfd, String path, int flags, int mode, long[] rv) {
        int acc = flags & Sys.O_ACCMODE;
        boolean write = acc != Sys.O_RDONLY;
        KCred cred = l.cred();
        Out<Namei.Result> r = new Out<>();
        boolean creat = (flags & Sys.O_CREAT) != 0;
        boolean follow = (flags & Sys.O_NOFOLLOW) == 0 && !(creat && (flags & Sys.O_EXCL) != 0);
        int error = namei.lookup(l, dirfd, path, creat ? Namei.Op.CREATE : Namei.Op.LOOKUP, follow, r);
        if (error != 0) return error;
        Vnode vp = r.get().vp();
        boolean created = false;
        // O_EXCL on any existing name is EEXIST, a directory's too (POSIX, NetBSD's vn_open)
        if (creat && (flags & Sys.O_EXCL) == 0 && vp != null && vp.type() == VType.VDIR) return e(Errno.EISDIR);
        if (vp == null) {
            Vnode dvp = r.get().dvp();
            if (r.get().trailingSlash()) return e(Errno.EISDIR);
            if (readOnly(dvp)) return e(Errno.EROFS);
            error = Namei.accessLocked(dvp, Vaccess.VWRITE, cred);
            if (error != 0) return error;
            Vattr va = new Vattr();
            va.type = VType.VREG;
            va.mode = mode & ~l.proc().umask() & 07777;
            Out<Vnode> made = new Out<>();
            dvp.lock(true);
            try {
                // made meanwhile: EEXIST, and open looks again (or fails, with O_EXCL)
                if (nameNow(l, dvp, r.get().name(), cred) != null) return e(Errno.EEXIST);
                error = Vop.create(dvp, made, new ComponentName(ComponentName.CREATE, ComponentName.ISLASTCN, cred, r.get().name()), va);
            } finally {
                vfs.purgeName(dvp, r.get().name());
                dvp.unlock();
            }
            if (error != 0) return error;
            vp = made.get();
            Vfs.holdForSyscall(l, vp);
            created = true;
        } else if (creat && (flags & Sys.O_EXCL) != 0) {
            return e(Errno.EEXIST);
        }
        return openVnode(l, vp, flags, created, rv);
    }

    /**
     * The second half of open (vn_open after namei), shared with fhopen: checks the open mode against the
     * vnode, opens it, truncates, and installs a descriptor.
     */
    int openVnode(KLwp l, Vnode vp, int flags, boolean created, long[] rv) {
        int acc = flags & Sys.O_ACCMODE;
        boolean write = acc != Sys.O_RDONLY;
        KCred cred = l.cred();
        int error;
        if (vp.type() == VType.VLNK) return e(Errno.EFTYPE); // O_NOFOLLOW on a symbolic link (NetBSD's errno)
        if ((flags & Sys.O_DIRECTORY) != 0 && vp.type() != VType.VDIR) return e(Errno.ENOTDIR);
        if (vp.type() == VType.VDIR && (write || (flags & Sys.O_TRUNC) != 0)) return e(Errno.EISDIR);
        int want = 0;
        if (!created) {
            want = (acc == Sys.O_RDONLY || acc == Sys.O_RDWR ? Vaccess.VREAD : 0) | (write ? Vaccess.VWRITE : 0);
            if ((flags & Sys.O_TRUNC) != 0) want |= Vaccess.VWRITE;
        }
        boolean changes = !created && (write || (flags & Sys.O_TRUNC) != 0);
        if (vp.type() == VType.VFIFO) {
            if (want != 0) {
                error = Namei.accessLocked(vp, want, cred);
                if (error != 0) return error;
            }
            if (changes && readOnlyContent(vp)) return e(Errno.EROFS);
            return openFifo(l, vp, flags, rv);
        }
        // one lock for the permission check, the open and the truncation (vn_open)
        vp.lock(true);
        try {
            error = want != 0 ? Vop.access(vp, want, cred) : 0;
            if (error == 0 && changes && readOnlyContent(vp)) error = e(Errno.EROFS);
            if (error != 0) return error;
            error = Vop.open(vp, flags, cred);
            if (error == 0 && (flags & Sys.O_TRUNC) != 0 && !created && vp.type() == VType.VREG) {
                Vattr va = new Vattr();
                va.size = 0;
                error = Vop.setattr(vp, va, cred);
                if (error != 0) Vop.close(vp, flags, cred); // the open did not happen after all
            }
        } finally {
            vp.unlock();
        }
        if (error != 0) return error;
        int fflag = (acc + 1) | (flags & (Sys.O_APPEND | Sys.O_NONBLOCK | Sys.O_NOSIGPIPE));
        vp.vref(); // the open file's reference, dropped by its last close
        return install(l, new KFile(VnodeFile.OPS, vp, fflag), flags, rv);
    }

    /** Opens a named pipe: waits for the other side unless O_NONBLOCK or O_RDWR. */
    private int openFifo(KLwp l, Vnode vp, int flags, long[] rv) {
        int acc = flags & Sys.O_ACCMODE;
        boolean read = acc != Sys.O_WRONLY;
        boolean write = acc != Sys.O_RDONLY;
        Fifo fifo = vfs.fifo(vp);
        jrump.rumpkern.kernel.Pipe[] pipe = new jrump.rumpkern.kernel.Pipe[1];
        int error = fifo.open(read, write, (flags & Sys.O_NONBLOCK) != 0, pipe);
        if (error != 0) return error;
        int fflag = (acc + 1) | (flags & (Sys.O_NONBLOCK | Sys.O_NOSIGPIPE));
        return install(l, new KFile(Fifo.OPS, new Fifo.Handle(vp, fifo, pipe[0]), fflag), flags, rv);
    }

    // --- creating and removing names ------------------------------------------------------------

    int mkdir(KLwp l, SyscallArgs.Mkdir a, long[] rv) {
        return mkdirat(l, Sys.AT_FDCWD, a.path(), a.mode());
    }

    int mkdirat(KLwp l, SyscallArgs.Mkdirat a, long[] rv) {
        return mkdirat(l, a.fd(), a.path(), a.mode());
    }

    private int mkdirat(KLwp l, int dirfd, String path, int mode) {
        return makeNode(l, dirfd, path, VType.VDIR, mode & 0777, null);
    }

    int symlink(KLwp l, SyscallArgs.Symlink a, long[] rv) {
        return makeNode(l, Sys.AT_FDCWD, a.link(), VType.VLNK, 0777, a.path());
    }

    int symlinkat(KLwp l, SyscallArgs.Symlinkat a, long[] rv) {
        return makeNode(l, a.fd(), a.path2(), VType.VLNK, 0777, a.path1());
    }

    int mkfifo(KLwp l, SyscallArgs.Mkfifo a, long[] rv) {
        return makeNode(l, Sys.AT_FDCWD, a.path(), VType.VFIFO, a.mode() & 07777, null);
    }

    int mkfifoat(KLwp l, SyscallArgs.Mkfifoat a, long[] rv) {
        return makeNode(l, a.fd(), a.path(), VType.VFIFO, a.mode() & 07777, null);
    }

    /**
     * mknodat: FIFOs for anyone (as mkfifo); device nodes, regular files and the rest only for root
     * (KAUTH_SYSTEM_MKNOD), with the device number kept as the node's rdev.
     */
    int mknodat(KLwp l, SyscallArgs.Mknodat a, long[] rv) {
        int fmt = a.mode() & jrump.rumpkern.Stat.S_IFMT;
        VType type = switch (fmt) {
            case jrump.rumpkern.Stat.S_IFIFO -> VType.VFIFO;
            case jrump.rumpkern.Stat.S_IFCHR -> VType.VCHR;
            case jrump.rumpkern.Stat.S_IFBLK -> VType.VBLK;
            case jrump.rumpkern.Stat.S_IFREG, 0 -> VType.VREG;
            default -> null;
        };
        if (type == null) return e(Errno.EINVAL);
        if (type != VType.VFIFO && !l.cred().isRoot()) return e(Errno.EPERM);
        return makeNode(l, a.fd(), a.path(), type, a.mode() & 07777, null, type == VType.VCHR || type == VType.VBLK ? a.dev() : Vattr.VNOVAL);
    }

    private int makeNode(KLwp l, int dirfd, String path, VType type, int mode, String target) {
        return makeNode(l, dirfd, path, type, mode, target, Vattr.VNOVAL);
    }

    private int makeNode(KLwp l, int dirfd, String path, VType type, int mode, String target, long rdev) {
        if (target != null && target.getBytes(StandardCharsets.UTF_8).length >= Sys.PATH_MAX) return e(Errno.ENAMETOOLONG);
        KCred cred = l.cred();
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.CREATE, false, r);
        if (error == e(Errno.EISDIR)) return e(Errno.EEXIST); // "/" exists
        if (error != 0) return error;
        if (r.get().vp() != null) return e(Errno.EEXIST);
        if (r.get().trailingSlash() && type != VType.VDIR) return e(Errno.ENOENT);
        Vnode dvp = r.get().dvp();
        if (readOnly(dvp)) return e(Errno.EROFS);
        error = Namei.accessLocked(dvp, Vaccess.VWRITE, cred);
        if (error != 0) return error;
        Vattr va = new Vattr();
        va.type = type;
        va.mode = mode & ~l.proc().umask();
        va.rdev = rdev;
        ComponentName cn = new ComponentName(ComponentName.CREATE, ComponentName.ISLASTCN, cred, r.get().name());
        Out<Vnode> made = new Out<>();
        dvp.lock(true);
        try {
            if (nameNow(l, dvp, cn.name(), cred) != null) return e(Errno.EEXIST); // made meanwhile
            error = switch (type) {
                case VDIR -> Vop.mkdir(dvp, made, cn, va);
                case VLNK -> Vop.symlink(dvp, made, cn, va, target);
                default -> Vop.mknod(dvp, made, cn, va);
            };
        } finally {
            vfs.purgeName(dvp, cn.name());
            dvp.unlock();
        }
        if (error == 0) Vfs.holdForSyscall(l, made.get());
        return error;
    }

    int unlink(KLwp l, SyscallArgs.Unlink a, long[] rv) {
        return remove(l, Sys.AT_FDCWD, a.path(), false);
    }

    int rmdir(KLwp l, SyscallArgs.Rmdir a, long[] rv) {
        return remove(l, Sys.AT_FDCWD, a.path(), true);
    }

    int unlinkat(KLwp l, SyscallArgs.Unlinkat a, long[] rv) {
        if ((a.flag() & ~Sys.AT_REMOVEDIR) != 0) return e(Errno.EINVAL);
        return remove(l, a.fd(), a.path(), (a.flag() & Sys.AT_REMOVEDIR) != 0);
    }

    private int remove(KLwp l, int dirfd, String path, boolean dir) {
        KCred cred = l.cred();
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.DELETE, false, r);
        if (error == e(Errno.EISDIR)) return e(Errno.EBUSY); // the root
        if (error != 0) return error;
        Vnode dvp = r.get().dvp();
        Vnode vp = r.get().vp();
        String name = r.get().name();
        // NetBSD's order: a read-only file system first (VOP_ACCESS and namei refuse writes there), then the
        // lookup of the last component checks write permission on the directory and the sticky bit
        // (tmpfs_lookup, ufs_lookup; not for "." and ".."), then do_sys_unlinkat: a mount point, a file
        // system's root (also as ".") or an etfs key is busy, "." is invalid, for unlink too, then the types
        if (readOnly(dvp)) return e(Errno.EROFS);
        if (vp != dvp && !name.equals("..")) {
            error = Namei.accessLocked(dvp, Vaccess.VWRITE | Vaccess.VEXEC, cred);
            if (error != 0) return error;
            error = stickyCheck(dvp, vp, cred);
            if (error != 0) return error;
        }
        if (vp.mount() != dvp.mount() || vp.isMountRoot()) return e(Errno.EBUSY);
        if (vp == dvp) return e(Errno.EINVAL);
        if (dir) {
            if (name.equals("..")) return e(Errno.ENOTEMPTY);
            if (vp.type() != VType.VDIR) return e(Errno.ENOTDIR);
            if (vp.mountedHere() != null) return e(Errno.EBUSY);
        } else {
            if (vp.type() == VType.VDIR) return e(Errno.EPERM);
            if (r.get().trailingSlash()) return e(Errno.ENOTDIR);
        }
        ComponentName cn = new ComponentName(ComponentName.DELETE, ComponentName.ISLASTCN, cred, name);
        Vnode.lockPair(dvp, vp);
        try {
            // WILLPUT: the operation gives both locks back; jrump's wrappers check it, we unlock after
            return dir ? Vop.rmdir(dvp, vp, cn) : Vop.remove(dvp, vp, cn);
        } finally {
            vfs.purgeName(dvp, name);
            if (dir) vfs.purgeVnode(vp);
            if (vp != dvp && vp.lockHeldByMe()) vp.unlock();
            if (dvp.lockHeldByMe()) dvp.unlock();
        }
    }

    /**
     * What {@code name} in {@code dvp} is now (null: nothing). namei let go of the directory's lock after
     * its lookup, where NetBSD's keeps it until the operation: another thread may have made, removed or
     * replaced the name since. Asked again under the lock the operation then holds, so a name is never
     * entered twice and never replaced unseen. Locking: {@code dvp} locked.
     */
    private static Vnode nameNow(KLwp l, Vnode dvp, String name, KCred cred) {
        Out<Vnode> found = new Out<>();
        int error = Vop.lookup(dvp, found, new ComponentName(ComponentName.LOOKUP, ComponentName.ISLASTCN, cred, name));
        if (error != 0) return null;
        Vfs.holdForSyscall(l, found.get());
        return found.get();
    }

    /**
     * Whether {@code tname} in {@code tdvp} still names {@code tvp} (or still nothing). VOP_LOOKUP hands back
     * unlocked vnodes, so {@code tvp} is let go for the question and taken again only if free: never a
     * wait against lockPair's order. Locking: both locked on entry; {@code tvp} may be unlocked on false.
     */
    private static boolean targetUnchanged(KLwp l, Vnode tdvp, Vnode tvp, String tname, KCred cred) {
        if (tvp == null) return nameNow(l, tdvp, tname, cred) == null;
        tvp.unlock();
        Vnode now = nameNow(l, tdvp, tname, cred);
        return tvp.tryLock(true) && now == tvp;
    }

    /** In a sticky directory only root, the directory's owner and the file's owner may remove or rename it. */
    private static int stickyCheck(Vnode dvp, Vnode vp, KCred cred) {
        if (cred.isRoot()) return 0;
        Vattr d = attrs(dvp, cred);
        if (d == null || (d.mode & S_ISVTX) == 0) return 0;
        Vattr f = attrs(vp, cred);
        if (f == null) return e(Errno.EIO);
        return cred.euid() == d.uid || cred.euid() == f.uid ? 0 : e(Errno.EPERM);
    }

    int link(KLwp l, SyscallArgs.Link a, long[] rv) {
        return linkat(l, Sys.AT_FDCWD, a.path(), Sys.AT_FDCWD, a.link(), Sys.AT_SYMLINK_FOLLOW);
    }

    int linkat(KLwp l, SyscallArgs.Linkat a, long[] rv) {
        if ((a.flags() & ~Sys.AT_SYMLINK_FOLLOW) != 0) return e(Errno.EINVAL);
        return linkat(l, a.fd1(), a.name1(), a.fd2(), a.name2(), a.flags());
    }

    private int linkat(KLwp l, int fd1, String path, int fd2, String link, int flags) {
        KCred cred = l.cred();
        Out<Namei.Result> from = new Out<>();
        int error = namei.lookup(l, fd1, path, Namei.Op.LOOKUP, (flags & Sys.AT_SYMLINK_FOLLOW) != 0, from);
        if (error != 0) return error;
        Vnode vp = from.get().vp();
        // NetBSD's do_sys_linkat order: the new name's lookup (with the write permission a new name needs),
        // EEXIST, then EPERM for a directory and EXDEV
        Out<Namei.Result> to = new Out<>();
        error = namei.lookup(l, fd2, link, Namei.Op.CREATE, false, to);
        if (error == e(Errno.EISDIR)) return e(Errno.EEXIST);
        if (error != 0) return error;
        if (to.get().vp() != null) return e(Errno.EEXIST);
        if (to.get().trailingSlash()) return e(Errno.ENOENT); // the new name would have to be a directory
        Vnode dvp = to.get().dvp();
        if (readOnly(dvp)) return e(Errno.EROFS);
        error = Namei.accessLocked(dvp, Vaccess.VWRITE, cred);
        if (error != 0) return error;
        if (vp.type() == VType.VDIR) return e(Errno.EPERM);
        if (dvp.mount() != vp.mount()) return e(Errno.EXDEV);
        dvp.lock(true);
        try {
            if (nameNow(l, dvp, to.get().name(), cred) != null) return e(Errno.EEXIST); // made meanwhile
            return Vop.link(dvp, vp, new ComponentName(ComponentName.CREATE, ComponentName.ISLASTCN, cred, to.get().name()));
        } finally {
            vfs.purgeName(dvp, to.get().name());
            dvp.unlock();
        }
    }

    int rename(KLwp l, SyscallArgs.Rename a, long[] rv) {
        return renameat(l, Sys.AT_FDCWD, a.from(), Sys.AT_FDCWD, a.to());
    }

    int posixRename(KLwp l, SyscallArgs.PosixRename a, long[] rv) {
        return renameat(l, Sys.AT_FDCWD, a.from(), Sys.AT_FDCWD, a.to());
    }

    int renameat(KLwp l, SyscallArgs.Renameat a, long[] rv) {
        return renameat(l, a.fromfd(), a.from(), a.tofd(), a.to());
    }

    /** renameOnce's answer when the target's name changed between the lookup and the locks: look again. */
    private static final int RENAME_AGAIN = -1;

    private int renameat(KLwp l, int fromfd, String from, int tofd, String to) {
        int error;
        while ((error = renameOnce(l, fromfd, from, tofd, to)) == RENAME_AGAIN) {
            // another thread made, removed or replaced the target name meanwhile
        }
        return error;
    }

    private int renameOnce(KLwp l, int fromfd, String from, int tofd, String to) {
        KCred cred = l.cred();
        // NetBSD's order: each lookup refuses a read-only file system and checks, for its last component,
        // write permission on the directory and the sticky bit (tmpfs_lookup, ufs_lookup; not for "." and
        // ".."), the source's before the target is looked up; do_sys_renameat then refuses "." and "..",
        // mount points and crossing file systems; the file system's rename checks the rest (a directory into
        // itself, the types, write permission on a directory that changes parent: genfs_rename's order)
        Out<Namei.Result> f = new Out<>();
        int error = namei.lookup(l, fromfd, from, Namei.Op.DELETE, false, f);
        if (error == e(Errno.EISDIR)) return e(Errno.EBUSY);
        if (error != 0) return error;
        Vnode fdvp = f.get().dvp();
        Vnode fvp = f.get().vp();
        String fname = f.get().name();
        if (readOnly(fdvp)) return e(Errno.EROFS);
        if (fname.equals(".") || fname.equals("..")) return e(Errno.EINVAL);
        error = Namei.accessLocked(fdvp, Vaccess.VWRITE | Vaccess.VEXEC, cred);
        if (error == 0) error = stickyCheck(fdvp, fvp, cred);
        if (error != 0) return error;
        Out<Namei.Result> t = new Out<>();
        error = namei.lookup(l, tofd, to, Namei.Op.RENAME, false, t);
        if (error == e(Errno.EISDIR)) return e(Errno.EBUSY);
        if (error != 0) return error;
        Vnode tdvp = t.get().dvp();
        Vnode tvp = t.get().vp();
        String tname = t.get().name();
        if (tname.equals("..")) return e(Errno.EINVAL);
        // onto "." is onto a directory: t_vnops rename_dir wants EISDIR (from "." above: EINVAL)
        if (tname.equals(".")) return e(Errno.EISDIR);
        if (readOnly(tdvp)) return e(Errno.EROFS);
        error = Namei.accessLocked(tdvp, Vaccess.VWRITE | Vaccess.VEXEC, cred);
        if (error == 0 && tvp != null) error = stickyCheck(tdvp, tvp, cred);
        if (error != 0) return error;
        if (fvp == vfs.rootVnode() || fvp.isMountRoot()) return e(Errno.EBUSY);
        if (fdvp.mount() != fvp.mount()) return e(Errno.EXDEV);
        if (fvp.mount() != tdvp.mount() || (tvp != null && tvp.mount() != fvp.mount())) return e(Errno.EXDEV);
        if ((t.get().trailingSlash() || f.get().trailingSlash()) && fvp.type() != VType.VDIR) return e(Errno.ENOTDIR);
        ComponentName fcn = new ComponentName(ComponentName.DELETE, ComponentName.ISLASTCN, cred, fname);
        ComponentName tcn = new ComponentName(ComponentName.RENAME, ComponentName.ISLASTCN, cred, tname);
        Vnode.lockPair(tdvp, tvp);
        try {
            if (!targetUnchanged(l, tdvp, tvp, tname, cred)) return RENAME_AGAIN;
            return Vop.rename(fdvp, fvp, fcn, tdvp, tvp, tcn);
        } finally {
            vfs.purgeName(fdvp, fname);
            vfs.purgeName(tdvp, tname);
            if (tvp != null) vfs.purgeVnode(tvp);
            if (tvp != null && tvp != tdvp && tvp.lockHeldByMe()) tvp.unlock();
            if (tdvp.lockHeldByMe()) tdvp.unlock();
        }
    }

    // --- attributes ---------------------------------------------------------------------------

    private static Vattr attrs(Vnode vp, KCred cred) {
        Vattr va = new Vattr();
        vp.lock(true);
        try {
            return Vop.getattr(vp, va, cred) == 0 ? va : null;
        } finally {
            vp.unlock();
        }
    }

    static Stat toStat(Vattr v) {
        int fmt = switch (v.type) {
            case VREG -> Stat.S_IFREG;
            case VDIR -> Stat.S_IFDIR;
            case VLNK -> Stat.S_IFLNK;
            case VFIFO -> Stat.S_IFIFO;
            case VCHR -> Stat.S_IFCHR;
            case VBLK -> Stat.S_IFBLK;
            case VSOCK -> Stat.S_IFSOCK;
            default -> 0;
        };
        // the four times are often equal (a file not changed since it was made): one immutable value serves
        Timespec atime = Timespec.ofNanos(v.atime);
        Timespec mtime = v.mtime == v.atime ? atime : Timespec.ofNanos(v.mtime);
        Timespec ctime = v.ctime == v.mtime ? mtime : v.ctime == v.atime ? atime : Timespec.ofNanos(v.ctime);
        Timespec birthtime = v.birthtime == v.ctime ? ctime : v.birthtime == v.mtime ? mtime : Timespec.ofNanos(v.birthtime);
        return new Stat(v.fsid, fmt | (int) v.mode, v.fileid, v.nlink, (int) v.uid, (int) v.gid, v.rdev,
                atime, mtime, ctime, birthtime, v.size, (v.bytes + 511) / 512, (int) v.blocksize, (int) v.flags, v.gen);
    }

    private int statPath(KLwp l, int dirfd, String path, boolean follow, Out<Stat> out) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.LOOKUP, follow, r);
        return error != 0 ? error : statVnode(r.get().vp(), l, out);
    }

    static int statVnode(Vnode vp, KLwp l, Out<Stat> out) {
        Vattr va = attrs(vp, l.cred());
        if (va == null) return e(Errno.EIO);
        out.set(toStat(va));
        return 0;
    }

    int stat(KLwp l, SyscallArgs.Stat a, long[] rv) {
        return statPath(l, Sys.AT_FDCWD, a.path(), true, a.ub());
    }

    int lstat(KLwp l, SyscallArgs.Lstat a, long[] rv) {
        return statPath(l, Sys.AT_FDCWD, a.path(), false, a.ub());
    }

    int fstatat(KLwp l, SyscallArgs.Fstatat a, long[] rv) {
        if ((a.flag() & ~Sys.AT_SYMLINK_NOFOLLOW) != 0) return e(Errno.EINVAL);
        return statPath(l, a.fd(), a.path(), (a.flag() & Sys.AT_SYMLINK_NOFOLLOW) == 0, a.buf());
    }

    int fstat(KLwp l, SyscallArgs.Fstat a, long[] rv) {
        KFile pipe = l.proc().fd().get(a.fd());
        if (pipe != null) {
            try {
                if (pipe.data() instanceof jrump.rumpkern.kernel.Pipe) {
                    // pipe_stat: a FIFO, 0600, the caller's ids (the buffered byte count is not kept here)
                    Timespec now = Timespec.ofNanos(vfs.kernel().wallNanos());
                    a.sb().set(new Stat(0, Stat.S_IFIFO | 0600, 0, 1, l.cred().euid(), l.cred().egid(), 0, now, now,
                            now, now, 0, 0, 16384 /* PIPE_SIZE */, 0, 0));
                    return 0;
                }
            } finally {
                Filedesc.drop(l, pipe);
            }
        }
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> {
            Vattr va = attrs(vp, l.cred());
            if (va == null) return e(Errno.EIO);
            a.sb().set(toStat(va));
            return 0;
        });
    }

    private int setattr(KLwp l, Vnode vp, Vattr va) {
        if (readOnly(vp)) return e(Errno.EROFS);
        vp.lock(true);
        try {
            return Vop.setattr(vp, va, l.cred());
        } finally {
            vp.unlock();
        }
    }

    private int setattrPath(KLwp l, int dirfd, String path, boolean follow, Vattr va) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.LOOKUP, follow, r);
        return error != 0 ? error : setattr(l, r.get().vp(), va);
    }

    private int setattrFd(KLwp l, int fd, Vattr va, boolean needWrite) {
        return withVnode(l, fd, Errno.EINVAL, (fp, vp) -> needWrite && !fp.writable() ? e(Errno.EINVAL) : setattr(l, vp, va));
    }

    private static Vattr mode(int mode) {
        Vattr va = new Vattr();
        va.mode = mode & 07777;
        return va;
    }

    private static Vattr owner(int uid, int gid) {
        Vattr va = new Vattr();
        if (uid != -1) va.uid = uid;
        if (gid != -1) va.gid = gid;
        return va;
    }

    int chmod(KLwp l, SyscallArgs.Chmod a, long[] rv) {
        return setattrPath(l, Sys.AT_FDCWD, a.path(), true, mode(a.mode()));
    }

    int lchmod(KLwp l, SyscallArgs.Lchmod a, long[] rv) {
        return setattrPath(l, Sys.AT_FDCWD, a.path(), false, mode(a.mode()));
    }

    int fchmod(KLwp l, SyscallArgs.Fchmod a, long[] rv) {
        return setattrFd(l, a.fd(), mode(a.mode()), false);
    }

    int fchmodat(KLwp l, SyscallArgs.Fchmodat a, long[] rv) {
        if ((a.flag() & ~Sys.AT_SYMLINK_NOFOLLOW) != 0) return e(Errno.EINVAL);
        return setattrPath(l, a.fd(), a.path(), (a.flag() & Sys.AT_SYMLINK_NOFOLLOW) == 0, mode(a.mode()));
    }

    int chown(KLwp l, SyscallArgs.Chown a, long[] rv) {
        return setattrPath(l, Sys.AT_FDCWD, a.path(), true, owner(a.uid(), a.gid()));
    }

    int lchown(KLwp l, SyscallArgs.Lchown a, long[] rv) {
        return setattrPath(l, Sys.AT_FDCWD, a.path(), false, owner(a.uid(), a.gid()));
    }

    int fchown(KLwp l, SyscallArgs.Fchown a, long[] rv) {
        return setattrFd(l, a.fd(), owner(a.uid(), a.gid()), false);
    }

    int fchownat(KLwp l, SyscallArgs.Fchownat a, long[] rv) {
        if ((a.flag() & ~Sys.AT_SYMLINK_NOFOLLOW) != 0) return e(Errno.EINVAL);
        return setattrPath(l, a.fd(), a.path(), (a.flag() & Sys.AT_SYMLINK_NOFOLLOW) == 0, owner(a.owner(), a.group()));
    }

    private static Vattr size(long length) {
        Vattr va = new Vattr();
        va.size = length;
        return va;
    }

    // --- times -------------------------------------------------------------------------------

    /** struct timeval pairs to timespecs; null stays null ("now"); a bad pair is null with {@code bad} set. */
    private static Timespec[] fromTimevals(jrump.rumpkern.Timeval[] tv, boolean[] bad) {
        if (tv == null) return null;
        if (tv.length != 2 || !tv[0].valid() || !tv[1].valid()) {
            bad[0] = true;
            return null;
        }
        return new Timespec[] {new Timespec(tv[0].sec(), tv[0].usec() * 1000), new Timespec(tv[1].sec(), tv[1].usec() * 1000)};
    }

    /**
     * Sets access and modification times (utimensat's rules): null means both "now"; UTIME_NOW and
     * UTIME_OMIT per element. "Now" needs write permission or ownership, explicit times ownership.
     */
    private int setTimes(KLwp l, Vnode vp, Timespec[] ts) {
        if (ts != null && ts.length != 2) return e(Errno.EINVAL);
        long now = vfs.kernel().wallNanos();
        Vattr va = new Vattr();
        if (ts == null) {
            va.atime = va.mtime = now;
            va.vaflags = Vattr.VA_UTIMES_NULL;
        } else {
            boolean explicit = false;
            long[] out = new long[2];
            for (int i = 0; i < 2; i++) {
                long nsec = ts[i].nsec();
                if (nsec == Sys.UTIME_OMIT) {
                    out[i] = Vattr.VNOVAL_TIME;
                } else if (nsec == Sys.UTIME_NOW) {
                    out[i] = now;
                } else {
                    if (!ts[i].valid()) return e(Errno.EINVAL);
                    // the earliest time there is (toNanos saturates) stays a time, not "no value"
                    out[i] = Math.max(ts[i].toNanos(), Vattr.VNOVAL_TIME + 1);
                    explicit = true;
                }
            }
            if (out[0] == Vattr.VNOVAL_TIME && out[1] == Vattr.VNOVAL_TIME) return 0;
            va.atime = out[0];
            va.mtime = out[1];
            if (!explicit) va.vaflags = Vattr.VA_UTIMES_NULL;
        }
        return setattr(l, vp, va);
    }

    private int timesPath(KLwp l, int dirfd, String path, boolean follow, Timespec[] ts) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.LOOKUP, follow, r);
        return error != 0 ? error : setTimes(l, r.get().vp(), ts);
    }

    private int timesFd(KLwp l, int fd, Timespec[] ts) {
        return withVnode(l, fd, Errno.EINVAL, (fp, vp) -> setTimes(l, vp, ts));
    }

    int utimes(KLwp l, SyscallArgs.Utimes a, long[] rv) {
        boolean[] bad = new boolean[1];
        Timespec[] ts = fromTimevals(a.tptr(), bad);
        return bad[0] ? e(Errno.EINVAL) : timesPath(l, Sys.AT_FDCWD, a.path(), true, ts);
    }

    int lutimes(KLwp l, SyscallArgs.Lutimes a, long[] rv) {
        boolean[] bad = new boolean[1];
        Timespec[] ts = fromTimevals(a.tptr(), bad);
        return bad[0] ? e(Errno.EINVAL) : timesPath(l, Sys.AT_FDCWD, a.path(), false, ts);
    }

    int futimes(KLwp l, SyscallArgs.Futimes a, long[] rv) {
        boolean[] bad = new boolean[1];
        Timespec[] ts = fromTimevals(a.tptr(), bad);
        return bad[0] ? e(Errno.EINVAL) : timesFd(l, a.fd(), ts);
    }

    int utimensat(KLwp l, SyscallArgs.Utimensat a, long[] rv) {
        if ((a.flag() & ~Sys.AT_SYMLINK_NOFOLLOW) != 0) return e(Errno.EINVAL);
        return timesPath(l, a.fd(), a.path(), (a.flag() & Sys.AT_SYMLINK_NOFOLLOW) == 0, a.tptr());
    }

    int futimens(KLwp l, SyscallArgs.Futimens a, long[] rv) {
        return timesFd(l, a.fd(), a.tptr());
    }

    int truncate(KLwp l, SyscallArgs.Truncate a, long[] rv) {
        if (a.length() < 0) return e(Errno.EINVAL);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        if (error != 0) return error;
        Vnode vp = r.get().vp();
        if (vp.type() == VType.VDIR) return e(Errno.EISDIR);
        error = Namei.accessLocked(vp, Vaccess.VWRITE, l.cred());
        return error != 0 ? error : setattr(l, vp, size(a.length()));
    }

    int ftruncate(KLwp l, SyscallArgs.Ftruncate a, long[] rv) {
        if (a.length() < 0) return e(Errno.EINVAL);
        return setattrFd(l, a.fd(), size(a.length()), true);
    }

    int access(KLwp l, SyscallArgs.Access a, long[] rv) {
        return faccessat(l, Sys.AT_FDCWD, a.path(), a.flags(), 0);
    }

    int faccessat(KLwp l, SyscallArgs.Faccessat a, long[] rv) {
        if ((a.flag() & ~(Sys.AT_EACCESS | Sys.AT_SYMLINK_NOFOLLOW)) != 0) return e(Errno.EINVAL);
        return faccessat(l, a.fd(), a.path(), a.amode(), a.flag());
    }

    private int faccessat(KLwp l, int dirfd, String path, int amode, int flag) {
        if ((amode & ~(Sys.R_OK | Sys.W_OK | Sys.X_OK)) != 0) return e(Errno.EINVAL);
        KCred c = l.cred();
        // access(2) checks with the real ids unless AT_EACCESS
        KCred cred = (flag & Sys.AT_EACCESS) != 0 ? c : new KCred(c.uid(), c.uid(), c.svuid(), c.gid(), c.gid(), c.svgid(), c.groups());
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.LOOKUP, (flag & Sys.AT_SYMLINK_NOFOLLOW) == 0, r);
        if (error != 0 || amode == Sys.F_OK) return error;
        Vnode vp = r.get().vp();
        int mode = ((amode & Sys.R_OK) != 0 ? Vaccess.VREAD : 0) | ((amode & Sys.W_OK) != 0 ? Vaccess.VWRITE : 0)
                | ((amode & Sys.X_OK) != 0 ? Vaccess.VEXEC : 0);
        if ((amode & Sys.W_OK) != 0 && readOnlyContent(vp)) return e(Errno.EROFS);
        return Namei.accessLocked(vp, mode, cred);
    }

    // --- directories --------------------------------------------------------------------------

    int chdir(KLwp l, SyscallArgs.Chdir a, long[] rv) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        return error != 0 ? error : changeDir(l, r.get().vp(), false);
    }

    int fchdir(KLwp l, SyscallArgs.Fchdir a, long[] rv) {
        return withVnode(l, a.fd(), Errno.ENOTDIR, (fp, vp) -> changeDir(l, vp, false));
    }

    int chroot(KLwp l, SyscallArgs.Chroot a, long[] rv) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        return error != 0 ? error : changeDir(l, r.get().vp(), true);
    }

    int fchroot(KLwp l, SyscallArgs.Fchroot a, long[] rv) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        return withVnode(l, a.fd(), Errno.ENOTDIR, (fp, vp) -> changeDir(l, vp, true));
    }

    private int changeDir(KLwp l, Vnode vp, boolean root) {
        if (vp.type() != VType.VDIR) return e(Errno.ENOTDIR);
        int error = Namei.accessLocked(vp, Vaccess.VEXEC, l.cred());
        if (error != 0) return error;
        Vfs.Cwd c = vfs.cwd(l.proc());
        // fchdir to a directory opened before a chroot must not lead out of it (vn_isunder)
        if (!root && !isUnder(l, vp, c.rdir(), l.cred())) return e(Errno.EPERM);
        vfs.setCwd(l.proc(), root ? new Vfs.Cwd(vp, vp) : new Vfs.Cwd(vp, c.rdir()));
        return 0;
    }

    /** Whether {@code vp} is {@code rdir} or below it: walks ".." up to the root of the kernel. */
    private boolean isUnder(KLwp l, Vnode vp, Vnode rdir, KCred cred) {
        if (rdir == vfs.rootVnode()) return true;
        Vnode cur = vp;
        for (int depth = 0; depth < 4096; depth++) {
            if (cur == rdir) return true;
            while (cur.isMountRoot() && cur.mount().covered() != null) cur = cur.mount().covered();
            Out<Vnode> up = new Out<>();
            cur.lock(true);
            int error;
            try {
                error = Vop.lookup(cur, up, new ComponentName(ComponentName.LOOKUP, ComponentName.ISLASTCN, cred, ".."));
            } finally {
                cur.unlock();
            }
            if (error != 0) return false;
            if (up.get().cache() != null) l.hold(up.get()); // released when the syscall returns, as namei's
            if (up.get() == cur) return false; // reached the real root
            cur = up.get();
        }
        return false;
    }


    /**
     * __getcwd: the current directory's path from the process's root, found by walking ".." and looking
     * for each directory's inode number in its parent (vfs_getcwd.c's method). Writes the path and a NUL;
     * returns the length with the NUL; ERANGE when the buffer is too small.
     */
    int getcwd(KLwp l, SyscallArgs.Getcwd a, long[] rv) {
        Vfs.Cwd c = vfs.cwd(l.proc());
        KCred cred = l.cred();
        java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
        Vnode cur = c.cdir();
        for (int depth = 0; cur != c.rdir(); depth++) {
            if (depth > Sys.PATH_MAX) return e(Errno.ENOENT);
            while (cur != c.rdir() && cur.isMountRoot() && cur.mount().covered() != null) cur = cur.mount().covered();
            if (cur == c.rdir()) break;
            Vattr self = attrs(cur, cred);
            if (self == null) return e(Errno.EIO);
            if (self.nlink == 0) return e(Errno.ENOENT); // the directory was removed
            Out<Vnode> up = new Out<>();
            cur.lock(true);
            int error;
            try {
                error = Vop.access(cur, Vaccess.VEXEC, cred);
                if (error == 0) error = Vop.lookup(cur, up, new ComponentName(ComponentName.LOOKUP, ComponentName.ISLASTCN, cred, ".."));
            } finally {
                cur.unlock();
            }
            if (error != 0) return error;
            Vnode parent = up.get();
            // VOP_LOOKUP's reference lasts until the syscall returns, as namei's (vnodes of a cache only)
            if (parent.cache() != null) l.hold(parent);
            if (parent == cur) break; // the kernel's root
            String name = nameIn(parent, self.fileid, cred);
            if (name == null) return e(Errno.ENOENT);
            names.addFirst(name);
            cur = parent;
        }
        StringBuilder path = new StringBuilder();
        for (String n : names) path.append('/').append(n);
        byte[] bytes = (path.isEmpty() ? "/" : path.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (a.length() < bytes.length + 1) return e(Errno.ERANGE);
        a.bufp().put(bytes).put((byte) 0);
        rv[0] = bytes.length + 1;
        return 0;
    }

    /** The name under which inode {@code ino} appears in directory {@code dir}, or null. */
    private static String nameIn(Vnode dir, long ino, KCred cred) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long cookie = 0;
        dir.lock(true);
        try {
            if (Vop.access(dir, Vaccess.VREAD, cred) != 0) return null;
            while (true) {
                buf.clear();
                Uio uio = new Uio(buf, cookie, Uio.Rw.READ);
                if (Vop.readdir(dir, uio, cred, new Out<>(), new Out<>(), new Out<>()) != 0) return null;
                if (buf.position() == 0) return null;
                for (jrump.rumpkern.Dirent d : jrump.rumpkern.Dirent.parse(buf.flip(), buf.limit())) {
                    if (d.fileno() == ino && !d.name().equals(".") && !d.name().equals("..")) return d.name();
                }
                cookie = uio.offset();
            }
        } finally {
            dir.unlock();
        }
    }

    int getdents(KLwp l, SyscallArgs.Getdents a, long[] rv) {
        KFile fp = l.proc().fd().get(a.fd());
        if (fp == null) return e(Errno.EBADF);
        try {
            if (!(fp.data() instanceof Vnode vp) || vp.type() != VType.VDIR) return e(Errno.ENOTDIR);
            if (!fp.readable()) return e(Errno.EBADF);
            ByteBuffer buf = a.buf();
            int before = buf.position();
            vp.lock(true);
            try {
                Uio uio = new Uio(buf, fp.offset().get(), Uio.Rw.READ);
                int error = Vop.readdir(vp, uio, l.cred(), new Out<>(), new Out<>(), new Out<>());
                if (error != 0) return error;
                fp.offset().set(uio.offset());
            } finally {
                vp.unlock();
            }
            rv[0] = buf.position() - before;
            return 0;
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    int readlink(KLwp l, SyscallArgs.Readlink a, long[] rv) {
        return readlinkat(l, Sys.AT_FDCWD, a.path(), a.buf(), rv);
    }

    int readlinkat(KLwp l, SyscallArgs.Readlinkat a, long[] rv) {
        return readlinkat(l, a.fd(), a.path(), a.buf(), rv);
    }

    private int readlinkat(KLwp l, int dirfd, String path, ByteBuffer buf, long[] rv) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, dirfd, path, Namei.Op.LOOKUP, false, r);
        if (error != 0) return error;
        Vnode vp = r.get().vp();
        if (vp.type() != VType.VLNK) return e(Errno.EINVAL);
        int before = buf.position();
        vp.lock(true);
        try {
            error = Vop.readlink(vp, new Uio(buf, 0, Uio.Rw.READ), l.cred());
        } finally {
            vp.unlock();
        }
        rv[0] = buf.position() - before;
        return error;
    }

    // --- pathconf -----------------------------------------------------------------------------

    private static int pathconf(KLwp l, Vnode vp, int name, long[] rv) {
        Out<Long> value = new Out<>();
        vp.lock(true);
        try {
            int error = Vop.pathconf(vp, name, value);
            if (error != 0) return error;
        } finally {
            vp.unlock();
        }
        rv[0] = value.get();
        return 0;
    }

    int pathconf(KLwp l, SyscallArgs.Pathconf a, long[] rv) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        return error != 0 ? error : pathconf(l, r.get().vp(), a.name(), rv);
    }

    int fpathconf(KLwp l, SyscallArgs.Fpathconf a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EINVAL, (fp, vp) -> pathconf(l, vp, a.name(), rv));
    }

    // --- mount and unmount --------------------------------------------------------------------


    int mount(KLwp l, SyscallArgs.Mount a, long[] rv) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        if (error != 0) return error;
        Vnode vp = r.get().vp();
        if (vp.type() != VType.VDIR) return e(Errno.ENOTDIR);
        if ((a.flags() & Sys.MNT_UPDATE) != 0) {
            // only the read-only flag changes on an update
            if (!vp.isMountRoot()) return e(Errno.EINVAL);
            jrump.rumpvfs.vnode.Mount mp = vp.mount();
            // read-write to read-only waits for no writer unless forced (ffs_flushfiles' WRITECLOSE);
            // forced, the writers' descriptors stay open but refuse to write (VnodeFile)
            boolean toReadOnly = (a.flags() & Sys.MNT_RDONLY) != 0 && !mp.readOnly();
            if (toReadOnly && (a.flags() & Sys.MNT_FORCE) == 0 && openForWriting(mp)) return e(Errno.EBUSY);
            error = mp.ops().update(mp, (mp.flags() & ~jrump.rumpvfs.vnode.Mount.MNT_RDONLY) | (a.flags() & Sys.MNT_RDONLY));
            if (error != 0) return error;
            mp.setFlags((mp.flags() & ~jrump.rumpvfs.vnode.Mount.MNT_RDONLY) | (a.flags() & Sys.MNT_RDONLY));
            return 0;
        }
        if (vp.mountedHere() != null || vp.isMountRoot()) return e(Errno.EBUSY);
        jrump.rumpvfs.vnode.VfsType type = jrump.rumpvfs.vnode.VfsTypes.find(vfs.kernel(), a.type());
        if (type == null) return e(Errno.ENODEV);
        Out<jrump.rumpvfs.vnode.Mount> made = new Out<>();
        if (type.usesDevice()) {
            error = mountFromDevice(l, type, vp, a.flags() & ~Sys.MNT_UPDATE, a.data(), made);
        } else {
            error = type.mount(vfs.kernel(), vp, a.flags() & ~Sys.MNT_UPDATE, a.data(), vfs.allocFsid(), made);
        }
        if (error != 0) return error;
        made.get().setOnName(a.path());
        synchronized (vfs) {
            if (vp.mountedHere() != null) return e(Errno.EBUSY); // another mount won the race
            vp.setMountedHere(made.get());
        }
        vp.vref(); // the covered directory stays while the mount does
        vfs.addMount(made.get());
        return 0;
    }

    /**
     * The device half of mount (NetBSD's ffs_mount/ext2fs_mount lookup of fspec): the path before the first
     * comma must name a block device (ENOTBLK) that no other mount uses (EBUSY); the mount keeps a
     * reference to it.
     */
    private int mountFromDevice(KLwp l, jrump.rumpvfs.vnode.VfsType type, Vnode covered, int flags, String data,
            Out<jrump.rumpvfs.vnode.Mount> made) {
        if (data == null || data.isBlank()) return e(Errno.EINVAL);
        int comma = data.indexOf(',');
        String fspec = comma < 0 ? data : data.substring(0, comma);
        String options = comma < 0 ? "" : data.substring(comma + 1);
        Out<Namei.Result> d = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, fspec, Namei.Op.LOOKUP, true, d);
        if (error != 0) return error;
        Vnode devvp = d.get().vp();
        if (devvp.type() != VType.VBLK) return e(Errno.ENOTBLK);
        for (jrump.rumpvfs.vnode.Mount other : vfs.mounts()) if (other.device() == devvp) return e(Errno.EBUSY);
        devvp.vref();
        error = type.mountFrom(vfs.kernel(), covered, flags, devvp, options, vfs.allocFsid(), made);
        if (error != 0) {
            devvp.vrele();
            return error;
        }
        made.get().setDevice(devvp);
        made.get().setFromName(fspec);
        return 0;
    }

    int unmount(KLwp l, SyscallArgs.Unmount a, long[] rv) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        if (error != 0) return error;
        Vnode root = r.get().vp();
        if (!root.isMountRoot()) return e(Errno.EINVAL);
        jrump.rumpvfs.vnode.Mount mp = root.mount();
        if (mp == vfs.rootMount()) return e(Errno.EBUSY);
        boolean force = (a.flags() & Sys.MNT_FORCE) != 0;
        if (!force && busy(mp)) return e(Errno.EBUSY);
        for (jrump.rumpvfs.vnode.Mount other : vfs.mounts()) {
            if (other != mp && other.covered() != null && other.covered().mount() == mp) return e(Errno.EBUSY);
        }
        error = mp.ops().sync(mp);
        if (error != 0 && !force) return error;
        // namei's reference to the root must not count as a user of the file system
        l.releaseHeld();
        error = mp.ops().unmount(mp, force);
        if (error != 0 && !force) return error;
        synchronized (vfs) {
            mp.covered().setMountedHere(null);
        }
        vfs.removeMount(mp);
        if (mp.usesNameCache()) jrump.rumpvfs.vnode.NameCache.of(vfs.kernel()).purgeMount(mp);
        mp.covered().vrele(); // the mount's reference to the directory it covered
        if (mp.device() != null) mp.device().vrele();
        return 0;
    }

    /** A mount is busy while a process has its current or root directory in it or a file of it open. */
    private boolean busy(jrump.rumpvfs.vnode.Mount mp) {
        for (jrump.rumpkern.kernel.Proc p : vfs.kernel().procs().all()) {
            Vfs.Cwd c = vfs.cwd(p);
            if (c.cdir().mount() == mp || c.rdir().mount() == mp) return true;
            boolean open = p.fd().anyFile(f -> vnodeOf(f) != null && vnodeOf(f).mount() == mp);
            if (open) return true;
        }
        return false;
    }

    /** Whether a process has a file of the mount open for writing. */
    private boolean openForWriting(jrump.rumpvfs.vnode.Mount mp) {
        for (jrump.rumpkern.kernel.Proc p : vfs.kernel().procs().all()) {
            if (p.fd().anyFile(f -> f.writable() && vnodeOf(f) != null && vnodeOf(f).mount() == mp)) return true;
        }
        return false;
    }

    /** fdiscard: punches a hole; the file keeps its size and the range reads as zeros. */
    int fdiscard(KLwp l, SyscallArgs.Fdiscard a, long[] rv) {
        return withVnode(l, a.fd(), Errno.ESPIPE, (fp, vp) -> {
            if (!fp.writable()) return e(Errno.EBADF);
            if (readOnly(vp)) return e(Errno.EROFS);
            vp.lock(true);
            try {
                return Vop.fdiscard(vp, a.pos(), a.len());
            } finally {
                vp.unlock();
            }
        });
    }

    /**
     * posix_fallocate: reserves the range so that writes into it cannot fail for space. Like the POSIX
     * function it returns the errno as its value (NOERR) instead of failing.
     */
    int posixFallocate(KLwp l, SyscallArgs.PosixFallocate a, long[] rv) {
        rv[0] = withVnode(l, a.fd(), Errno.ESPIPE, (fp, vp) -> {
            if (a.pos() < 0 || a.len() <= 0) return e(Errno.EINVAL);
            if (!fp.writable()) return e(Errno.EBADF);
            if (vp.type() != VType.VREG) return e(vp.type() == VType.VDIR ? Errno.EBADF : Errno.ENODEV);
            if (readOnly(vp)) return e(Errno.EROFS);
            vp.lock(true);
            try {
                return Vop.fallocate(vp, a.pos(), a.len());
            } finally {
                vp.unlock();
            }
        });
        return 0;
    }

    int flock(KLwp l, SyscallArgs.Flock a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> vfs.flocks().flock(vp, fp, a.how()));
    }

    // --- extended attributes ------------------------------------------------------------------

    private int xattrPath(KLwp l, String path, boolean follow, java.util.function.Function<Vnode, Integer> op) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, path, Namei.Op.LOOKUP, follow, r);
        return error != 0 ? error : op.apply(r.get().vp());
    }

    int setxattr(KLwp l, SyscallArgs.Setxattr a, long[] rv) {
        return xattrPath(l, a.path(), true, vp -> Xattrs.set(vp, a.name(), a.value(), a.flags(), l.cred()));
    }

    int lsetxattr(KLwp l, SyscallArgs.Lsetxattr a, long[] rv) {
        return xattrPath(l, a.path(), false, vp -> Xattrs.set(vp, a.name(), a.value(), a.flags(), l.cred()));
    }

    int fsetxattr(KLwp l, SyscallArgs.Fsetxattr a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> Xattrs.set(vp, a.name(), a.value(), a.flags(), l.cred()));
    }

    int getxattr(KLwp l, SyscallArgs.Getxattr a, long[] rv) {
        return xattrPath(l, a.path(), true, vp -> Xattrs.get(vp, a.name(), a.value(), l.cred(), rv));
    }

    int lgetxattr(KLwp l, SyscallArgs.Lgetxattr a, long[] rv) {
        return xattrPath(l, a.path(), false, vp -> Xattrs.get(vp, a.name(), a.value(), l.cred(), rv));
    }

    int fgetxattr(KLwp l, SyscallArgs.Fgetxattr a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> Xattrs.get(vp, a.name(), a.value(), l.cred(), rv));
    }

    int listxattr(KLwp l, SyscallArgs.Listxattr a, long[] rv) {
        return xattrPath(l, a.path(), true, vp -> Xattrs.list(vp, a.list(), l.cred(), rv));
    }

    int llistxattr(KLwp l, SyscallArgs.Llistxattr a, long[] rv) {
        return xattrPath(l, a.path(), false, vp -> Xattrs.list(vp, a.list(), l.cred(), rv));
    }

    int flistxattr(KLwp l, SyscallArgs.Flistxattr a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> Xattrs.list(vp, a.list(), l.cred(), rv));
    }

    int removexattr(KLwp l, SyscallArgs.Removexattr a, long[] rv) {
        return xattrPath(l, a.path(), true, vp -> Xattrs.remove(vp, a.name(), l.cred()));
    }

    int lremovexattr(KLwp l, SyscallArgs.Lremovexattr a, long[] rv) {
        return xattrPath(l, a.path(), false, vp -> Xattrs.remove(vp, a.name(), l.cred()));
    }

    int fremovexattr(KLwp l, SyscallArgs.Fremovexattr a, long[] rv) {
        return withVnode(l, a.fd(), Errno.EOPNOTSUPP, (fp, vp) -> Xattrs.remove(vp, a.name(), l.cred()));
    }

    // --- statvfs ------------------------------------------------------------------------------

    /** The file system's figures with the VFS's own fields (flags, fsid, names) filled in. */
    static int statvfsOf(jrump.rumpvfs.vnode.Mount mp, Out<jrump.rumpkern.Statvfs> out) {
        Out<jrump.rumpkern.Statvfs> fs = new Out<>();
        int error = mp.ops().statvfs(mp, fs);
        if (error != 0) return error;
        jrump.rumpkern.Statvfs s = fs.get();
        out.set(new jrump.rumpkern.Statvfs(mp.flags(), s.bsize(), s.frsize(), s.iosize(), s.blocks(), s.bfree(),
                s.bavail(), s.bresvd(), s.files(), s.ffree(), s.favail(), s.fresvd(), mp.fsid(), s.namemax(), 0,
                mp.fstype(), mp.onName(), mp.fromName()));
        return 0;
    }

    private static boolean validStatvfsFlags(int flags) {
        return flags == 0 || flags == jrump.rumpkern.Statvfs.ST_WAIT || flags == jrump.rumpkern.Statvfs.ST_NOWAIT;
    }

    int statvfs1(KLwp l, SyscallArgs.Statvfs1 a, long[] rv) {
        if (!validStatvfsFlags(a.flags())) return e(Errno.EINVAL);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.path(), Namei.Op.LOOKUP, true, r);
        return error != 0 ? error : statvfsOf(r.get().vp().mount(), a.buf());
    }

    int fstatvfs1(KLwp l, SyscallArgs.Fstatvfs1 a, long[] rv) {
        if (!validStatvfsFlags(a.flags())) return e(Errno.EINVAL);
        return withVnode(l, a.fd(), Errno.EINVAL, (fp, vp) -> statvfsOf(vp.mount(), a.buf()));
    }

    /** getvfsstat: fills up to buf.length mounts (all of them for an empty array: just the count). */
    int getvfsstat(KLwp l, SyscallArgs.Getvfsstat a, long[] rv) {
        if (!validStatvfsFlags(a.flags())) return e(Errno.EINVAL);
        java.util.List<jrump.rumpvfs.vnode.Mount> all = vfs.mounts();
        if (a.bufsize() == 0) {
            rv[0] = all.size();
            return 0;
        }
        int n = 0;
        for (jrump.rumpvfs.vnode.Mount mp : all) {
            if (n >= a.bufsize()) break;
            Out<jrump.rumpkern.Statvfs> one = new Out<>();
            if (statvfsOf(mp, one) != 0) continue; // a file system that cannot tell is left out
            a.buf()[n++] = one.get();
        }
        rv[0] = n;
        return 0;
    }

    // --- sync ---------------------------------------------------------------------------------

    int fsync(KLwp l, SyscallArgs.Fsync a, long[] rv) {
        return syncRange(l, a.fd(), 0, 0, 0);
    }

    int fdatasync(KLwp l, SyscallArgs.Fdatasync a, long[] rv) {
        return syncRange(l, a.fd(), FsyncFlag.FSYNC_DATAONLY, 0, 0);
    }

    /** fsync_range: FDATASYNC or FFILESYNC (one of them), optionally FDISKSYNC; the file must be writable. */
    int fsyncRange(KLwp l, SyscallArgs.FsyncRange a, long[] rv) {
        int f = a.flags();
        if ((f & ~(Sys.FDATASYNC | Sys.FFILESYNC | Sys.FDISKSYNC)) != 0) return e(Errno.EINVAL);
        if ((f & (Sys.FDATASYNC | Sys.FFILESYNC)) == 0) return e(Errno.EINVAL);
        if (a.start() < 0 || a.length() < 0) return e(Errno.EINVAL);
        long end = a.length() == 0 || a.start() > Long.MAX_VALUE - a.length() ? 0 : a.start() + a.length();
        int vflags = ((f & Sys.FFILESYNC) == 0 ? FsyncFlag.FSYNC_DATAONLY : 0) | ((f & Sys.FDISKSYNC) != 0 ? FsyncFlag.FSYNC_CACHE : 0);
        KFile fp = l.proc().fd().get(a.fd());
        if (fp == null) return e(Errno.EBADF);
        try {
            if (!fp.writable()) return e(Errno.EBADF);
        } finally {
            Filedesc.drop(l, fp);
        }
        return syncRange(l, a.fd(), vflags, a.start(), end);
    }

    private int syncRange(KLwp l, int fd, int vflags, long lo, long hi) {
        return withVnode(l, fd, Errno.EINVAL, (fp, vp) -> {
            vp.lock(true);
            try {
                return Vop.fsync(vp, l.cred(), vflags, lo, hi);
            } finally {
                vp.unlock();
            }
        });
    }

    int sync(KLwp l, SyscallArgs.Sync a, long[] rv) {
        for (jrump.rumpvfs.vnode.Mount mp : vfs.mounts()) mp.ops().sync(mp);
        return 0;
    }
}
