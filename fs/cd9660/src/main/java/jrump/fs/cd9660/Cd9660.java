package jrump.fs.cd9660;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeCache;
import jrump.rumpvfs.vnode.Vop;

/**
 * One mounted ISO 9660 image (NetBSD's cd9660_vfsops.c): the device, the session and tree chosen, sectors
 * through the kernel's buffer cache, and a vnode per file through a vnode cache. Always read-only.
 */
final class Cd9660 implements VfsOps {
    static final int SECTOR = VolumeDescriptor.SECTOR;
    /** ECMA-119 §7.5 allows 30 characters, Joliet 64; Rock Ridge names have no limit of their own: the VFS's NAME_MAX. */
    static final int NAME_MAX = 511;
    /** vptofh's fid: the key (8 bytes) and a directory flag. */
    static final int FID_LENGTH = 9;

    final Kernel kernel;
    final Vnode devvp;
    final BufCache bufs;
    final Mount mount;
    final VnodeCache vnodes;
    final IsoVolume vol;
    private final Cd9660VnodeOps ops;

    private Cd9660(Kernel kernel, Vnode devvp, Vnode covered, long fsid, IsoVolume vol) {
        this.kernel = kernel;
        this.devvp = devvp;
        this.bufs = BufCache.of(kernel);
        this.vol = vol;
        this.mount = new Mount(this, "cd9660", covered, fsid, Mount.MNT_RDONLY);
        this.mount.setData(this);
        this.mount.setNameCache(true); // directory searches cost sector reads
        this.vnodes = new VnodeCache(kernel, VnodeCache.defaultMaxFree(kernel));
        this.ops = new Cd9660VnodeOps(this);
    }

    /** cd9660_mountfs: reads the descriptor set, picks the session and the tree, reads the root. */
    static int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        try {
            MountOptions o = MountOptions.parse(options);
            if ((flags & Mount.MNT_RDONLY) == 0) throw new Cd9660Error(Errno.EROFS, "ISO 9660 is read-only: mount with MNT_RDONLY");
            BufCache bufs = BufCache.of(kernel);
            IsoVolume vol = IsoVolume.open((off, len) -> read(bufs, devvp, off, len), o);
            Cd9660 fs = new Cd9660(kernel, devvp, covered, fsid, vol);
            IsoDir.dirNode(vol, vol.rootKey); // an image whose root cannot be read is not mounted
            if (vol.sessionStart != 0) kernel.hyp().consoleLine("cd9660: reading the session at sector " + vol.sessionStart);
            out.set(fs.mount);
            return 0;
        } catch (Cd9660Error e) {
            kernel.hyp().consoleLine("cd9660: mount refused: " + e.getMessage());
            return e.errno();
        }
    }

    // --- the device -----------------------------------------------------------------------------

    /** {@code len} bytes at byte {@code off} of the device, through the buffer cache, 2048-byte sectors. */
    private static byte[] read(BufCache bufs, Vnode devvp, long off, int len) throws Cd9660Error {
        if (off < 0 || len < 0) throw Cd9660Error.corrupt("a read at byte " + off);
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long at = off + done;
            long sector = at / SECTOR;
            int within = (int) (at % SECTOR);
            int n = Math.min(len - done, SECTOR - within);
            Out<CachedBlock> b = new Out<>();
            int error = bufs.bread(devvp, sector * (SECTOR / BufCache.DEV_BSIZE), SECTOR, b);
            if (error != 0) throw new Cd9660Error(error, "reading sector " + sector);
            try {
                System.arraycopy(b.get().bytes(), within, out, done, n);
            } finally {
                bufs.brelse(b.get());
            }
            done += n;
        }
        return out;
    }

    /** Copies {@code len} bytes at image byte {@code off} into {@code dst}. */
    void readCached(long off, ByteBuffer dst, int len) throws Cd9660Error {
        dst.put(read(bufs, devvp, off, len));
    }

    /**
     * Reads {@code len} bytes from image byte {@code off} (a multiple of DEV_BSIZE) straight into
     * {@code dst}: one VOP_STRATEGY, no buffer cache (the image never changes under a mount).
     */
    void readDirect(long off, ByteBuffer dst, int len) throws Cd9660Error {
        Buf io = new Buf(off / BufCache.DEV_BSIZE, dst.slice(dst.position(), len), true);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number();
        if (error != 0) throw new Cd9660Error(error, "reading " + len + " bytes at byte " + off);
        dst.position(dst.position() + len);
    }

    // --- vnodes ---------------------------------------------------------------------------------

    /** The referenced vnode of the directory at {@code key} (VFS_VGET of a directory). */
    int vgetDir(long key, Out<Vnode> vpp) {
        return vnodes.get(key, (k, out) -> {
            try {
                return make(IsoDir.dirNode(vol, k), out);
            } catch (Cd9660Error e) {
                return fail(e);
            }
        }, vpp);
    }

    /** The referenced vnode of a directory entry: a directory by its key, a file from the node the scan made. */
    int vget(IsoDir.Entry e, Out<Vnode> vpp) {
        if (e.damage() != null) return fail(e.damage());
        if (e.file() == null) return vgetDir(e.key(), vpp);
        return vnodes.get(e.key(), (k, out) -> make(e.file(), out), vpp);
    }

    private int make(IsoNode n, Out<Vnode> out) {
        out.set(new Vnode(kernel, mount, ops, n.type, n));
        return 0;
    }

    int fail(Cd9660Error e) {
        kernel.hyp().consoleLine("cd9660: " + e.getMessage());
        return e.errno();
    }

    // --- VfsOps ---------------------------------------------------------------------------------

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        return vgetDir(vol.rootKey, vpp);
    }

    @Override
    public int statvfs(Mount mp, Out<Statvfs> out) {
        long blocks = vol.vd.volumeSpaceSize();
        out.set(new Statvfs(0, vol.lbs, vol.lbs, vol.lbs, blocks, 0, 0, 0, 0, 0, 0, 0, 0, NAME_MAX, 0, "", "", ""));
        return 0;
    }

    @Override
    public int update(Mount mp, int flags) {
        return (flags & Mount.MNT_RDONLY) == 0 ? Errno.EROFS.number() : 0;
    }

    @Override
    public int unmount(Mount mp, boolean force) {
        int error = vnodes.flush(force);
        if (error != 0) return error;
        bufs.invalidate(devvp, true); // read-only: nothing is dirty
        return 0;
    }

    /** A fid: the file's key and whether it is a directory (which loads from its key alone). */
    @Override
    public int vptofh(Vnode vp, Out<byte[]> fid) {
        IsoNode n = (IsoNode) vp.data();
        fid.set(ByteBuffer.allocate(FID_LENGTH).putLong(n.key).put((byte) (n.isDir() ? 1 : 0)).array());
        return 0;
    }

    /** The vnode a fid names: ESTALE for one that names no directory or file record of this image. */
    @Override
    public int fhtovp(Mount mp, byte[] fid, Out<Vnode> vpp) {
        if (fid.length != FID_LENGTH) return Errno.EINVAL.number();
        ByteBuffer b = ByteBuffer.wrap(fid);
        long key = b.getLong();
        boolean dir = b.get() != 0;
        if (key < 0 || key >= vol.end) return Errno.ESTALE.number();
        if (dir) return vgetDir(key, vpp) == 0 ? 0 : Errno.ESTALE.number();
        IsoNode n;
        try {
            n = IsoDir.fileAt(vol, key);
        } catch (Cd9660Error e) {
            return Errno.ESTALE.number();
        }
        if (n == null) return Errno.ESTALE.number();
        return vnodes.get(key, (k, out) -> make(n, out), vpp);
    }
}
