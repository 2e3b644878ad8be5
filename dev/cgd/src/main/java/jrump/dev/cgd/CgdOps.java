package jrump.dev.cgd;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/** The vnode operations of cgd devices (spec_vnodeops with cgd's bdevsw behind them). */
final class CgdOps implements VnodeOps {
    static final CgdOps INSTANCE = new CgdOps();

    private CgdOps() {
    }

    private static CgdDevice device(Vnode vp) {
        return (CgdDevice) vp.data();
    }

    @Override
    public int strategy(VopArgs.Strategy a) {
        a.bp().error = device(a.vp()).strategy(a.bp());
        return 0; // as spec_strategy: the outcome travels in the buf
    }

    @Override
    public int open(VopArgs.Open a) {
        CgdDevice dev = device(a.vp());
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
        CgdDevice dev = device(a.vp());
        if ((a.accmode() & Vaccess.VWRITE) != 0 && dev.readOnly()) return Errno.EROFS.number();
        return Vaccess.check(VType.VBLK, dev.readOnly() ? 0440 : 0640, 0, 0, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        CgdDevice dev = device(a.vp());
        if (dev.closed()) return Errno.ENXIO.number();
        Vattr v = a.vap();
        v.type = VType.VBLK;
        v.mode = dev.readOnly() ? 0440 : 0640;
        v.nlink = 1;
        v.uid = 0;
        v.gid = 0;
        v.fsid = 0;
        v.fileid = a.vp().id();
        v.size = dev.size();
        v.blocksize = CgdDevice.SECTOR;
        v.atime = v.mtime = v.ctime = v.birthtime = 0;
        v.gen = 0;
        v.flags = 0;
        v.rdev = 0;
        v.bytes = dev.size();
        return 0;
    }

    /** VOP_FSYNC goes down to the disk below (cgd keeps nothing of its own). */
    @Override
    public int fsync(VopArgs.Fsync a) {
        CgdDevice dev = device(a.vp());
        if (dev.closed()) return Errno.ENXIO.number();
        if (dev.readOnly()) return 0;
        Vnode lower = dev.lower();
        lower.lock(true);
        try {
            return jrump.rumpvfs.vnode.Vop.fsync(lower, a.cred(), a.flags(), a.offlo(), a.offhi());
        } finally {
            lower.unlock();
        }
    }
}
