package jrump.fs.ffs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpvfs.vnode.RecordLocks;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The vnode operations of ffs (NetBSD's ufs_vnops.c, ufs_lookup.c, ffs_vnops.c): reading here, changing
 * in {@link FfsWriteOps} (EROFS on a read-only mount). Every {@link FfsError} becomes its errno, after a
 * console line naming the damage.
 */
final class FfsVnodeOps implements VnodeOps {
    /** Directories up to this size get a name index on their first lookup (larger ones are scanned). */
    private static final long MAX_INDEXED_DIR = 16L << 20;

    private final Ffs fs;
    final FfsWriteOps writes;
    private final FfsExtattrOps extattrs;

    FfsVnodeOps(Ffs fs) {
        this.fs = fs;
        this.writes = new FfsWriteOps(fs);
        this.extattrs = new FfsExtattrOps(fs);
    }

    static FfsNode node(Vnode vp) {
        return (FfsNode) vp.data();
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        FfsNode dir = node(a.dvp());
        String name = a.cnp().name();
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        if (dir.din.nlink == 0) return Errno.ENOENT.number(); // removed while someone is in it
        if (name.getBytes(StandardCharsets.UTF_8).length > Ffs.MAXNAMLEN) return Errno.ENAMETOOLONG.number();
        if (name.equals(".")) return fs.vget(dir.ino, a.vpp());
        try {
            Dir.Entry e = find(dir, name);
            if (e == null) return Errno.ENOENT.number();
            return fs.vget(e.ino(), a.vpp());
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

    /** The entry named {@code name} in {@code dir}, or null. Locking: dir's vnode is locked. */
    Dir.Entry find(FfsNode dir, String name) throws FfsError {
        if (dir.names != null || (dir.din.size > fs.sb.bsize && dir.din.size <= MAX_INDEXED_DIR)) {
            Long at = index(dir).get(name);
            if (at == null) return null;
            Dir.Entry e = scanFor(dir, name, at);
            if (e == null || e.offset() != at) throw FfsError.corrupt("directory " + dir.ino + ": " + name + " moved");
            return e;
        }
        return scanFor(dir, name, 0);
    }

    private Dir.Entry scanFor(FfsNode dir, String name, long from) throws FfsError {
        Dir.Entry[] found = {null};
        Dir.scan(fs, dir, from, e -> {
            if (!e.name().equals(name)) return true;
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /** The directory's name index, built on first use; writers keep it current. */
    Map<String, Long> index(FfsNode dir) throws FfsError {
        Map<String, Long> names = dir.names;
        if (names == null) {
            Map<String, Long> built = new HashMap<>();
            Dir.scan(fs, dir, 0, e -> {
                built.putIfAbsent(e.name(), e.offset());
                return true;
            });
            dir.names = names = built;
        }
        return names;
    }

    @Override
    public int access(VopArgs.Access a) {
        Dinode d = node(a.vp()).din;
        return Vaccess.check(a.vp().type(), d.mode & 07777, (int) d.uid, (int) d.gid, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        FfsNode n = node(a.vp());
        Dinode d = n.din;
        Vattr v = a.vap();
        v.type = a.vp().type();
        v.mode = d.mode & 07777;
        v.nlink = d.nlink;
        v.uid = d.uid;
        v.gid = d.gid;
        v.fsid = fs.mount.fsid();
        v.fileid = n.ino;
        v.size = d.size;
        v.blocksize = fs.sb.bsize;
        v.atime = nanos(d.atime, d.atimensec);
        v.mtime = nanos(d.mtime, d.mtimensec);
        v.ctime = nanos(d.ctime, d.ctimensec);
        v.birthtime = d.ufs2 ? nanos(d.birthtime, d.birthnsec) : v.ctime; // UFS1 keeps no birth time
        v.gen = d.gen & 0xffffffffL;
        v.flags = d.flags & 0xffffffffL;
        v.rdev = d.type() == Dinode.IFCHR || d.type() == Dinode.IFBLK ? d.rdev() : 0;
        v.bytes = d.blocks * 512;
        return 0;
    }

    static long nanos(long sec, int nsec) {
        return sec * 1_000_000_000L + Math.floorMod(nsec, 1_000_000_000);
    }

    @Override
    public int read(VopArgs.Read a) {
        FfsNode n = node(a.vp());
        if (n.isDir()) return Errno.EISDIR.number();
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        long start = uio.offset();
        int before = uio.buffer().position();
        try {
            uio.setOffset(FileRead.read(fs, n, start, uio.buffer()));
            return 0;
        } catch (FfsError e) {
            // a short read before the damage still counts: the descriptor's offset follows what was moved
            uio.setOffset(start + uio.buffer().position() - before);
            return fs.fail(e);
        }
    }

    /** At most this many blocks are looked up to find how far a run of contiguous blocks goes. */
    private static final int BMAP_RUN_LIMIT = 1024;

    /**
     * VOP_BMAP (ufs_bmaparray's role): logical block {@code bn} (fs_bsize) to its DEV_BSIZE address on the
     * device, -1 for a hole, and how many blocks after it follow contiguously (looked up to
     * {@link #BMAP_RUN_LIMIT}). EBUSY on a read-write mount, whose cache may hold newer data than the device.
     */
    @Override
    public int bmap(VopArgs.Bmap a) {
        FfsNode n = node(a.vp());
        if (!fs.readOnly()) return Errno.EBUSY.number();
        if (a.bn() < 0) return Errno.EINVAL.number();
        Superblock sb = fs.sb;
        try {
            BlockMap map = new BlockMap(fs, n);
            long addr = map.map(a.bn());
            int run = 0;
            if (addr != 0) {
                long size = n.din.size;
                // only whole blocks extend a run: a fragment tail is the file's last block
                while (run < BMAP_RUN_LIMIT && sb.blksize(size, a.bn() + run) == sb.bsize
                        && (a.bn() + run + 1) * (long) sb.bsize < size && map.map(a.bn() + run + 1) == addr + (long) (run + 1) * sb.frag) {
                    run++;
                }
            }
            a.vpp().set(fs.devvp);
            a.bnp().set(addr == 0 ? -1L : addr * sb.fsize / BufCache.DEV_BSIZE);
            a.runp().set(run);
            return 0;
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        FfsNode n = node(a.vp());
        if (a.vp().type() != VType.VLNK) return Errno.EINVAL.number();
        try {
            byte[] target = linkTarget(n);
            a.uio().move(target, 0, target.length);
            return 0;
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

    /** A symlink's target: in the inode (a fast link) or in its data block. */
    byte[] linkTarget(FfsNode n) throws FfsError {
        Dinode d = n.din;
        if (d.size > Sys.PATH_MAX) throw FfsError.corrupt("symlink " + n.ino + ": target of " + d.size + " bytes");
        if (fs.isFastLink(d)) return d.shortLink();
        return FileRead.bytes(fs, n, 0, (int) d.size);
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        FfsNode dir = node(a.vp());
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        int[] written = {0};
        boolean[] full = {false};
        try {
            long end = Dir.scan(fs, dir, uio.offset(), e -> {
                int type = e.type() != Dir.DT_UNKNOWN ? e.type() : Dirent.DT_UNKNOWN;
                if (!new Dirent(e.ino(), type, e.name()).writeTo(uio.buffer())) {
                    full[0] = true;
                    return false;
                }
                written[0]++;
                return true;
            });
            if (written[0] == 0 && full[0]) return Errno.EINVAL.number(); // smaller than one entry
            uio.setOffset(end);
            if (a.eofflag() != null) a.eofflag().set(full[0] ? 0 : 1);
            return 0;
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

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
        return writes.fsync(a);
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? Errno.EINVAL.number() : 0;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        return RecordLocks.of(fs.kernel).advlock(a.vp(), a.id(), a.op(), a.fl(), a.flags(), node(a.vp()).din.size);
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_LINK_MAX -> Ffs.LINK_MAX;
            case Sys._PC_NAME_MAX -> Ffs.MAXNAMLEN;
            case Sys._PC_PATH_MAX, Sys._PC_SYMLINK_MAX -> Sys.PATH_MAX;
            case Sys._PC_CHOWN_RESTRICTED, Sys._PC_NO_TRUNC, Sys._PC_2_SYMLINKS -> 1;
            case Sys._PC_FILESIZEBITS -> 64;
            default -> -1;
        };
        if (v < 0) return Errno.EINVAL.number();
        a.retval().set(v);
        return 0;
    }

    // --- extended attributes: FfsExtattrOps (UFS2's attribute area) ------------------------------

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        return extattrs.get(a);
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        return extattrs.list(a);
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        return extattrs.set(a);
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        return extattrs.delete(a);
    }

    // --- changes: FfsWriteOps ---------------------------------------------------------------------

    @Override
    public int create(VopArgs.Create a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VREG, null, a.vpp());
    }

    @Override
    public int mknod(VopArgs.Mknod a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), a.vap().type, null, a.vpp());
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VDIR, null, a.vpp());
    }

    @Override
    public int symlink(VopArgs.Symlink a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VLNK, a.target(), a.vpp());
    }

    @Override
    public int remove(VopArgs.Remove a) {
        return writes.remove(a);
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        return writes.rmdir(a);
    }

    @Override
    public int link(VopArgs.Link a) {
        return writes.link(a);
    }

    @Override
    public int rename(VopArgs.Rename a) {
        return writes.rename(a);
    }

    @Override
    public int write(VopArgs.Write a) {
        return writes.write(a);
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        return writes.setattr(a);
    }

    @Override
    public int fallocate(VopArgs.Fallocate a) {
        return Errno.EOPNOTSUPP.number();
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        return Errno.EOPNOTSUPP.number();
    }

    /** The last reference went: a file nothing names any more is reclaimed at once (which frees it). */
    @Override
    public int inactive(VopArgs.Inactive a) {
        if (node(a.vp()).din.nlink == 0 && !fs.readOnly()) a.recycle().set(Boolean.TRUE);
        a.vp().unlock();
        return 0;
    }

    @Override
    public int reclaim(VopArgs.Reclaim a) {
        return writes.reclaim(node(a.vp()));
    }
}
