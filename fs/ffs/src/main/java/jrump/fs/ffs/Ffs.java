package jrump.fs.ffs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeCache;

/**
 * One mounted FFS (NetBSD's ffs_vfsops.c): the device, the superblock, blocks through the kernel's buffer
 * cache ({@link Disk}), and a vnode per inode through a vnode cache keyed by inode number.
 */
final class Ffs implements VfsOps {
    /** dinode.h UFS_ROOTINO. */
    static final long ROOTINO = 2;
    /** dir.h FFS_MAXNAMLEN. */
    static final int MAXNAMLEN = 255;
    /** The largest link count an inode holds (di_nlink is 16 bits; NetBSD's LINK_MAX). */
    static final int LINK_MAX = 32767;
    static final int FID_LENGTH = 12;

    final Kernel kernel;
    /** The file system's lock (a kernel lock: waiting for it gives the virtual CPU up, see Krecmutex). */
    final jrump.rumpkern.kernel.Krecmutex fsLock;
    final Vnode devvp;
    final Superblock sb;
    final Disk disk;
    final Mount mount;
    final VnodeCache vnodes;
    final FfsVnodeOps ops;
    /** Null on a read-only mount. */
    volatile Alloc alloc;

    private Ffs(Kernel kernel, Vnode devvp, Vnode covered, long fsid, int flags, Superblock sb) {
        this.kernel = kernel;
        this.fsLock = kernel.recursiveMutex();
        this.devvp = devvp;
        this.sb = sb;
        this.disk = new Disk(BufCache.of(kernel), devvp, sb.bsize, sb.size * sb.fsize);
        this.mount = new Mount(this, "ffs", covered, fsid, flags & Mount.MNT_RDONLY);
        this.mount.setData(this);
        this.mount.setNameCache(true); // directory searches cost block reads
        this.vnodes = new VnodeCache(kernel, VnodeCache.defaultMaxFree(kernel));
        this.ops = new FfsVnodeOps(this);
    }

    /** ffs_mountfs: finds and checks the superblock, reads the root, and for writing the summaries. */
    static int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        try {
            if (options != null && !options.isBlank()) throw new FfsError(Errno.EINVAL, "unknown mount options: " + options);
            Superblock sb = findSuperblock(BufCache.of(kernel), devvp);
            Ffs fs = new Ffs(kernel, devvp, covered, fsid, flags, sb);
            FfsNode root = fs.loadNode(ROOTINO);
            if (!root.isDir()) throw FfsError.corrupt("the root inode is not a directory");
            if ((flags & Mount.MNT_RDONLY) == 0) fs.startWriting();
            out.set(fs.mount);
            return 0;
        } catch (FfsError e) {
            kernel.hyp().consoleLine("ffs: mount refused: " + e.getMessage());
            return e.errno();
        }
    }

    /** The first superblock of SBLOCKSEARCH that is there and sane; EFTYPE when none is. */
    static Superblock findSuperblock(BufCache bufs, Vnode devvp) throws FfsError {
        FfsError damaged = null;
        for (long at : Superblock.SEARCH) {
            Out<CachedBlock> b = new Out<>();
            int error = bufs.bread(devvp, at / BufCache.DEV_BSIZE, Superblock.SBLOCKSIZE, b);
            if (error != 0) continue; // a small device: no superblock that far
            byte[] raw = b.get().bytes().clone();
            bufs.brelse(b.get());
            bufs.discard(devvp, at / BufCache.DEV_BSIZE); // later I/O is in file-system blocks: no overlapping buffer stays
            try {
                Superblock sb = Superblock.parse(raw, at);
                if (sb != null) return sb;
            } catch (FfsError e) {
                if (damaged == null) damaged = e;
            }
        }
        if (damaged != null) throw damaged;
        throw new FfsError(Errno.EFTYPE, "no FFS superblock at bytes 65536, 8192, 0 or 262144");
    }

    private void startWriting() throws FfsError {
        if ((sb.flags & Superblock.FS_DOWAPBL) != 0) throw new FfsError(Errno.EROFS, "the file system has a WAPBL log: mount it read-only");
        alloc = Alloc.open(this);
    }

    boolean readOnly() {
        return mount.readOnly();
    }

    // --- inodes ---------------------------------------------------------------------------------

    /** Reads and checks inode {@code ino}: an allocated inode of a known type whose size the tree can hold. */
    FfsNode loadNode(long ino) throws FfsError {
        if (ino < ROOTINO || ino >= sb.inodeCount()) throw FfsError.corrupt("inode number " + ino + " out of range");
        byte[] raw = disk.read(sb.inodeOffset(ino), sb.inodeSize);
        Dinode d = Dinode.decode(sb.ufs2, sb.order, raw);
        int t = d.type();
        if (d.mode == 0 || d.nlink == 0) throw FfsError.corrupt("inode " + ino + " is not allocated");
        boolean known = t == Dinode.IFREG || t == Dinode.IFDIR || t == Dinode.IFLNK || t == Dinode.IFCHR || t == Dinode.IFBLK
                || t == Dinode.IFIFO || t == Dinode.IFSOCK;
        if (!known) throw FfsError.corrupt("inode " + ino + ": unknown type " + Integer.toOctalString(t));
        if (d.size < 0 || d.size > sb.maxFileSize()) throw FfsError.corrupt("inode " + ino + ": size " + d.size);
        if (t == Dinode.IFDIR && d.size % Dir.DIRBLKSIZ != 0) throw FfsError.corrupt("directory " + ino + ": size " + d.size + " not whole directory blocks");
        if (t == Dinode.IFDIR && d.size == 0) throw FfsError.corrupt("directory " + ino + " is empty");
        return new FfsNode(ino, d);
    }

    /** Writes a node's inode back (delayed). Locking: the node's vnode is locked, or the node is new. */
    void writeInode(FfsNode n) throws FfsError {
        boolean fast = n.din.type() == Dinode.IFLNK && isFastLink(n.din);
        byte[] raw = n.din.encode(sb.order, fast);
        disk.write(sb.inodeOffset(n.ino), raw, 0, raw.length);
    }

    /**
     * A symlink whose target is in the inode (ufs_readlink's test: shorter than fs_maxsymlinklen and no
     * blocks but those of UFS2's extended attribute area).
     */
    boolean isFastLink(Dinode d) {
        return d.size < sb.maxsymlinklen && d.blocks == ExtArea.sectors(sb, d);
    }

    // --- vnodes ---------------------------------------------------------------------------------

    /** VFS_VGET: the referenced vnode of inode {@code ino}. */
    int vget(long ino, Out<Vnode> vpp) {
        return vnodes.get(ino, (k, out) -> {
            try {
                FfsNode n = loadNode(k);
                out.set(new Vnode(kernel, mount, ops, n.vtype(), n));
                return 0;
            } catch (FfsError e) {
                return fail(e);
            }
        }, vpp);
    }

    /** A vnode for a node just made (its inode written): cached under its number. */
    int vgetNew(FfsNode n, Out<Vnode> vpp) {
        return vnodes.get(n.ino, (k, out) -> {
            out.set(new Vnode(kernel, mount, ops, n.vtype(), n));
            return 0;
        }, vpp);
    }

    int fail(FfsError e) {
        kernel.hyp().consoleLine("ffs: " + e.getMessage());
        return e.errno();
    }

    // --- VfsOps ---------------------------------------------------------------------------------

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        return vget(ROOTINO, vpp);
    }

    @Override
    public int statvfs(Mount mp, Out<Statvfs> out) {
        long bfree, ffree, files;
        synchronized (sb) { // the allocator changes the totals under the superblock's monitor
            bfree = sb.nbfree * sb.frag + sb.nffree;
            ffree = sb.nifree;
            files = sb.inodeCount() - ROOTINO;
        }
        // fs.h freespace(): what the minfree reserve leaves to ordinary users
        long reserve = sb.dsize * sb.minfree / 100;
        long bavail = Math.max(0, bfree - reserve);
        out.set(new Statvfs(0, sb.bsize, sb.fsize, sb.bsize, sb.dsize, bfree, bavail, reserve, files, ffree, ffree, 0, 0, MAXNAMLEN, 0,
                "", "", ""));
        return 0;
    }

    @Override
    public int update(Mount mp, int flags) {
        fsLock.enter();
        try {
            boolean toRo = (flags & Mount.MNT_RDONLY) != 0;
            try {
                if (toRo && alloc != null) {
                    int error = sync(mp);
                    if (error != 0) return error;
                    alloc.finish();
                    alloc = null;
                    int e2 = disk.flush();
                    if (e2 != 0) return e2;
                } else if (!toRo && alloc == null) {
                    startWriting();
                }
                return 0;
            } catch (FfsError e) {
                return fail(e);
            }
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public int sync(Mount mp) {
        fsLock.enter();
        try {
            Alloc a = alloc;
            if (a == null) return 0;
            try {
                a.writeSummaries(false);
            } catch (FfsError e) {
                return fail(e);
            }
            return disk.flush();
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public int unmount(Mount mp, boolean force) {
        int error = vnodes.flush(force); // reclaims free what nothing names: outside fsLock they take
        if (error != 0) return error;
        fsLock.enter();
        try {
            Alloc a = alloc;
            if (a != null) {
                try {
                    a.finish();
                } catch (FfsError e) {
                    return fail(e);
                }
                alloc = null;
            }
            return disk.invalidate(a == null);
            } finally {
            fsLock.exit();
        }
    }

    /** A fid: the inode number and its generation (ufid). */
    @Override
    public int vptofh(Vnode vp, Out<byte[]> fid) {
        FfsNode n = (FfsNode) vp.data();
        fid.set(ByteBuffer.allocate(FID_LENGTH).putLong(n.ino).putInt(n.din.gen).array());
        return 0;
    }

    @Override
    public int fhtovp(Mount mp, byte[] fid, Out<Vnode> vpp) {
        if (fid.length != FID_LENGTH) return Errno.EINVAL.number();
        ByteBuffer b = ByteBuffer.wrap(fid);
        long ino = b.getLong();
        int gen = b.getInt();
        if (ino < ROOTINO || ino >= sb.inodeCount()) return Errno.ESTALE.number();
        Out<Vnode> got = new Out<>();
        if (vget(ino, got) != 0) return Errno.ESTALE.number();
        FfsNode n = (FfsNode) got.get().data();
        if (n.din.gen != gen || n.din.nlink == 0) {
            got.get().vrele();
            return Errno.ESTALE.number();
        }
        vpp.set(got.get());
        return 0;
    }
}
