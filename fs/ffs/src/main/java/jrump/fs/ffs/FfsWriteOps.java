package jrump.fs.ffs;

import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The changing vnode operations of ffs (NetBSD's ufs_vnops.c: ufs_makeinode, ufs_remove, ufs_link,
 * ufs_rename, ufs_setattr; ffs_write). Every change writes the inodes it touched back into the buffer
 * cache at once (delayed writes), so a later read of the disk — a lookup's inode load, a rename's walk up
 * the tree — sees it. Locking: each operation holds the mount's fsLock for its whole length.
 */
final class FfsWriteOps {
    private static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

    private final Ffs fs;

    FfsWriteOps(Ffs fs) {
        this.fs = fs;
    }

    private static FfsNode node(Vnode vp) {
        return (FfsNode) vp.data();
    }

    private long now() {
        return fs.kernel.wallNanos();
    }

    private static void setTimes(Dinode d, long t, boolean a, boolean m, boolean c) {
        long sec = Math.floorDiv(t, 1_000_000_000L);
        int ns = (int) Math.floorMod(t, 1_000_000_000L);
        if (a) {
            d.atime = sec;
            d.atimensec = ns;
        }
        if (m) {
            d.mtime = sec;
            d.mtimensec = ns;
        }
        if (c) {
            d.ctime = sec;
            d.ctimensec = ns;
        }
    }

    private int fail(FfsError e) {
        if (e.errno() != Errno.ENOSPC.number()) fs.kernel.hyp().consoleLine("ffs: " + e.getMessage());
        return e.errno();
    }

    /** The writers of this mount: null when it is read-only. */
    private Writers writers() {
        Alloc a = fs.alloc;
        if (a == null) return null;
        FileWrite files = new FileWrite(fs, a);
        return new Writers(a, files, new DirWrite(fs, files));
    }

    private record Writers(Alloc alloc, FileWrite files, DirWrite dirs) {
    }

    private static int typeBits(VType t) throws FfsError {
        return switch (t) {
            case VREG -> Dinode.IFREG;
            case VDIR -> Dinode.IFDIR;
            case VLNK -> Dinode.IFLNK;
            case VCHR -> Dinode.IFCHR;
            case VBLK -> Dinode.IFBLK;
            case VFIFO -> Dinode.IFIFO;
            case VSOCK -> Dinode.IFSOCK;
            default -> throw new FfsError(Errno.EINVAL, "cannot make a file of type " + t);
        };
    }

    // --- making names -----------------------------------------------------------------------------

    /** ufs_makeinode: a new inode of {@code type} entered in the directory under {@code cnp}'s name. */
    int make(Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target, Out<Vnode> vpp) {
        fs.fsLock.enter();
        try {
            Writers w = writers();
            if (w == null) return Errno.EROFS.number();
            try {
                return makeLocked(w, dvp, cnp, vap, type, target, vpp);
            } catch (FfsError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    private int makeLocked(Writers w, Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target, Out<Vnode> vpp) throws FfsError {
        FfsNode dn = node(dvp);
        String name = cnp.name();
        if (dn.din.nlink == 0) return Errno.ENOENT.number();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > Ffs.MAXNAMLEN) return Errno.ENAMETOOLONG.number();
        if (fs.ops.find(dn, name) != null) return Errno.EEXIST.number();
        boolean isDir = type == VType.VDIR;
        if (isDir && dn.din.nlink >= Ffs.LINK_MAX) return Errno.EMLINK.number();
        byte[] targetBytes = target == null ? null : target.getBytes(StandardCharsets.UTF_8);
        if (targetBytes != null && targetBytes.length > jrump.rumpkern.Sys.PATH_MAX) return Errno.ENAMETOOLONG.number();
        KCred cred = cnp.cred();
        int perm = (int) (vap.mode == Vattr.VNOVAL ? 0 : vap.mode) & 07777;
        // BSD: a new file takes its directory's group; set-group-id only for a member of it
        if ((perm & S_ISGID) != 0 && !cred.isRoot() && !cred.isMember((int) dn.din.gid)) perm &= ~S_ISGID;

        long ino = w.alloc.allocInode(dn.ino, isDir);
        Dinode d = Dinode.empty(sb().ufs2);
        d.mode = typeBits(type) | perm;
        d.uid = cred.euid() & 0xffffffffL;
        d.gid = dn.din.gid;
        d.nlink = isDir ? 2 : 1;
        d.gen = w.alloc.newGeneration();
        long t = now();
        setTimes(d, t, true, true, true);
        d.birthtime = d.ctime;
        d.birthnsec = d.ctimensec;
        if (sb().ufs2) d.blksize = sb().bsize;
        FfsNode n = new FfsNode(ino, d);
        try {
            if (isDir) {
                w.dirs.init(n, dn.ino);
            } else if (targetBytes != null) {
                if (targetBytes.length < sb().maxsymlinklen) d.setShortLink(targetBytes);
                else w.files.write(n, 0, java.nio.ByteBuffer.wrap(targetBytes));
            } else if (type == VType.VCHR || type == VType.VBLK) {
                d.db[0] = vap.rdev == Vattr.VNOVAL ? 0 : vap.rdev & 0xffffffffL;
            }
            fs.writeInode(n);
        } catch (FfsError e) {
            giveBack(w, n, isDir);
            throw e;
        }
        // cached before its name can be found: a racing lookup gets this very node, never a second copy
        int error = fs.vgetNew(n, vpp);
        if (error != 0) {
            giveBack(w, n, isDir);
            return error;
        }
        try {
            w.dirs.add(dn, name, ino, Dir.dtype(d.mode));
        } catch (FfsError e) {
            d.nlink = 0; // nothing names it: its last reference frees it
            Vnode vp = vpp.get();
            vpp.set(null);
            vp.vrele();
            throw e;
        }
        if (isDir) dn.din.nlink++;
        setTimes(dn.din, t, false, true, true);
        fs.writeInode(dn);
        return 0;
    }

    private Superblock sb() {
        return fs.sb;
    }

    /** A new inode that will not get a name after all: its blocks and its number go back. */
    private void giveBack(Writers w, FfsNode n, boolean isDir) throws FfsError {
        if (n.din.type() != Dinode.IFLNK || !fs.isFastLink(n.din)) w.files.truncate(n, 0);
        n.din.mode = 0;
        n.din.nlink = 0;
        fs.writeInode(n);
        w.alloc.freeInode(n.ino, isDir);
    }

    int link(VopArgs.Link a) {
        fs.fsLock.enter();
        try {
            Writers w = writers();
            if (w == null) return Errno.EROFS.number();
            try {
                FfsNode dn = node(a.dvp());
                FfsNode n = node(a.vp());
                String name = a.cnp().name();
                if (a.vp().type() == VType.VDIR) return Errno.EPERM.number();
                if (a.vp().mount() != a.dvp().mount()) return Errno.EXDEV.number();
                if (n.din.nlink == 0 || dn.din.nlink == 0) return Errno.ENOENT.number();
                if (n.din.nlink >= Ffs.LINK_MAX) return Errno.EMLINK.number();
                if (name.getBytes(StandardCharsets.UTF_8).length > Ffs.MAXNAMLEN) return Errno.ENAMETOOLONG.number();
                if (fs.ops.find(dn, name) != null) return Errno.EEXIST.number();
                w.dirs.add(dn, name, n.ino, Dir.dtype(n.din.mode));
                n.din.nlink++;
                long t = now();
                setTimes(n.din, t, false, false, true);
                setTimes(dn.din, t, false, true, true);
                fs.writeInode(n);
                fs.writeInode(dn);
                return 0;
            } catch (FfsError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    // --- removing names ---------------------------------------------------------------------------

    int remove(VopArgs.Remove a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), false);
    }

    int rmdir(VopArgs.Rmdir a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), true);
    }

    /** ufs_remove and ufs_rmdir: the name goes; an inode left without names is freed when its last reference goes. */
    private int removeName(Vnode dvp, Vnode vp, String name, boolean rmdir) {
        try {
            fs.fsLock.enter();
            try {
                Writers w = writers();
                if (w == null) return Errno.EROFS.number();
                FfsNode dn = node(dvp);
                FfsNode n = node(vp);
                boolean isDir = vp.type() == VType.VDIR;
                if (!rmdir && isDir) return Errno.EPERM.number();
                if (rmdir && !isDir) return Errno.ENOTDIR.number();
                if (rmdir && !w.dirs.isEmpty(n)) return Errno.ENOTEMPTY.number();
                Dir.Entry e = fs.ops.find(dn, name);
                if (e == null || e.ino() != n.ino) return Errno.ENOENT.number();
                w.dirs.remove(dn, e.offset(), name);
                long t = now();
                if (rmdir) {
                    dn.din.nlink--; // its ".."
                    n.din.nlink = 0;
                } else {
                    n.din.nlink--;
                }
                setTimes(n.din, t, false, false, true);
                setTimes(dn.din, t, false, true, true);
                fs.writeInode(n);
                fs.writeInode(dn);
                return 0;
            } finally {
                fs.fsLock.exit();
            }
        } catch (FfsError e) {
            return fail(e);
        } finally {
            put(vp, dvp);
        }
    }

    /** vput of WILLPUT arguments: the operation gives their locks back. */
    private static void put(Vnode... vps) {
        for (Vnode vp : vps) if (vp != null && vp.lockHeldByMe()) vp.unlock();
    }

    // --- rename -----------------------------------------------------------------------------------

    int rename(VopArgs.Rename a) {
        try {
            fs.fsLock.enter();
            try {
                Writers w = writers();
                if (w == null) return Errno.EROFS.number();
                return renameLocked(w, a);
            } finally {
                fs.fsLock.exit();
            }
        } catch (FfsError e) {
            return fail(e);
        } finally {
            put(a.tvp() == a.tdvp() ? null : a.tvp(), a.tdvp());
        }
    }

    private int renameLocked(Writers w, VopArgs.Rename a) throws FfsError {
        FfsNode fdn = node(a.fdvp());
        FfsNode tdn = node(a.tdvp());
        FfsNode n = node(a.fvp());
        String fname = a.fcnp().name();
        String tname = a.tcnp().name();
        if (a.fvp().mount() != a.tdvp().mount()) return Errno.EXDEV.number();
        if (tdn.din.nlink == 0 || n.din.nlink == 0) return Errno.ENOENT.number();
        if (tname.getBytes(StandardCharsets.UTF_8).length > Ffs.MAXNAMLEN) return Errno.ENAMETOOLONG.number();
        FfsNode existing = a.tvp() == null ? null : node(a.tvp());
        if (existing == n) return 0; // the same file: POSIX says do nothing
        boolean isDir = a.fvp().type() == VType.VDIR;
        boolean moves = fdn != tdn;
        if (isDir && moves && escapesInto(n.ino, tdn)) return Errno.EINVAL.number();
        if (existing != null) {
            boolean exDir = a.tvp().type() == VType.VDIR;
            if (isDir && !exDir) return Errno.ENOTDIR.number();
            if (!isDir && exDir) return Errno.EISDIR.number();
            if (exDir && !w.dirs.isEmpty(existing)) return Errno.ENOTEMPTY.number();
        }
        if (isDir && moves && Vaccess.check(a.fvp().type(), n.din.mode & 07777, (int) n.din.uid, (int) n.din.gid, Vaccess.VWRITE, a.fcnp().cred()) != 0) {
            return Errno.EACCES.number();
        }
        if (isDir && moves && existing == null && tdn.din.nlink >= Ffs.LINK_MAX) return Errno.EMLINK.number();
        Dir.Entry from = fs.ops.find(fdn, fname);
        if (from == null || from.ino() != n.ino) return Errno.ENOENT.number();
        long t = now();
        // the new name first: a failure here (no space for it) leaves the old one in place
        if (existing != null) {
            Dir.Entry to = fs.ops.find(tdn, tname);
            if (to == null || to.ino() != existing.ino) return Errno.ENOENT.number();
            w.dirs.retarget(tdn, to.offset(), n.ino, Dir.dtype(n.din.mode));
            if (a.tvp().type() == VType.VDIR) {
                existing.din.nlink = 0;
                tdn.din.nlink--;
            } else {
                existing.din.nlink--;
            }
            setTimes(existing.din, t, false, false, true);
            fs.writeInode(existing);
        } else {
            w.dirs.add(tdn, tname, n.ino, Dir.dtype(n.din.mode));
        }
        from = fs.ops.find(fdn, fname);
        if (from == null) throw FfsError.corrupt("directory " + fdn.ino + ": " + fname + " vanished during a rename");
        w.dirs.remove(fdn, from.offset(), fname);
        if (isDir && moves) {
            Dir.Entry dotdot = fs.ops.find(n, "..");
            if (dotdot == null) throw FfsError.corrupt("directory " + n.ino + " has no \"..\"");
            w.dirs.retarget(n, dotdot.offset(), tdn.ino, Dir.dtype(Dinode.IFDIR));
            fdn.din.nlink--;
            tdn.din.nlink++;
        }
        setTimes(n.din, t, false, false, true);
        setTimes(fdn.din, t, false, true, true);
        setTimes(tdn.din, t, false, true, true);
        fs.writeInode(n);
        fs.writeInode(fdn);
        if (tdn != fdn) fs.writeInode(tdn);
        return 0;
    }

    /** Whether directory {@code moving} is {@code target} or one of its ancestors (a rename into its own subtree). */
    private boolean escapesInto(long moving, FfsNode target) throws FfsError {
        FfsNode d = target;
        for (int depth = 0; depth < 1 << 16; depth++) {
            if (d.ino == moving) return true;
            if (d.ino == Ffs.ROOTINO) return false;
            Dir.Entry up = fs.ops.find(d, "..");
            if (up == null || up.ino() == d.ino) return false;
            d = fs.loadNode(up.ino());
        }
        throw FfsError.corrupt("directory " + target.ino + ": \"..\" chain does not reach the root");
    }

    // --- file content -----------------------------------------------------------------------------

    int write(VopArgs.Write a) {
        FfsNode n = node(a.vp());
        if (a.vp().type() == VType.VDIR) return Errno.EISDIR.number();
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        Uio uio = a.uio();
        fs.fsLock.enter();
        try {
            Writers w = writers();
            if (w == null) return Errno.EROFS.number();
            if (uio.resid() == 0) return 0;
            Dinode d = n.din;
            long off = (a.ioflag() & IoFlag.IO_APPEND) != 0 ? d.size : uio.offset();
            if (off < 0) return Errno.EINVAL.number();
            long max = sb().maxFileSize();
            if (off >= max || uio.resid() > max - off) return Errno.EFBIG.number();
            int before = uio.buffer().position();
            FfsError failed = null;
            try {
                w.files.write(n, off, uio.buffer());
            } catch (FfsError e) {
                failed = e;
            }
            long written = uio.buffer().position() - before;
            uio.setOffset(off + written);
            try {
                if (written > 0) {
                    setTimes(d, now(), false, true, true);
                    if (!a.cred().isRoot()) d.mode &= ~(S_ISUID | S_ISGID); // writing drops set-id bits
                }
                fs.writeInode(n);
                if ((a.ioflag() & IoFlag.IO_SYNC) != 0) fs.sync(fs.mount);
            } catch (FfsError e) {
                return fail(e);
            }
            if (failed != null && written == 0) return fail(failed);
            return 0;
        } finally {
            fs.fsLock.exit();
        }
    }

    // --- attributes -------------------------------------------------------------------------------

    int setattr(VopArgs.Setattr a) {
        FfsNode fn = node(a.vp());
        Dinode n = fn.din;
        Vattr v = a.vap();
        KCred cred = a.cred();
        fs.fsLock.enter();
        try {
            Writers w = writers();
            if (w == null) return Errno.EROFS.number();
            try {
                long t = now();
                if (v.flags != Vattr.VNOVAL) {
                    if (!cred.isRoot() && cred.euid() != n.uid) return Errno.EPERM.number();
                    n.flags = (int) v.flags;
                    setTimes(n, t, false, false, true);
                }
                if (v.uid != Vattr.VNOVAL || v.gid != Vattr.VNOVAL) {
                    long nuid = v.uid == Vattr.VNOVAL ? n.uid : v.uid & 0xffffffffL;
                    long ngid = v.gid == Vattr.VNOVAL ? n.gid : v.gid & 0xffffffffL;
                    if (!cred.isRoot() && (nuid != n.uid || cred.euid() != n.uid || (ngid != n.gid && !cred.isMember((int) ngid)))) {
                        return Errno.EPERM.number();
                    }
                    if (!cred.isRoot() && (nuid != n.uid || ngid != n.gid)) n.mode &= ~(S_ISUID | S_ISGID);
                    n.uid = nuid;
                    n.gid = ngid;
                    setTimes(n, t, false, false, true);
                }
                if (v.mode != Vattr.VNOVAL) {
                    if (!cred.isRoot() && cred.euid() != n.uid) return Errno.EPERM.number();
                    int mode = (int) v.mode & 07777;
                    if (!cred.isRoot()) {
                        if (a.vp().type() != VType.VDIR && (mode & S_ISVTX) != 0) return Errno.EFTYPE.number();
                        if ((mode & S_ISGID) != 0 && !cred.isMember((int) n.gid)) return Errno.EPERM.number();
                    }
                    n.mode = (n.mode & Dinode.IFMT) | mode;
                    setTimes(n, t, false, false, true);
                }
                VType type = a.vp().type();
                boolean special = type == VType.VFIFO || type == VType.VCHR || type == VType.VBLK || type == VType.VSOCK;
                if (v.size != Vattr.VNOVAL && !special) {
                    if (type == VType.VDIR) return Errno.EISDIR.number();
                    if (type != VType.VREG) return Errno.EINVAL.number();
                    if (v.size < 0) return Errno.EINVAL.number();
                    if (v.size > sb().maxFileSize()) return Errno.EFBIG.number();
                    if (v.size != n.size) {
                        w.files.truncate(fn, v.size);
                        setTimes(n, t, false, true, true);
                    }
                }
                if (v.atime != Vattr.VNOVAL_TIME || v.mtime != Vattr.VNOVAL_TIME || v.birthtime != Vattr.VNOVAL_TIME) {
                    if (!cred.isRoot() && cred.euid() != n.uid) {
                        if ((v.vaflags & Vattr.VA_UTIMES_NULL) == 0) return Errno.EPERM.number();
                        if (Vaccess.check(type, n.mode & 07777, (int) n.uid, (int) n.gid, Vaccess.VWRITE, cred) != 0) return Errno.EACCES.number();
                    }
                    if (v.atime != Vattr.VNOVAL_TIME) setTimes(n, v.atime, true, false, false);
                    if (v.mtime != Vattr.VNOVAL_TIME) setTimes(n, v.mtime, false, true, false);
                    if (v.birthtime != Vattr.VNOVAL_TIME && n.ufs2) {
                        n.birthtime = Math.floorDiv(v.birthtime, 1_000_000_000L);
                        n.birthnsec = (int) Math.floorMod(v.birthtime, 1_000_000_000L);
                    }
                    setTimes(n, t, false, false, true);
                }
                fs.writeInode(fn);
                return 0;
            } catch (FfsError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    int fsync(VopArgs.Fsync a) {
        if (fs.alloc == null) return 0;
        fs.fsLock.enter();
        try {
            return fs.sync(fs.mount); // one set of cylinder groups for the whole file system: all of it goes
        } finally {
            fs.fsLock.exit();
        }
    }

    // --- the end of a file ------------------------------------------------------------------------

    /** VOP_RECLAIM's part: an inode nothing names any more gets its blocks and its number back. */
    int reclaim(FfsNode n) {
        fs.fsLock.enter();
        try {
            Writers w = writers();
            if (w == null || n.din.nlink != 0 || n.din.mode == 0) return 0;
            try {
                boolean dir = n.isDir();
                boolean fastLink = n.din.type() == Dinode.IFLNK && fs.isFastLink(n.din);
                ExtArea.free(fs, w.alloc, n); // ffs_truncate's IO_EXT part: the attribute area goes too
                if (!fastLink) w.files.truncate(n, 0);
                n.din.mode = 0;
                n.din.size = 0;
                n.din.blocks = 0;
                n.din.extsize = 0;
                java.util.Arrays.fill(n.din.extb, 0);
                java.util.Arrays.fill(n.din.db, 0);
                java.util.Arrays.fill(n.din.ib, 0);
                n.din.gen++;
                fs.writeInode(n);
                w.alloc.freeInode(n.ino, dir);
                return 0;
            } catch (FfsError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }
}
