package jrump.fs.msdosfs;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.RecordLocks;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The vnode operations of msdosfs (NetBSD's msdosfs_vnops.c and msdosfs_lookup.c). Every {@link FatError}
 * becomes its errno here; damage (EIO) also gets a console line naming it.
 *
 * <p>Locking: the VFS locks vnodes as vnode_if.src says; the file system's own state changes under the
 * mount's lock, which is let go before the vnode cache is asked for a vnode (see {@link Msdosfs}).
 */
final class MsdosVnodeOps implements VnodeOps {
    private static final int S_IWUSR = 0200;
    /** What a read-only file shows before the mount's mask: no write bits (NetBSD's msdosfs_getattr). */
    private static final int READ_ONLY_MODE = 0555;

    private final Msdosfs fs;
    private final FileData data;

    MsdosVnodeOps(Msdosfs fs) {
        this.fs = fs;
        this.data = new FileData(fs);
    }

    static MsdosNode node(Vnode vp) {
        return (MsdosNode) vp.data();
    }

    private int fail(FatError e) {
        if (e.errnoValue() == Errno.EIO) fs.warn(e.getMessage());
        return e.errno();
    }

    /** vput of WILLPUT arguments: the operation gives their locks back. */
    private static void put(Vnode... vps) {
        for (Vnode vp : vps) if (vp != null && vp.lockHeldByMe()) vp.unlock();
    }

    // --- names ----------------------------------------------------------------------------------

    /** Where a lookup found something: the vnode key and how to load it. */
    private record Found(long key, long entryPos, long parentCluster, long dirCluster, boolean root) {
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        MsdosNode dir = node(a.dvp());
        if (!dir.isDir) return Errno.ENOTDIR.number();
        String name = a.cnp().name();
        if (name.length() > LongName.MAX_LENGTH) return Errno.ENAMETOOLONG.number();
        Found f;
        fs.fsLock.enter();
        try {
            try {
                f = find(dir, name);
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
        if (f == null) return Errno.ENOENT.number();
        if (f.root()) return fs.vgetRoot(a.vpp());
        if (f.key() == dir.key) return fs.vget(dir.key, dir.entryPos, dir.parentCluster, a.vpp()); // "." : cached
        return f.entryPos() == MsdosNode.UNKNOWN_ENTRY
                ? fs.vgetDir(f.key(), f.dirCluster(), a.vpp())
                : fs.vget(f.key(), f.entryPos(), f.parentCluster(), a.vpp());
    }

    /** Locking: the mount's lock. */
    private Found find(MsdosNode dir, String name) throws FatError {
        if (name.equals(".")) return new Found(dir.key, dir.entryPos, dir.parentCluster, 0, dir.isRoot);
        if (dir.removed) return null;
        if (name.equals("..")) {
            if (dir.isRoot) return new Found(Msdosfs.ROOT_KEY, 0, 0, 0, true);
            long p = Directory.dotDotCluster(fs, dir.entry.firstCluster);
            if (p == 0 || (fs.bpb.isFat32() && p == fs.bpb.rootCluster)) return new Found(Msdosfs.ROOT_KEY, 0, 0, 0, true);
            if (!fs.fat.valid(p)) throw FatError.corrupt("'..' of the directory at cluster " + dir.entry.firstCluster + " names cluster " + p);
            return new Found(fs.keyOf(fs.bpb.clusterOffset(p)), MsdosNode.UNKNOWN_ENTRY, -1, p, false);
        }
        DirIndex.Item it = Directory.index(fs, dir).lookup(name);
        if (it == null) return null;
        long pos = Directory.slotPos(fs, dir, it.slot());
        if (it.isDir()) checkSubdirectory(dir, it);
        return new Found(fs.keyOf(fs.idPos(it.isDir(), it.dirCluster(), pos)), pos, dir.clusterAsParent(), it.dirCluster(), false);
    }

    /**
     * A subdirectory entry must name a cluster of the volume that is neither the directory itself, its
     * parent nor the root: those would make the tree a cycle that a walk never leaves.
     */
    private void checkSubdirectory(MsdosNode dir, DirIndex.Item it) throws FatError {
        long c = it.dirCluster();
        if (!fs.fat.valid(c)) throw FatError.corrupt("directory '" + it.name() + "' starts at cluster " + c);
        boolean cycle = c == dir.entry.firstCluster || (fs.bpb.isFat32() && c == fs.bpb.rootCluster)
                || (!dir.isRoot && c == Directory.dotDotCluster(fs, dir.entry.firstCluster));
        if (cycle) throw FatError.corrupt("directory '" + it.name() + "' is its own directory or an ancestor (cluster " + c + "): a cycle");
    }

    private DirEntry newEntry(int attr, Vattr vap) {
        DirEntry e = new DirEntry();
        e.attr = attr;
        if (attr != DirEntry.ATTR_DIRECTORY && vap.mode != Vattr.VNOVAL && (vap.mode & S_IWUSR) == 0) e.attr |= DirEntry.ATTR_READ_ONLY;
        int[] t = FatTime.encode(fs.now(), fs.gmtoff());
        e.crtDate = e.wrtDate = e.accDate = t[0];
        e.crtTime = e.wrtTime = t[1];
        e.crtTenth = t[2];
        return e;
    }

    /** A directory changed: its own entry's write time (the root has none). Locking: held. */
    void touchDir(MsdosNode dir) throws FatError {
        if (dir.isRoot || dir.removed) return;
        int[] t = FatTime.encode(fs.now(), fs.gmtoff());
        dir.entry.wrtDate = t[0];
        dir.entry.wrtTime = t[1];
        fs.writeEntry(resolve(dir));
    }

    /** A directory reached through ".." learns where its entry is. Locking: held. */
    MsdosNode resolve(MsdosNode n) throws FatError {
        if (n.entryPos == MsdosNode.UNKNOWN_ENTRY) {
            n.parentCluster = Directory.dotDotCluster(fs, n.entry.firstCluster);
            n.entryPos = Directory.findEntryOf(fs, n.entry.firstCluster, n.parentCluster);
        }
        return n;
    }

    @Override
    public int create(VopArgs.Create a) {
        MsdosNode dir = node(a.dvp());
        long key;
        long pos;
        fs.fsLock.enter();
        try {
            try {
                if (fs.readOnly()) return Errno.EROFS.number();
                if (dir.removed) return Errno.ENOENT.number();
                DirEntry e = newEntry(DirEntry.ATTR_ARCHIVE, a.vap());
                DirIndex.Item it = Directory.add(fs, dir, a.cnp().name(), e);
                pos = Directory.slotPos(fs, dir, it.slot());
                key = fs.keyOf(pos);
                touchDir(dir);
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
        return fs.vget(key, pos, dir.clusterAsParent(), a.vpp());
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        MsdosNode dir = node(a.dvp());
        long key;
        long pos;
        fs.fsLock.enter();
        try {
            if (fs.readOnly()) return Errno.EROFS.number();
            if (dir.removed) return Errno.ENOENT.number();
            long c = 0;
            try {
                ShortNames.check(a.cnp().name());
                DirEntry e = newEntry(DirEntry.ATTR_DIRECTORY, a.vap());
                c = fs.fat.allocate(1, 0);
                e.firstCluster = c;
                fs.zeroCluster(c);
                byte[] dots = new byte[2 * DirEntry.SIZE];
                DirEntry.dot(".", c, e).write(dots, 0);
                DirEntry.dot("..", dir.clusterAsParent(), e).write(dots, DirEntry.SIZE);
                fs.write(fs.bpb.clusterOffset(c), dots, 0, dots.length);
                DirIndex.Item it = Directory.add(fs, dir, a.cnp().name(), e);
                pos = Directory.slotPos(fs, dir, it.slot());
                key = fs.keyOf(fs.idPos(true, c, pos));
                touchDir(dir);
            } catch (FatError e) {
                if (c != 0) fs.fat.set(c, Fat.FREE);
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
        return fs.vget(key, pos, dir.clusterAsParent(), a.vpp());
    }

    @Override
    public int remove(VopArgs.Remove a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), false);
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), true);
    }

    /**
     * remove and rmdir: the name must still be {@code vp}'s entry (namei found it before the lock).
     * Locking: dvp and vp locked, both unlocked here (WILLPUT).
     */
    private int removeName(Vnode dvp, Vnode vp, String name, boolean rmdir) {
        try {
            fs.fsLock.enter();
            try {
                MsdosNode dir = node(dvp);
                MsdosNode n = node(vp);
                if (rmdir) {
                    if (!n.isDir) return Errno.ENOTDIR.number();
                    if (n.isRoot) return Errno.EBUSY.number();
                    if (!Directory.index(fs, n).isEmpty()) return Errno.ENOTEMPTY.number();
                } else if (n.isDir) {
                    return Errno.EPERM.number();
                }
                DirIndex.Item it = Directory.index(fs, dir).lookup(name);
                if (it == null || !Directory.isEntryOf(fs, dir, it, n)) return Errno.ENOENT.number();
                fs.unlink(dir, it, n);
                touchDir(dir);
                return 0;
            } finally {
                fs.fsLock.exit();
            }
        } catch (FatError e) {
            return fail(e);
        } finally {
            put(vp, dvp);
        }
    }

    @Override
    public int rename(VopArgs.Rename a) {
        try {
            fs.fsLock.enter();
            try {
                return MsdosRename.rename(fs, this, node(a.fdvp()), node(a.fvp()), a.fcnp().name(), node(a.tdvp()),
                        a.tvp() == null ? null : node(a.tvp()), a.tcnp().name(), a.fcnp().cred());
            } finally {
                fs.fsLock.exit();
            }
        } catch (FatError e) {
            return fail(e);
        } finally {
            put(a.tvp() == a.tdvp() ? null : a.tvp(), a.tdvp());
        }
    }

    // --- attributes -----------------------------------------------------------------------------

    int mode(MsdosNode n) {
        if (n.isDir) return fs.options.dirMask();
        int perms = (n.entry.attr & DirEntry.ATTR_READ_ONLY) != 0 ? READ_ONLY_MODE : 0777;
        return perms & fs.options.mask();
    }

    @Override
    public int access(VopArgs.Access a) {
        MsdosNode n = node(a.vp());
        int mode;
        fs.fsLock.enter();
        try {
            mode = mode(n);
        } finally {
            fs.fsLock.exit();
        }
        return Vaccess.check(a.vp().type(), mode, fs.options.uid(), fs.options.gid(), a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        MsdosNode n = node(a.vp());
        Vattr v = a.vap();
        fs.fsLock.enter();
        try {
            long bytes;
            try {
                bytes = n.isDir ? (long) fs.chain(n).length() * fs.bpb.clusterBytes
                        : (n.entry.size + fs.bpb.clusterBytes - 1) / fs.bpb.clusterBytes * fs.bpb.clusterBytes;
            } catch (FatError e) {
                return fail(e);
            }
            v.type = a.vp().type();
            v.mode = mode(n);
            v.nlink = n.removed ? 0 : 1; // FAT counts no links: a name, or none left
            v.uid = fs.options.uid();
            v.gid = fs.options.gid();
            v.fsid = fs.mount.fsid();
            v.fileid = n.key;
            v.size = n.isDir ? bytes : n.entry.size;
            v.blocksize = fs.bpb.clusterBytes;
            DirEntry e = n.entry;
            v.mtime = FatTime.decode(e.wrtDate, e.wrtTime, 0, fs.gmtoff());
            v.ctime = v.mtime; // FAT keeps no change time
            v.atime = FatTime.decode(e.accDate, 0, 0, fs.gmtoff());
            v.birthtime = FatTime.decode(e.crtDate, e.crtTime, e.crtTenth, fs.gmtoff());
            v.gen = 0;
            v.flags = 0;
            v.rdev = 0;
            v.bytes = bytes;
            return 0;
        } finally {
            fs.fsLock.exit();
        }
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        MsdosNode n = node(a.vp());
        Vattr v = a.vap();
        KCred cred = a.cred();
        fs.fsLock.enter();
        try {
            try {
                if (fs.readOnly()) return Errno.EROFS.number();
                boolean owner = cred.isRoot() || cred.euid() == fs.options.uid();
                if (v.uid != Vattr.VNOVAL || v.gid != Vattr.VNOVAL) {
                    // every file belongs to the mount's owner: chown may only say so again
                    boolean same = (v.uid == Vattr.VNOVAL || v.uid == fs.options.uid()) && (v.gid == Vattr.VNOVAL || v.gid == fs.options.gid());
                    if (!same || !owner) return Errno.EPERM.number();
                }
                if (v.mode != Vattr.VNOVAL) {
                    if (!owner) return Errno.EPERM.number();
                    // only the owner's write bit has a place on the disk: the read-only attribute (files only)
                    if (!n.isDir && !n.isRoot) {
                        if ((v.mode & S_IWUSR) == 0) n.entry.attr |= DirEntry.ATTR_READ_ONLY;
                        else n.entry.attr &= ~DirEntry.ATTR_READ_ONLY;
                    }
                }
                if (v.size != Vattr.VNOVAL) {
                    if (n.isDir) return Errno.EISDIR.number();
                    if (v.size < 0) return Errno.EINVAL.number();
                    if (v.size > DirEntry.MAX_FILE_SIZE) return Errno.EFBIG.number();
                    data.resize(n, v.size);
                    stampWrite(n);
                }
                if (v.atime != Vattr.VNOVAL_TIME || v.mtime != Vattr.VNOVAL_TIME) {
                    if (!owner) {
                        if ((v.vaflags & Vattr.VA_UTIMES_NULL) == 0) return Errno.EPERM.number();
                        if (Vaccess.check(a.vp().type(), mode(n), fs.options.uid(), fs.options.gid(), Vaccess.VWRITE, cred) != 0) {
                            return Errno.EACCES.number();
                        }
                    }
                    if (n.isRoot) return 0; // the root has no entry to keep times in
                    if (v.mtime != Vattr.VNOVAL_TIME) {
                        int[] t = FatTime.encode(v.mtime, fs.gmtoff());
                        n.entry.wrtDate = t[0];
                        n.entry.wrtTime = t[1];
                        if (!n.isDir) n.entry.attr |= DirEntry.ATTR_ARCHIVE;
                    }
                    if (v.atime != Vattr.VNOVAL_TIME) n.entry.accDate = FatTime.encode(v.atime, fs.gmtoff())[0];
                }
                fs.writeEntry(resolve(n));
                return 0;
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    /** The file changed: write time now, and the archive bit backup programs look for. Locking: held. */
    void stampWrite(MsdosNode n) {
        int[] t = FatTime.encode(fs.now(), fs.gmtoff());
        n.entry.wrtDate = t[0];
        n.entry.wrtTime = t[1];
        n.entry.accDate = t[0];
        n.entry.attr |= DirEntry.ATTR_ARCHIVE;
    }

    /**
     * DIR_LstAccDate follows reads: a date without a time, so the entry is written at most once a day per
     * file; never on a read-only mount. Locking: held.
     */
    private void touchAccessDate(MsdosNode n) throws FatError {
        if (fs.readOnly() || n.removed || n.isRoot || n.entryPos < 0) return;
        int today = FatTime.encode(fs.now(), fs.gmtoff())[0];
        if (today == n.entry.accDate) return;
        n.entry.accDate = today;
        fs.writeEntry(n);
    }

    // --- data -----------------------------------------------------------------------------------

    @Override
    public int read(VopArgs.Read a) {
        MsdosNode n = node(a.vp());
        if (n.isDir) return Errno.EISDIR.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        fs.fsLock.enter();
        try {
            try {
                data.read(n, uio);
                touchAccessDate(n);
                return 0;
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    /** At most this many clusters are looked at to find how far a run of contiguous clusters goes. */
    private static final int BMAP_RUN_LIMIT = 1 << 16;

    /**
     * VOP_BMAP: cluster {@code bn} of the file (va_blocksize is the cluster size) to its DEV_BSIZE address
     * on the device, and how many clusters after it follow contiguously in its chain. EBUSY on a read-write
     * mount, whose cache may hold newer data than the device.
     */
    @Override
    public int bmap(VopArgs.Bmap a) {
        MsdosNode n = node(a.vp());
        if (n.isDir) return Errno.EOPNOTSUPP.number();
        if (!fs.readOnly()) return Errno.EBUSY.number();
        fs.fsLock.enter();
        try {
            FatChain ch = fs.chain(n);
            if (a.bn() < 0 || a.bn() >= ch.length()) return Errno.EINVAL.number();
            int ci = (int) a.bn();
            a.vpp().set(fs.devvp);
            a.bnp().set(fs.bpb.clusterOffset(ch.get(ci)) / jrump.rumpvfs.vnode.BufCache.DEV_BSIZE);
            a.runp().set(ch.contiguousFrom(ci, BMAP_RUN_LIMIT) - 1);
            return 0;
        } catch (FatError e) {
            return fail(e);
        } finally {
            fs.fsLock.exit();
        }
    }

    @Override
    public int write(VopArgs.Write a) {
        MsdosNode n = node(a.vp());
        if (n.isDir) return Errno.EISDIR.number();
        Uio uio = a.uio();
        if (uio.resid() == 0) return 0; // POSIX: a zero-length write changes nothing
        fs.fsLock.enter();
        try {
            if (fs.readOnly()) return Errno.EROFS.number();
            long off = (a.ioflag() & IoFlag.IO_APPEND) != 0 ? n.entry.size : uio.offset();
            if (off < 0) return Errno.EINVAL.number();
            if (off + uio.resid() > DirEntry.MAX_FILE_SIZE) return Errno.EFBIG.number();
            uio.setOffset(off);
            try {
                data.write(n, uio);
                stampWrite(n);
                fs.writeEntry(n);
                return 0;
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        MsdosNode dir = node(a.vp());
        if (!dir.isDir) return Errno.ENOTDIR.number();
        Uio uio = a.uio();
        long cookie = uio.offset();
        if (cookie < 0) return Errno.EINVAL.number();
        fs.fsLock.enter();
        try {
            try {
                return MsdosReaddir.readdir(fs, dir, uio, a.eofflag());
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    static int dtype(boolean dir) {
        return dir ? Dirent.DT_DIR : Dirent.DT_REG;
    }

    // --- the DOS attribute view (user.DOSATTRIB) --------------------------------------------------

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        if (!DosAttributes.isView(a.attrnamespace(), a.name())) return Errno.ENOATTR.number();
        byte[] v;
        fs.fsLock.enter();
        try {
            v = DosAttributes.value(node(a.vp()).entry);
        } finally {
            fs.fsLock.exit();
        }
        return answer(v, a.size(), a.uio());
    }

    /** An attribute's value or a listing to the caller: its size, and the bytes if there is room (else ERANGE). */
    private static int answer(byte[] v, jrump.rumpkern.kernel.Out<Long> size, Uio uio) {
        if (size != null) size.set((long) v.length);
        if (uio != null) {
            if (uio.resid() < v.length) return Errno.ERANGE.number();
            uio.move(v, 0, v.length);
        }
        return 0;
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        if (!DosAttributes.isView(a.attrnamespace(), a.name())) return Errno.EOPNOTSUPP.number(); // FAT has room for no others
        MsdosNode n = node(a.vp());
        byte[] v = new byte[(int) Math.min(16, a.uio().resid())];
        a.uio().move(v, 0, v.length);
        fs.fsLock.enter();
        try {
            try {
                if (fs.readOnly()) return Errno.EROFS.number();
                if (n.isRoot) return Errno.EOPNOTSUPP.number(); // the root has no entry
                DosAttributes.apply(n.entry, v);
                fs.writeEntry(resolve(n));
                return 0;
            } catch (FatError e) {
                return fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        byte[] all = a.attrnamespace() == Sys.EXTATTR_NAMESPACE_USER
                ? (DosAttributes.NAME + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII) : new byte[0];
        return answer(all, a.size(), a.uio());
    }

    // --- the rest -------------------------------------------------------------------------------

    @Override
    public int open(VopArgs.Open a) {
        return 0;
    }

    @Override
    public int close(VopArgs.Close a) {
        return 0;
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        return fs.sync(fs.mount);
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? Errno.EINVAL.number() : 0;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        long size;
        fs.fsLock.enter();
        try {
            size = node(a.vp()).entry.size;
        } finally {
            fs.fsLock.exit();
        }
        return RecordLocks.of(fs.kernel).advlock(a.vp(), a.id(), a.op(), a.fl(), a.flags(), size);
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_LINK_MAX -> 1; // no hard links
            case Sys._PC_NAME_MAX -> LongName.MAX_LENGTH;
            case Sys._PC_PATH_MAX -> Sys.PATH_MAX;
            case Sys._PC_CHOWN_RESTRICTED, Sys._PC_NO_TRUNC -> 1;
            case Sys._PC_2_SYMLINKS -> 0;
            case Sys._PC_FILESIZEBITS -> 33; // sizes up to 2^32 - 1
            default -> -1;
        };
        if (v < 0) return Errno.EINVAL.number();
        a.retval().set(v);
        return 0;
    }

    @Override
    public int inactive(VopArgs.Inactive a) {
        MsdosNode n = node(a.vp());
        try {
            fs.fsLock.enter();
            try {
                if (n.removed && !n.isDir && !fs.readOnly()) {
                    // the last reference to an unlinked file: now its clusters are free
                    fs.freeClusters(n);
                    a.recycle().set(Boolean.TRUE);
                }
            } finally {
                fs.fsLock.exit();
            }
        } catch (FatError e) {
            fail(e);
        } finally {
            a.vp().unlock();
        }
        return 0;
    }

    @Override
    public int reclaim(VopArgs.Reclaim a) {
        fs.fsLock.enter();
        try {
            fs.forget(node(a.vp()));
        } finally {
            fs.fsLock.exit();
        }
        return 0;
    }
}
