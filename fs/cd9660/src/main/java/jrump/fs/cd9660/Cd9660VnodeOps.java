package jrump.fs.cd9660;

import java.nio.ByteBuffer;
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
 * The vnode operations of cd9660 (NetBSD's cd9660_vnops.c, cd9660_lookup.c): reading. Changes are EROFS
 * (the VFS refuses the namespace ones on a read-only mount before they get here). Every
 * {@link Cd9660Error} becomes its errno here, after a console line naming the damage.
 */
final class Cd9660VnodeOps implements VnodeOps {
    /** Reads of at least this many bytes go to the device directly. */
    static final int DIRECT_READ = 64 << 10;
    /** Directories up to this size get a name index on their first lookup (larger ones are scanned). */
    private static final long MAX_INDEXED_DIR = 16L << 20;

    private final Cd9660 fs;

    Cd9660VnodeOps(Cd9660 fs) {
        this.fs = fs;
    }

    private static IsoNode node(Vnode vp) {
        return (IsoNode) vp.data();
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        IsoNode dir = node(a.dvp());
        String name = a.cnp().name();
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        if (name.getBytes(StandardCharsets.UTF_8).length > Cd9660.NAME_MAX) return Errno.ENAMETOOLONG.number();
        if (name.equals(".")) return fs.vgetDir(dir.key, a.vpp());
        if (name.equals("..")) return fs.vgetDir(dir.parentKey, a.vpp());
        try {
            IsoDir.Entry found = dir.size > Cd9660.SECTOR && dir.size <= MAX_INDEXED_DIR ? indexed(dir, name) : scanFor(dir, name, 0);
            if (found == null) return Errno.ENOENT.number();
            return fs.vget(found, a.vpp());
        } catch (Cd9660Error e) {
            return fs.fail(e);
        }
    }

    private IsoDir.Entry scanFor(IsoNode dir, String name, long from) throws Cd9660Error {
        IsoDir.Entry[] found = {null};
        IsoDir.scan(fs.vol, dir, from, e -> {
            if (!e.name().equals(name)) return true;
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /** A directory of many sectors: its names and their offsets once, then one probe and one record read. */
    private IsoDir.Entry indexed(IsoNode dir, String name) throws Cd9660Error {
        Map<String, Long> names = dir.names;
        if (names == null) {
            Map<String, Long> built = new HashMap<>();
            IsoDir.scan(fs.vol, dir, 0, e -> {
                built.putIfAbsent(e.name(), e.offset());
                return true;
            });
            dir.names = names = built;
        }
        Long at = names.get(name);
        if (at == null) return null;
        IsoDir.Entry e = scanFor(dir, name, at);
        if (e == null || e.offset() != at) throw Cd9660Error.corrupt("directory " + dir.key + ": " + name + " moved");
        return e;
    }

    @Override
    public int access(VopArgs.Access a) {
        IsoNode n = node(a.vp());
        return Vaccess.check(a.vp().type(), n.perm, (int) n.uid, (int) n.gid, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        IsoNode n = node(a.vp());
        Vattr v = a.vap();
        v.type = a.vp().type();
        v.mode = n.perm;
        v.nlink = n.nlink;
        v.uid = n.uid;
        v.gid = n.gid;
        v.fsid = fs.mount.fsid();
        v.fileid = n.key;
        v.size = n.size;
        v.blocksize = fs.vol.lbs;
        v.atime = n.atime;
        v.mtime = n.mtime;
        v.ctime = n.ctime;
        v.birthtime = n.birthtime;
        v.gen = 1;
        v.flags = 0;
        v.rdev = n.rdev;
        long bytes = 0;
        for (long l : n.extentLength) bytes += (l + fs.vol.lbs - 1) / fs.vol.lbs * fs.vol.lbs;
        v.bytes = n.link != null ? 0 : bytes;
        return 0;
    }

    @Override
    public int read(VopArgs.Read a) {
        IsoNode n = node(a.vp());
        if (n.isDir()) return Errno.EISDIR.number();
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        try {
            long off = FileData.read(fs, n, uio.offset(), uio.buffer());
            uio.setOffset(off);
            return 0;
        } catch (Cd9660Error e) {
            return fs.fail(e);
        }
    }

    /**
     * VOP_BMAP: logical block {@code bn} (the volume's logical block size) to a DEV_BSIZE block of the
     * device, and how many blocks after it follow contiguously (to the end of the extent or the interleaved
     * file unit). A read-only volume: the device always holds the latest copy. EOPNOTSUPP where a run does
     * not start on a DEV_BSIZE boundary or ends inside a block before the file does.
     */
    @Override
    public int bmap(VopArgs.Bmap a) {
        IsoNode n = node(a.vp());
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        int lbs = fs.vol.lbs;
        if (a.bn() < 0 || a.bn() >= (n.size + lbs - 1) / lbs) return Errno.EINVAL.number();
        try {
            long off = a.bn() * lbs;
            FileData.Run r = FileData.map(fs, n, off);
            if (r == null) return Errno.EINVAL.number();
            boolean tail = off + r.length() >= n.size; // the file's last bytes: a partial block is whole enough
            if (r.phys() % BufCache.DEV_BSIZE != 0 || (r.length() % lbs != 0 && !tail)) return Errno.EOPNOTSUPP.number();
            long blocks = (r.length() + lbs - 1) / lbs;
            a.vpp().set(fs.devvp);
            a.bnp().set(r.phys() / BufCache.DEV_BSIZE);
            a.runp().set((int) Math.min(blocks - 1, Integer.MAX_VALUE));
            return 0;
        } catch (Cd9660Error e) {
            return fs.fail(e);
        }
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        IsoNode n = node(a.vp());
        if (a.vp().type() != VType.VLNK || n.link == null) return Errno.EINVAL.number();
        byte[] target = n.link.getBytes(StandardCharsets.UTF_8);
        a.uio().move(target, 0, target.length);
        return 0;
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        IsoNode dir = node(a.vp());
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        int[] written = {0};
        boolean[] full = {false};
        try {
            long end = IsoDir.scan(fs.vol, dir, uio.offset(), e -> {
                if (!new Dirent(e.key(), e.type().direntType(), e.name()).writeTo(uio.buffer())) {
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
        } catch (Cd9660Error e) {
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
        return 0; // nothing is ever dirty
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? Errno.EINVAL.number() : 0;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        return RecordLocks.of(fs.kernel).advlock(a.vp(), a.id(), a.op(), a.fl(), a.flags(), node(a.vp()).size);
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_LINK_MAX -> 1L << 31;
            case Sys._PC_NAME_MAX -> Cd9660.NAME_MAX;
            case Sys._PC_PATH_MAX, Sys._PC_SYMLINK_MAX -> Sys.PATH_MAX;
            case Sys._PC_NO_TRUNC, Sys._PC_2_SYMLINKS -> 1;
            case Sys._PC_FILESIZEBITS -> 64;
            default -> -1;
        };
        if (v < 0) return Errno.EINVAL.number();
        a.retval().set(v);
        return 0;
    }

    // --- changes: a read-only file system -------------------------------------------------------

    @Override
    public int write(VopArgs.Write a) {
        return Errno.EROFS.number();
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        return Errno.EROFS.number();
    }

    @Override
    public int fallocate(VopArgs.Fallocate a) {
        return Errno.EROFS.number();
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        return Errno.EROFS.number();
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        return Errno.EROFS.number();
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        return Errno.EROFS.number();
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
