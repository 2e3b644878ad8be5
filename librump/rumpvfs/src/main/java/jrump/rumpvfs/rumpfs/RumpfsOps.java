package jrump.rumpvfs.rumpfs;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.RecordLocks;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * rumpfs's vnode operations. Structure and content changes happen under the file system's monitor: short,
 * non-blocking sections, so one lock keeps rename across directories simple and safe.
 */
final class RumpfsOps implements VnodeOps {
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;

    private final Rumpfs fs;

    RumpfsOps(Rumpfs fs) {
        this.fs = fs;
    }

    private static RumpfsNode node(jrump.rumpvfs.vnode.Vnode vp) {
        return (RumpfsNode) vp.data();
    }

    private static int err(Errno e) {
        return e.number();
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        synchronized (fs) {
            RumpfsNode dir = node(a.dvp());
            if (dir.type != VType.VDIR) return err(Errno.ENOTDIR);
            String name = a.cnp().name();
            RumpfsNode n = switch (name) {
                case "." -> dir;
                case ".." -> dir.nlink == 0 ? null : dir.parent; // a removed directory has no parent (tmpfs)
                default -> dir.entries.get(name);
            };
            if (n == null) return err(Errno.ENOENT);
            a.vpp().set(n.vnode);
            return 0;
        }
    }

    private int make(jrump.rumpvfs.vnode.Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target,
                     jrump.rumpkern.kernel.Out<jrump.rumpvfs.vnode.Vnode> vpp) {
        synchronized (fs) {
            RumpfsNode dir = node(dvp);
            String name = cnp.name();
            if (dir.nlink == 0) return err(Errno.ENOENT); // removed while we looked
            if (dir.entries.containsKey(name) || name.equals(".") || name.equals("..")) return err(Errno.EEXIST);
            KCred cred = cnp.cred();
            int mode = (int) (vap.mode == Vattr.VNOVAL ? 0 : vap.mode) & 07777;
            // BSD semantics: a new file takes its directory's group
            // a file may be set-group-id only to a group its creator belongs to (ufs_makeinode)
            if ((mode & S_ISGID) != 0 && !cred.isRoot() && !cred.isMember(dir.gid)) mode &= ~S_ISGID;
            RumpfsNode n = fs.newNode(type, mode, cred.euid(), dir.gid, target);
            if (n == null) return err(Errno.ENOSPC); // the mount's node limit
            if (vap.rdev != Vattr.VNOVAL) n.rdev = vap.rdev;
            if (type == VType.VLNK) n.size = target.getBytes(StandardCharsets.UTF_8).length;
            if (type == VType.VDIR) {
                n.parent = dir;
                dir.nlink++;
            }
            dir.addEntry(name, n);
            dir.mtime = dir.ctime = fs.now();
            vpp.set(n.vnode);
            return 0;
        }
    }

    @Override
    public int create(VopArgs.Create a) {
        return make(a.dvp(), a.cnp(), a.vap(), VType.VREG, null, a.vpp());
    }

    @Override
    public int mknod(VopArgs.Mknod a) {
        return make(a.dvp(), a.cnp(), a.vap(), a.vap().type, null, a.vpp());
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        return make(a.dvp(), a.cnp(), a.vap(), VType.VDIR, null, a.vpp());
    }

    @Override
    public int symlink(VopArgs.Symlink a) {
        return make(a.dvp(), a.cnp(), a.vap(), VType.VLNK, a.target(), a.vpp());
    }

    /** vput of WILLPUT arguments: the operation gives their locks back. */
    private static void put(jrump.rumpvfs.vnode.Vnode... vps) {
        for (jrump.rumpvfs.vnode.Vnode vp : vps) if (vp != null && vp.lockHeldByMe()) vp.unlock();
    }

    @Override
    public int remove(VopArgs.Remove a) {
        try {
            return removeLocked(a);
        } finally {
            put(a.vp(), a.dvp());
        }
    }

    private int removeLocked(VopArgs.Remove a) {
        synchronized (fs) {
            RumpfsNode dir = node(a.dvp());
            RumpfsNode n = node(a.vp());
            if (n.type == VType.VDIR) return err(Errno.EPERM);
            if (dir.entries.get(a.cnp().name()) != n) return err(Errno.ENOENT);
            dir.removeEntry(a.cnp().name());
            n.nlink--;
            long now = fs.now();
            n.ctime = now;
            dir.mtime = dir.ctime = now;
            fs.maybeFree(n);
            return 0;
        }
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        try {
            return rmdirLocked(a);
        } finally {
            put(a.vp(), a.dvp());
        }
    }

    private int rmdirLocked(VopArgs.Rmdir a) {
        synchronized (fs) {
            RumpfsNode dir = node(a.dvp());
            RumpfsNode n = node(a.vp());
            if (n.type != VType.VDIR) return err(Errno.ENOTDIR);
            if (!n.entries.isEmpty()) return err(Errno.ENOTEMPTY);
            if (dir.entries.get(a.cnp().name()) != n) return err(Errno.ENOENT);
            dir.removeEntry(a.cnp().name());
            dir.nlink--;
            n.nlink = 0;
            long now = fs.now();
            dir.mtime = dir.ctime = now;
            fs.maybeFree(n);
            return 0;
        }
    }

    @Override
    public int link(VopArgs.Link a) {
        synchronized (fs) {
            RumpfsNode dir = node(a.dvp());
            RumpfsNode n = node(a.vp());
            if (n.type == VType.VDIR) return err(Errno.EPERM);
            if (n.nlink == 0 || dir.nlink == 0) return err(Errno.ENOENT);
            if (dir.entries.containsKey(a.cnp().name())) return err(Errno.EEXIST);
            dir.addEntry(a.cnp().name(), n);
            n.nlink++;
            long now = fs.now();
            n.ctime = now;
            dir.mtime = dir.ctime = now;
            return 0;
        }
    }

    @Override
    public int rename(VopArgs.Rename a) {
        try {
            return renameLocked(a);
        } finally {
            put(a.tvp() == a.tdvp() ? null : a.tvp(), a.tdvp());
        }
    }

    private int renameLocked(VopArgs.Rename a) {
        synchronized (fs) {
            RumpfsNode fdir = node(a.fdvp());
            RumpfsNode n = node(a.fvp());
            RumpfsNode tdir = node(a.tdvp());
            String fname = a.fcnp().name();
            String tname = a.tcnp().name();
            if (fdir.entries.get(fname) != n || tdir.nlink == 0) return err(Errno.ENOENT);
            RumpfsNode existing = tdir.entries.get(tname);
            // the caller checked (sticky bit, types) the target namei found: it must still be the one there
            if (existing != (a.tvp() == null ? null : node(a.tvp()))) return err(Errno.ENOENT);
            if (existing == n) return 0; // the same file: POSIX says do nothing
            if (n.type == VType.VDIR) {
                for (RumpfsNode p = tdir; ; p = p.parent) {
                    if (p == n) return err(Errno.EINVAL); // into its own subtree
                    if (p.parent == p) break;
                }
            }
            if (existing != null) {
                if (n.type == VType.VDIR && existing.type != VType.VDIR) return err(Errno.ENOTDIR);
                if (n.type != VType.VDIR && existing.type == VType.VDIR) return err(Errno.EISDIR);
                if (existing.type == VType.VDIR && !existing.entries.isEmpty()) return err(Errno.ENOTEMPTY);
            }
            // a directory that changes parent has its ".." rewritten: write permission on it, checked after
            // the types (genfs_ufslike_rename_check_permitted)
            if (n.type == VType.VDIR && fdir != tdir
                    && Vaccess.check(n.type, n.mode, n.uid, n.gid, Vaccess.VWRITE, a.fcnp().cred()) != 0) {
                return err(Errno.EACCES);
            }
            if (existing != null) {
                if (existing.type == VType.VDIR) {
                    tdir.nlink--;
                    existing.nlink = 0;
                } else {
                    existing.nlink--;
                }
                existing.ctime = fs.now();
                fs.maybeFree(existing);
            }
            fdir.removeEntry(fname);
            tdir.removeEntry(tname);
            tdir.addEntry(tname, n);
            if (n.type == VType.VDIR && fdir != tdir) {
                fdir.nlink--;
                tdir.nlink++;
                n.parent = tdir;
            }
            long now = fs.now();
            n.ctime = now;
            fdir.mtime = fdir.ctime = now;
            tdir.mtime = tdir.ctime = now;
            return 0;
        }
    }

    @Override
    public int access(VopArgs.Access a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            return Vaccess.check(n.type, n.mode, n.uid, n.gid, a.accmode(), a.cred());
        }
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            Vattr v = a.vap();
            v.type = n.type;
            v.mode = n.mode;
            v.nlink = n.nlink;
            v.uid = n.uid;
            v.gid = n.gid;
            v.fsid = fs.fsid();
            v.fileid = n.ino;
            v.size = n.type == VType.VDIR ? (long) (n.entries.size() + 2) * Dirent.reclen(8) : n.size;
            v.blocksize = 4096;
            v.atime = n.atime;
            v.mtime = n.mtime;
            v.ctime = n.ctime;
            v.birthtime = n.birthtime;
            v.gen = 1;
            v.flags = 0;
            v.rdev = n.rdev;
            v.bytes = n.type == VType.VREG ? n.content.pageCount() * SparseBytes.PAGE : 0;
            return 0;
        }
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            Vattr v = a.vap();
            KCred cred = a.cred();
            long now = fs.now();
            if (v.uid != Vattr.VNOVAL || v.gid != Vattr.VNOVAL) {
                int nuid = v.uid == Vattr.VNOVAL ? n.uid : (int) v.uid;
                int ngid = v.gid == Vattr.VNOVAL ? n.gid : (int) v.gid;
                // kauth: only root gives a file away; the owner may change the group to one it belongs to
                if (!cred.isRoot() && (nuid != n.uid || cred.euid() != n.uid || (ngid != n.gid && !cred.isMember(ngid)))) {
                    return err(Errno.EPERM);
                }
                if (!cred.isRoot() && (nuid != n.uid || ngid != n.gid)) n.mode &= ~(S_ISUID | S_ISGID);
                n.uid = nuid;
                n.gid = ngid;
                n.ctime = now;
            }
            if (v.mode != Vattr.VNOVAL) {
                if (!cred.isRoot() && cred.euid() != n.uid) return err(Errno.EPERM);
                int mode = (int) v.mode & 07777;
                if (!cred.isRoot()) {
                    if (n.type != VType.VDIR && (mode & S_ISVTX) != 0) return err(Errno.EFTYPE);
                    if ((mode & S_ISGID) != 0 && !cred.isMember(n.gid)) return err(Errno.EPERM);
                }
                n.mode = mode;
                n.ctime = now;
            }
            // a FIFO's or a device's size belongs to the object, not the file: ignored (NetBSD's tmpfs_chsize, ufs)
            boolean special = n.type == VType.VFIFO || n.type == VType.VCHR || n.type == VType.VBLK;
            if (v.size != Vattr.VNOVAL && !special) {
                if (n.type == VType.VDIR) return err(Errno.EISDIR);
                if (n.type != VType.VREG) return err(Errno.EINVAL);
                if (v.size < 0) return err(Errno.EINVAL);
                if (v.size > Rumpfs.MAX_FILE_SIZE) return err(Errno.EFBIG);
                if (v.size < n.size) n.content.truncate(v.size, fs.space);
                n.size = v.size; // growing makes a hole: no pages
                n.mtime = n.ctime = now;
            }
            if (v.atime != Vattr.VNOVAL_TIME || v.mtime != Vattr.VNOVAL_TIME) {
                if (!cred.isRoot() && cred.euid() != n.uid) {
                    // "now" needs only write permission; explicit times need ownership (POSIX utimensat)
                    if ((v.vaflags & Vattr.VA_UTIMES_NULL) == 0) return err(Errno.EPERM);
                    if (Vaccess.check(n.type, n.mode, n.uid, n.gid, Vaccess.VWRITE, cred) != 0) return err(Errno.EACCES);
                }
                if (v.atime != Vattr.VNOVAL_TIME) n.atime = v.atime;
                if (v.mtime != Vattr.VNOVAL_TIME) n.mtime = v.mtime;
                n.ctime = now;
            }
            return 0;
        }
    }

    @Override
    public int read(VopArgs.Read a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.type == VType.VDIR) return err(Errno.EISDIR);
            if (n.type != VType.VREG) return err(Errno.EOPNOTSUPP);
            Uio uio = a.uio();
            if (uio.offset() < 0) return err(Errno.EINVAL);
            if (uio.offset() < n.size) {
                int len = (int) Math.min(n.size - uio.offset(), uio.resid());
                n.content.read(uio, uio.offset(), len);
            }
            n.atime = fs.now();
            return 0;
        }
    }

    @Override
    public int write(VopArgs.Write a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.type == VType.VDIR) return err(Errno.EISDIR);
            if (n.type != VType.VREG) return err(Errno.EOPNOTSUPP);
            Uio uio = a.uio();
            if (uio.resid() == 0) return 0; // POSIX: a zero-length write changes nothing
            long off = (a.ioflag() & IoFlag.IO_APPEND) != 0 ? n.size : uio.offset();
            if (off < 0) return err(Errno.EINVAL);
            if (off > Rumpfs.MAX_FILE_SIZE - uio.resid()) return err(Errno.EFBIG);
            long end = off + uio.resid();
            if ((a.ioflag() & IoFlag.IO_APPEND) != 0) uio.setOffset(off);
            if (!n.content.write(uio, off, (int) uio.resid(), fs.space)) return err(Errno.ENOSPC);
            if (end > n.size) n.size = end;
            long now = fs.now();
            n.mtime = n.ctime = now;
            // writing by anyone but root clears the set-id bits (kauth's policy)
            if (!a.cred().isRoot()) n.mode &= ~(S_ISUID | S_ISGID);
            return 0;
        }
    }

    /** Space for [pos, pos + len) is taken now; the file grows to cover it (POSIX posix_fallocate). */
    @Override
    public int fallocate(VopArgs.Fallocate a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.type != VType.VREG) return err(Errno.ENODEV);
            if (a.pos() < 0 || a.len() <= 0) return err(Errno.EINVAL);
            if (a.pos() > Rumpfs.MAX_FILE_SIZE - a.len()) return err(Errno.EFBIG);
            if (!n.content.allocate(a.pos(), a.len(), fs.space)) return err(Errno.ENOSPC);
            long end = a.pos() + a.len();
            if (end > n.size) {
                n.size = end;
                n.mtime = n.ctime = fs.now();
            }
            return 0;
        }
    }

    /** fcntl record locks, kept by the kernel's lock manager (lf_advlock) against the current size. */
    @Override
    public int advlock(VopArgs.Advlock a) {
        long size;
        synchronized (fs) {
            size = node(a.vp()).size;
        }
        return RecordLocks.of(fs.kernel()).advlock(a.vp(), a.id(), a.op(), a.fl(), a.flags(), size);
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.type != VType.VREG) return err(Errno.EINVAL);
            if (a.pos() < 0 || a.len() < 0 || a.pos() > Rumpfs.MAX_FILE_SIZE - a.len()) return err(Errno.EINVAL);
            long end = Math.min(a.pos() + a.len(), n.size);
            if (a.pos() < end) n.content.discard(a.pos(), end - a.pos(), fs.space);
            n.mtime = n.ctime = fs.now();
            return 0;
        }
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.type != VType.VLNK) return err(Errno.EINVAL);
            byte[] t = n.target.getBytes(StandardCharsets.UTF_8);
            a.uio().move(t, 0, t.length);
            return 0;
        }
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        synchronized (fs) {
            RumpfsNode dir = node(a.vp());
            if (dir.type != VType.VDIR) return err(Errno.ENOTDIR);
            Uio uio = a.uio();
            long cookie = uio.offset();
            if (cookie < 0) return err(Errno.EINVAL);
            int written = 0;
            boolean full = false;
            // cookies: 0 ".", 1 "..", then each entry's own (stable) cookie
            while (cookie < 2 && !full) {
                Dirent d = cookie == 0 ? new Dirent(dir.ino, Dirent.DT_DIR, ".") : new Dirent(dir.parent.ino, Dirent.DT_DIR, "..");
                if (!d.writeTo(uio.buffer())) {
                    full = true;
                } else {
                    cookie++;
                    written++;
                }
            }
            if (!full) {
                for (Map.Entry<Long, String> e : dir.byCookie.tailMap(cookie, true).entrySet()) {
                    RumpfsNode child = dir.entries.get(e.getValue());
                    Dirent d = new Dirent(child.ino, child.type.direntType(), e.getValue());
                    if (!d.writeTo(uio.buffer())) {
                        full = true;
                        cookie = e.getKey();
                        break;
                    }
                    written++;
                    cookie = e.getKey() + 1;
                }
                if (!full) cookie = Math.max(cookie, dir.nextCookie);
            }
            if (written == 0 && full) return err(Errno.EINVAL); // buffer smaller than one entry
            uio.setOffset(cookie);
            if (a.eofflag() != null) a.eofflag().set(full ? 0 : 1);
            dir.atime = fs.now();
            return 0;
        }
    }

    // --- extended attributes: "namespace:name" keys; listing gives NUL-separated names ----------

    private static String xkey(int ns, String name) {
        return ns + ":" + name;
    }

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        synchronized (fs) {
            byte[] v = node(a.vp()).xattrs.get(xkey(a.attrnamespace(), a.name()));
            if (v == null) return err(Errno.ENOATTR);
            if (a.size() != null) a.size().set((long) v.length);
            if (a.uio() != null) {
                if (a.uio().resid() < v.length) return err(Errno.ERANGE);
                a.uio().move(v, 0, v.length);
            }
            return 0;
        }
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            byte[] v = new byte[(int) a.uio().resid()];
            a.uio().move(v, 0, v.length);
            n.xattrs.put(xkey(a.attrnamespace(), a.name()), v);
            n.ctime = fs.now();
            return 0;
        }
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            if (n.xattrs.remove(xkey(a.attrnamespace(), a.name())) == null) return err(Errno.ENOATTR);
            n.ctime = fs.now();
            return 0;
        }
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        synchronized (fs) {
            String prefix = a.attrnamespace() + ":";
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (String k : node(a.vp()).xattrs.keySet()) {
                if (!k.startsWith(prefix)) continue;
                out.writeBytes(k.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            byte[] all = out.toByteArray();
            if (a.size() != null) a.size().set((long) all.length);
            if (a.uio() != null) {
                if (a.uio().resid() < all.length) return err(Errno.ERANGE);
                a.uio().move(all, 0, all.length);
            }
            return 0;
        }
    }

    @Override
    public int open(VopArgs.Open a) {
        synchronized (fs) {
            node(a.vp()).opens++;
            return 0;
        }
    }

    @Override
    public int close(VopArgs.Close a) {
        synchronized (fs) {
            RumpfsNode n = node(a.vp());
            n.opens--;
            fs.maybeFree(n);
            return 0;
        }
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        return 0; // memory is as stable as rumpfs gets
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? err(Errno.EINVAL) : 0;
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_LINK_MAX -> Integer.MAX_VALUE;
            case Sys._PC_NAME_MAX -> Sys.NAME_MAX;
            case Sys._PC_PATH_MAX, Sys._PC_SYMLINK_MAX -> Sys.PATH_MAX;
            case Sys._PC_CHOWN_RESTRICTED, Sys._PC_NO_TRUNC, Sys._PC_SYNC_IO, Sys._PC_2_SYMLINKS -> 1;
            case Sys._PC_FILESIZEBITS -> 41; // files end at 2^40 bytes
            default -> -1;
        };
        if (v < 0) return err(Errno.EINVAL);
        a.retval().set(v);
        return 0;
    }

    @Override
    public int inactive(VopArgs.Inactive a) {
        a.vp().unlock();
        return 0;
    }

    @Override
    public int reclaim(VopArgs.Reclaim a) {
        return 0;
    }
}
