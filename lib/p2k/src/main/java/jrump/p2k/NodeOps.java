package jrump.p2k;

import java.nio.ByteBuffer;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Timespec;

/**
 * The requests about names and attributes: each becomes the rump kernel's system call relative to a
 * directory descriptor (openat(2) style), so no path is ever built. Replies that name a node (LOOKUP, MKNOD,
 * MKDIR, SYMLINK, LINK) count a lookup of it.
 */
final class NodeOps {
    private final Served s;

    NodeOps(Served s) {
        this.s = s;
    }

    /** LOOKUP: fuse_entry_out. */
    void lookup(Request r, Reply out) {
        Node dir = s.dir(r.nodeid);
        entry(out, s.lookup(dir, r.name(0)));
    }

    private void entry(Reply out, Served.Found f) {
        out.entry(out.grow(Fuse.ENTRY_OUT_SIZE), f.node().id, f.stat(), s.timeouts);
    }

    /** FORGET: fuse_forget_in {nlookup}; no reply. */
    void forget(Request r) {
        s.nodes.forget(r.nodeid, r.i64(0));
    }

    /** BATCH_FORGET: fuse_batch_forget_in {count}, then count fuse_forget_one {nodeid, nlookup}; no reply. */
    void batchForget(Request r) {
        int count = r.i32(0);
        for (int i = 0; i < count; i++) s.nodes.forget(r.i64(8 + 16 * i), r.i64(16 + 16 * i));
    }

    /** GETATTR: fuse_getattr_in {getattr_flags, dummy, fh}; fuse_attr_out. */
    void getattr(Request r, Reply out) {
        Node n = s.node(r.nodeid);
        boolean byHandle = (r.i32(0) & Fuse.GETATTR_FH) != 0 && !n.isDirectory() && !s.zeroOpen;
        Stat st = byHandle ? s.sys.fstat((int) r.i64(8)) : s.stat(n);
        attr(out, st);
    }

    private void attr(Reply out, Stat st) {
        int at = out.grow(Fuse.ATTR_OUT_SIZE);
        out.i64(at, s.timeouts.attrSec());
        out.i32(at + 8, s.timeouts.attrNsec());
        out.attr(at + 16, st);
    }

    /*
     * SETATTR: fuse_setattr_in {valid, padding, fh, size, lock_owner, atime, mtime, ctime, atimensec,
     * mtimensec, ctimensec, mode, unused4, uid, gid, unused5}. Owner first (it clears set-id bits), then mode,
     * size, and times last, so a truncation does not overwrite the times asked for.
     */
    void setattr(Request r, Reply out) {
        s.writable();
        Node n = s.node(r.nodeid);
        int valid = r.i32(0);
        int fd = n.isDirectory() ? n.dirFd : (valid & Fuse.FATTR_FH) != 0 ? (int) r.i64(8) : -1;
        Node.Link l = null;
        boolean borrowed = false;
        if (fd < 0) {
            l = s.nodes.anyLink(n);
            if (l == null) { // unlinked, but perhaps still open
                fd = s.nodes.borrowOpenFd(n);
                if (fd < 0) throw new Served.Fail(Served.ENOENT);
                borrowed = true;
            } else if (s.sys.fstatat(l.dir().dirFd, l.name(), Sys.AT_SYMLINK_NOFOLLOW).ino() != n.ino) {
                throw new Served.Fail(Served.ESTALE);
            }
        }
        try {
            setattr(r, valid, n, fd, l);
            attr(out, fd >= 0 ? s.sys.fstat(fd) : s.stat(n));
        } finally {
            if (borrowed) s.nodes.giveBack(n);
        }
    }

    private void setattr(Request r, int valid, Node n, int fd, Node.Link l) {
        if ((valid & (Fuse.FATTR_UID | Fuse.FATTR_GID)) != 0) {
            int uid = (valid & Fuse.FATTR_UID) != 0 ? r.i32(76) : -1;
            int gid = (valid & Fuse.FATTR_GID) != 0 ? r.i32(80) : -1;
            if (fd >= 0) s.sys.fchown(fd, uid, gid);
            else s.sys.fchownat(l.dir().dirFd, l.name(), uid, gid, Sys.AT_SYMLINK_NOFOLLOW);
        }
        if ((valid & Fuse.FATTR_MODE) != 0) {
            int mode = r.i32(68) & 07777;
            if (fd >= 0) s.sys.fchmod(fd, mode);
            else s.sys.fchmodat(l.dir().dirFd, l.name(), mode, Sys.AT_SYMLINK_NOFOLLOW);
        }
        if ((valid & Fuse.FATTR_SIZE) != 0) truncate(n, fd, l, r.i64(16));
        if ((valid & (Fuse.FATTR_ATIME | Fuse.FATTR_MTIME)) != 0) {
            Timespec[] ts = {time(valid, Fuse.FATTR_ATIME, Fuse.FATTR_ATIME_NOW, r.i64(32), r.i32(56)),
                    time(valid, Fuse.FATTR_MTIME, Fuse.FATTR_MTIME_NOW, r.i64(40), r.i32(60))};
            if (fd >= 0) s.sys.futimens(fd, ts);
            else s.sys.utimensat(l.dir().dirFd, l.name(), ts, Sys.AT_SYMLINK_NOFOLLOW);
        }
    }

    private static Timespec time(int valid, int set, int now, long sec, int nsec) {
        if ((valid & set) == 0) return new Timespec(0, Sys.UTIME_OMIT);
        if ((valid & now) != 0) return new Timespec(0, Sys.UTIME_NOW);
        return new Timespec(sec, nsec);
    }

    private void truncate(Node n, int fd, Node.Link l, long size) {
        if (n.isDirectory()) throw new Served.Fail(21); // EISDIR
        if (fd >= 0) {
            s.sys.ftruncate(fd, size);
            return;
        }
        int tmp = s.sys.openat(l.dir().dirFd, l.name(), Sys.O_WRONLY | Sys.O_NOFOLLOW, 0);
        try {
            s.sys.ftruncate(tmp, size);
        } finally {
            s.sys.close(tmp);
        }
    }

    /** READLINK: the target's bytes, no NUL. */
    void readlink(Request r, Reply out) {
        Node n = s.node(r.nodeid);
        if (n.type != Stat.S_IFLNK) throw new Served.Fail(Served.EINVAL);
        Node.Link l = s.link(n);
        ByteBuffer b = out.room(Sys.PATH_MAX);
        long len = s.sys.readlinkat(l.dir().dirFd, l.name(), b);
        out.size += (int) len;
    }

    /** MKNOD: fuse_mknod_in {mode, rdev, umask, padding}, name (the kernel applied the umask). */
    void mknod(Request r, Reply out) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        int mode = r.i32(0);
        long rdev = r.i32(4) & 0xffffffffL;
        String name = r.name(16);
        switch (mode & Stat.S_IFMT) {
            case Stat.S_IFIFO -> s.sys.mkfifoat(dir.dirFd, name, mode & 07777);
            case Stat.S_IFREG -> s.sys.close(s.sys.openat(dir.dirFd, name, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL, mode & 07777));
            default -> s.sys.mknodat(dir.dirFd, name, mode, (int) rdev); // NetBSD's and Linux's dev_t agree in 32 bits
        }
        entry(out, s.lookup(dir, name));
    }

    /** MKDIR: fuse_mkdir_in {mode, umask}, name. */
    void mkdir(Request r, Reply out) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        String name = r.name(8);
        s.sys.mkdirat(dir.dirFd, name, r.i32(0) & 07777);
        entry(out, s.lookup(dir, name));
    }

    /** SYMLINK: the new entry's name, then the target, both NUL-terminated. */
    void symlink(Request r, Reply out) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        String name = r.name(0);
        String target = r.name(r.afterName(0));
        s.sys.symlinkat(target, dir.dirFd, name);
        entry(out, s.lookup(dir, name));
    }

    /** UNLINK: name. The node keeps its other links and open descriptors. */
    void unlink(Request r) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        String name = r.name(0);
        Stat st = s.sys.fstatat(dir.dirFd, name, Sys.AT_SYMLINK_NOFOLLOW);
        s.sys.unlinkat(dir.dirFd, name, 0);
        Node n = s.nodes.byInode(st.ino(), st.mode() & Stat.S_IFMT);
        if (n != null) s.nodes.removeLink(n, dir, name);
    }

    /** RMDIR: name. A removed directory's node keeps its descriptor until forgotten. */
    void rmdir(Request r) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        s.sys.unlinkat(dir.dirFd, r.name(0), Sys.AT_REMOVEDIR);
    }

    /** RENAME: fuse_rename_in {newdir}, old name, new name. */
    void rename(Request r) {
        rename(r, r.i64(0), 0, 8);
    }

    /** RENAME2: fuse_rename2_in {newdir, flags, padding}, old name, new name. */
    void rename2(Request r) {
        rename(r, r.i64(0), r.i32(8), 16);
    }

    private void rename(Request r, long newdir, int flags, int namesAt) {
        s.writable();
        if ((flags & ~Fuse.RENAME_NOREPLACE) != 0) throw new Served.Fail(Served.EINVAL); // no exchange or whiteout in NetBSD
        Node from = s.dir(r.nodeid);
        Node to = s.dir(newdir);
        String oldName = r.name(namesAt);
        String newName = r.name(r.afterName(namesAt));
        Stat moved = s.sys.fstatat(from.dirFd, oldName, Sys.AT_SYMLINK_NOFOLLOW);
        Stat replaced = statOrNull(to, newName);
        if (replaced != null && (flags & Fuse.RENAME_NOREPLACE) != 0) throw new Served.Fail(Served.EEXIST);
        s.sys.renameat(from.dirFd, oldName, to.dirFd, newName);
        if (replaced != null && replaced.ino() != moved.ino()) {
            Node gone = s.nodes.byInode(replaced.ino(), replaced.mode() & Stat.S_IFMT);
            if (gone != null) s.nodes.removeLink(gone, to, newName);
        }
        Node n = s.nodes.byInode(moved.ino(), moved.mode() & Stat.S_IFMT);
        if (n != null && !n.isDirectory() && (replaced == null || replaced.ino() != moved.ino())) {
            s.nodes.addLink(n, to, newName);
            s.nodes.removeLink(n, from, oldName);
        }
    }

    private Stat statOrNull(Node dir, String name) {
        try {
            return s.sys.fstatat(dir.dirFd, name, Sys.AT_SYMLINK_NOFOLLOW);
        } catch (RumpException e) {
            if (e.errno() == jrump.rumpkern.Errno.ENOENT) return null;
            throw e;
        }
    }

    /** LINK: fuse_link_in {oldnodeid}, new name; the reply counts a lookup of the (same) node. */
    void link(Request r, Reply out) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        Node n = s.node(r.i64(0));
        if (n.isDirectory()) throw new Served.Fail(1); // EPERM, as link(2) on a directory
        String name = r.name(8);
        Node.Link l = s.link(n);
        s.sys.linkat(l.dir().dirFd, l.name(), dir.dirFd, name, 0);
        entry(out, s.lookup(dir, name));
    }

    /** STATFS: fuse_kstatfs {blocks, bfree, bavail, files, ffree, bsize, namelen, frsize, padding, spare[6]}. */
    void statfs(Request r, Reply out, Node root) {
        Statvfs v = s.sys.fstatvfs1(root.dirFd, Statvfs.ST_WAIT);
        int at = out.grow(Fuse.STATFS_OUT_SIZE);
        out.i64(at, v.blocks());
        out.i64(at + 8, v.bfree());
        out.i64(at + 16, v.bavail());
        out.i64(at + 24, v.files());
        out.i64(at + 32, v.ffree());
        out.i32(at + 40, (int) v.bsize());
        out.i32(at + 44, (int) v.namemax());
        out.i32(at + 48, (int) v.frsize());
    }

    /**
     * ACCESS: fuse_access_in {mask}. With default_permissions the Linux kernel checks modes itself and seldom
     * asks; p2k answers whether the node still exists and, for X_OK, whether anyone may execute it.
     */
    void access(Request r) {
        Stat st = s.stat(s.node(r.nodeid));
        if ((r.i32(0) & 1) != 0 && (st.mode() & 0111) == 0 && !st.isDirectory()) throw new Served.Fail(Served.EACCES);
    }
}
