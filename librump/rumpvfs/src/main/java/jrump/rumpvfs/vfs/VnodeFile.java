package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Flock;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.FileOps;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.RecordLocks;
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
            long start = positioned ? offset : fp.offset().get();
            Uio uio = new Uio(buf, start, rw);
            // O_APPEND appends on every write, positioned ones too (NetBSD's vn_write)
            int ioflag = rw == Uio.Rw.WRITE && (fp.flag() & Sys.O_APPEND) != 0 ? IoFlag.IO_APPEND : 0;
            int error = rw == Uio.Rw.READ ? Vop.read(vp, uio, ioflag, l.cred()) : Vop.write(vp, uio, ioflag, l.cred());
            int moved = buf.position() - before;
            // a read that failed midway may not have advanced the offset past what it moved: the next read
            // would return the same bytes again, and a read loop never end
            if (!positioned) fp.offset().set(rw == Uio.Rw.READ && error != 0 ? Math.max(uio.offset(), start + moved) : uio.offset());
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

    /**
     * fcntl's F_GETLK/F_SETLK/F_SETLKW (NetBSD's do_fcntl_lock): the lock type must match how the file is
     * open; SEEK_CUR is resolved against this file's offset; the owner is the process.
     */
    @Override
    public int advlock(KLwp l, KFile fp, int cmd, Flock fl) {
        Vnode vp = vnode(fp);
        Flock abs = new Flock(fl.type, fl.whence, fl.start, fl.len);
        if (fl.whence == Sys.SEEK_CUR) {
            try {
                abs.start = Math.addExact(fl.start, fp.offset().get());
            } catch (ArithmeticException overflow) {
                return Errno.EOVERFLOW.number();
            }
            abs.whence = Sys.SEEK_SET;
        } else if (fl.whence != Sys.SEEK_SET && fl.whence != Sys.SEEK_END) {
            return Errno.EINVAL.number();
        }
        if (cmd == Sys.F_GETLK) {
            int error = Vop.advlock(vp, l.proc(), RecordLocks.F_GETLK, abs, RecordLocks.F_POSIX);
            if (error == 0) {
                fl.type = abs.type;
                fl.whence = abs.whence;
                fl.start = abs.start;
                fl.len = abs.len;
                fl.pid = abs.pid;
            }
            return error;
        }
        int op;
        switch (fl.type) {
            case Flock.F_RDLCK -> {
                if (!fp.readable()) return Errno.EBADF.number();
                op = RecordLocks.F_SETLK;
            }
            case Flock.F_WRLCK -> {
                if (!fp.writable()) return Errno.EBADF.number();
                op = RecordLocks.F_SETLK;
            }
            case Flock.F_UNLCK -> op = RecordLocks.F_UNLCK;
            default -> {
                return Errno.EINVAL.number();
            }
        }
        l.proc().specific().put(RecordLocks.class, Boolean.TRUE);
        int flags = RecordLocks.F_POSIX | (cmd == Sys.F_SETLKW ? RecordLocks.F_WAIT : 0);
        return Vop.advlock(vp, l.proc(), op, abs, flags);
    }

    /** POSIX: closing any descriptor of a file releases the process's record locks on it. */
    @Override
    public void descriptorClosed(KLwp l, KFile fp) {
        if (!l.proc().specific().containsKey(RecordLocks.class)) return; // it never locked (PK_ADVLOCK)
        Flock all = new Flock(Flock.F_UNLCK, (short) Sys.SEEK_SET, 0, 0);
        Vop.advlock(vnode(fp), l.proc(), RecordLocks.F_UNLCK, all, RecordLocks.F_POSIX);
    }

    @Override
    public int close(KLwp l, KFile fp) {
        Vnode vp = vnode(fp);
        Vfs vfs = Vfs.of(vp.kernel());
        if (vfs != null) vfs.flocks().closed(vp, fp);
        int error;
        vp.lock(true);
        try {
            error = Vop.close(vp, fp.flag(), l.cred());
        } finally {
            vp.unlock();
        }
        vp.vrele(); // the open file's reference
        return error;
    }

    @Override
    public String type() {
        return "vnode";
    }
}
