package jrump.rumpdev.blk;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The vnode operations of block devices (NetBSD's spec_vnodeops for VBLK, with the disk driver behind
 * them): the I/O is VOP_STRATEGY; the rest reports the device and guards its read-only state.
 *
 * <p>Why a synchronous strategy: its callers (the buffer cache, file systems reading superblocks) wait for
 * the transfer anyway, and a positional host read or write done on the caller's thread costs no thread
 * hand-off and no completion wake-up, where rumpuser_bio's asynchronous form would cost both per block.
 */
final class BlockDeviceOps implements VnodeOps {
    static final BlockDeviceOps INSTANCE = new BlockDeviceOps();

    private BlockDeviceOps() {
    }

    private static WindowDevice device(jrump.rumpvfs.vnode.Vnode vp) {
        return (WindowDevice) vp.data();
    }

    @Override
    public int strategy(VopArgs.Strategy a) {
        int error = device(a.vp()).strategy(a.bp());
        a.bp().error = error;
        return 0; // as spec_strategy: the outcome travels in the buf
    }

    /** VOP_OPEN's mode is NetBSD's FREAD|FWRITE, as a file system's mount passes it. */
    @Override
    public int open(VopArgs.Open a) {
        WindowDevice dev = device(a.vp());
        if (dev.closed()) return Errno.ENXIO.number();
        if ((a.mode() & KFile.FWRITE) != 0 && dev.readOnly()) return Errno.EROFS.number();
        return 0;
    }

    @Override
    public int close(VopArgs.Close a) {
        return 0;
    }

    @Override
    public int access(VopArgs.Access a) {
        WindowDevice dev = device(a.vp());
        if ((a.accmode() & Vaccess.VWRITE) != 0 && dev.readOnly()) return Errno.EROFS.number();
        return Vaccess.check(VType.VBLK, mode(dev), 0, 0, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        WindowDevice dev = device(a.vp());
        if (dev.closed()) return Errno.ENXIO.number();
        Vattr v = a.vap();
        v.type = VType.VBLK;
        v.mode = mode(dev);
        v.nlink = 1;
        v.uid = 0;
        v.gid = 0;
        v.fsid = 0;
        v.fileid = a.vp().id();
        v.size = dev.size();
        v.blocksize = dev.sectorSize();
        v.atime = v.mtime = v.ctime = v.birthtime = 0;
        v.gen = 0;
        v.flags = 0;
        v.rdev = 0;
        v.bytes = dev.size();
        return 0;
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        return device(a.vp()).fsync();
    }

    /** A disk node's mode: owner read-write (read-only for a read-only device), group read, as /dev/sd*. */
    private static int mode(WindowDevice dev) {
        return dev.readOnly() ? 0440 : 0640;
    }
}
