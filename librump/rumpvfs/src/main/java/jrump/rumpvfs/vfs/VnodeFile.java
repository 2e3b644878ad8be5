package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.FileOps;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/** Open files that are vnodes (NetBSD's vnops fileops, vfs_vnops.c): I/O under the vnode lock. */
final class VnodeFile implements FileOps {
    static final VnodeFile OPS = new VnodeFile();

    private VnodeFile() {
    }

    static Vnode vnode(KFile fp) {
        return (Vnode) fp.data();
    }

    @Override
    public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
        return io(l, fp, dst, offset, Uio.Rw.READ, retval);
    }

    @Override
    public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
        return io(l, fp, src, offset, Uio.Rw.WRITE, retval);
    }

    private int io(KLwp l, KFile fp, ByteBuffer buf, long offset, Uio.Rw rw, long[] retval) {
        Vnode vp = vnode(fp);
        // a descriptor opened for writing before a forced read-only remount
        if (rw == Uio.Rw.WRITE && vp.mount() != null && vp.mount().readOnly()) return jrump.rumpkern.Errno.EROFS.number();
        boolean positioned = offset >= 0;
        int before = buf.position();
        vp.lock(true);
        try {
            Uio uio = new Uio(buf, positioned ? offset : fp.offset().get(), rw);
            // O_APPEND appends on every write, positioned ones too (NetBSD's vn_write)
            int ioflag = rw == Uio.Rw.WRITE && (fp.flag() & Sys.O_APPEND) != 0 ? IoFlag.IO_APPEND : 0;
            int error = rw == Uio.Rw.READ ? Vop.read(vp, uio, ioflag, l.cred()) : Vop.write(vp, uio, ioflag, l.cred());
            int moved = buf.position() - before;
            if (!positioned) fp.offset().set(uio.offset());
            retval[0] = moved;
            // a short transfer that moved something is a success (POSIX): report the count
            return moved > 0 ? 0 : error;
        } finally {
            vp.unlock();
        }
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public long size(KLwp l, KFile fp) {
        Vnode vp = vnode(fp);
        Vattr va = new Vattr();
        vp.lock(true);
        try {
            int error = Vop.getattr(vp, va, l.cred());
            return error != 0 ? -error : va.size;
        } finally {
            vp.unlock();
        }
    }

    @Override
    public int close(KLwp l, KFile fp) {
        Vnode vp = vnode(fp);
        Vfs vfs = Vfs.of(vp.kernel());
        if (vfs != null) vfs.flocks().closed(vp, fp);
        vp.lock(true);
        try {
            return Vop.close(vp, fp.flag(), l.cred());
        } finally {
            vp.unlock();
        }
    }

    @Override
    public String type() {
        return "vnode";
    }
}
