package jrump.fs.ffs;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VopArgs;

/** The changing vnode operations of ffs: read-only for now (every change is EROFS). */
final class FfsWriteOps {
    private final Ffs fs;

    FfsWriteOps(Ffs fs) {
        this.fs = fs;
    }

    private static int rofs() {
        return Errno.EROFS.number();
    }

    int make(Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target, Out<Vnode> vpp) {
        return rofs();
    }

    int remove(VopArgs.Remove a) {
        return rofs();
    }

    int rmdir(VopArgs.Rmdir a) {
        return rofs();
    }

    int link(VopArgs.Link a) {
        return rofs();
    }

    int rename(VopArgs.Rename a) {
        return rofs();
    }

    int write(VopArgs.Write a) {
        return rofs();
    }

    int setattr(VopArgs.Setattr a) {
        return rofs();
    }

    int fsync(VopArgs.Fsync a) {
        return 0;
    }

    int reclaim(FfsNode n) {
        return 0;
    }
}
