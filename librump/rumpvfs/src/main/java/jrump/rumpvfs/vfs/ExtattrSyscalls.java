package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Filedesc;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.SyscallArgs;
import jrump.rumpvfs.vnode.Vnode;

/**
 * The extattr_* calls (NetBSD's vfs_xattr.c): the BSD interface to the same attributes the *xattr calls
 * reach, named by a namespace number and a bare name. _file follows a final symlink, _link does not, _fd
 * uses an open file. extattr_set_* returns the bytes stored, extattr_get_* the attribute's size.
 */
final class ExtattrSyscalls {
    /** sys/extattr.h: the longest attribute name. */
    private static final int EXTATTR_MAXNAMELEN = 255;

    private final Namei namei;

    ExtattrSyscalls(Vfs vfs) {
        this.namei = new Namei(vfs);
    }

    private static int e(Errno errno) {
        return errno.number();
    }

    /** Namespace and name checks every call makes first. */
    private static int checkName(int ns, String name) {
        if (ns != Sys.EXTATTR_NAMESPACE_USER && ns != Sys.EXTATTR_NAMESPACE_SYSTEM) return e(Errno.EINVAL);
        if (name == null) return 0;
        if (name.isEmpty()) return e(Errno.EINVAL);
        if (name.getBytes(StandardCharsets.UTF_8).length > EXTATTR_MAXNAMELEN) return e(Errno.ENAMETOOLONG);
        return 0;
    }

    private int onPath(KLwp l, String path, boolean follow, Function<Vnode, Integer> op) {
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, path, Namei.Op.LOOKUP, follow, r);
        return error != 0 ? error : op.apply(r.get().vp());
    }

    private static int onFd(KLwp l, int fd, Function<Vnode, Integer> op) {
        KFile fp = l.proc().fd().get(fd);
        if (fp == null) return e(Errno.EBADF);
        try {
            Vnode vp = fp.data() instanceof Vnode v ? v : fp.data() instanceof Fifo.Handle h ? h.vp() : null;
            return vp == null ? e(Errno.EOPNOTSUPP) : op.apply(vp);
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    private static int set(KLwp l, Vnode vp, int ns, String name, ByteBuffer data, long[] rv) {
        int size = data.remaining();
        int error = Xattrs.set(vp, ns, name, data, 0, l.cred());
        if (error == 0) rv[0] = size;
        return error;
    }

    // --- set ----------------------------------------------------------------------------------

    int setFile(KLwp l, SyscallArgs.ExtattrSetFile a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), true, vp -> set(l, vp, a.attrnamespace(), a.attrname(), a.data(), rv));
    }

    int setLink(KLwp l, SyscallArgs.ExtattrSetLink a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), false, vp -> set(l, vp, a.attrnamespace(), a.attrname(), a.data(), rv));
    }

    int setFd(KLwp l, SyscallArgs.ExtattrSetFd a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onFd(l, a.fd(), vp -> set(l, vp, a.attrnamespace(), a.attrname(), a.data(), rv));
    }

    // --- get ----------------------------------------------------------------------------------

    int getFile(KLwp l, SyscallArgs.ExtattrGetFile a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), true, vp -> Xattrs.get(vp, a.attrnamespace(), a.attrname(), a.data(), l.cred(), rv));
    }

    int getLink(KLwp l, SyscallArgs.ExtattrGetLink a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), false, vp -> Xattrs.get(vp, a.attrnamespace(), a.attrname(), a.data(), l.cred(), rv));
    }

    int getFd(KLwp l, SyscallArgs.ExtattrGetFd a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onFd(l, a.fd(), vp -> Xattrs.get(vp, a.attrnamespace(), a.attrname(), a.data(), l.cred(), rv));
    }

    // --- delete -------------------------------------------------------------------------------

    int deleteFile(KLwp l, SyscallArgs.ExtattrDeleteFile a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), true, vp -> Xattrs.remove(vp, a.attrnamespace(), a.attrname(), l.cred()));
    }

    int deleteLink(KLwp l, SyscallArgs.ExtattrDeleteLink a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onPath(l, a.path(), false, vp -> Xattrs.remove(vp, a.attrnamespace(), a.attrname(), l.cred()));
    }

    int deleteFd(KLwp l, SyscallArgs.ExtattrDeleteFd a, long[] rv) {
        int error = checkName(a.attrnamespace(), a.attrname());
        return error != 0 ? error : onFd(l, a.fd(), vp -> Xattrs.remove(vp, a.attrnamespace(), a.attrname(), l.cred()));
    }

    // --- list ---------------------------------------------------------------------------------

    int listFile(KLwp l, SyscallArgs.ExtattrListFile a, long[] rv) {
        int error = checkName(a.attrnamespace(), null);
        return error != 0 ? error : onPath(l, a.path(), true, vp -> Xattrs.listNamespace(vp, a.attrnamespace(), a.data(), l.cred(), rv));
    }

    int listLink(KLwp l, SyscallArgs.ExtattrListLink a, long[] rv) {
        int error = checkName(a.attrnamespace(), null);
        return error != 0 ? error : onPath(l, a.path(), false, vp -> Xattrs.listNamespace(vp, a.attrnamespace(), a.data(), l.cred(), rv));
    }

    int listFd(KLwp l, SyscallArgs.ExtattrListFd a, long[] rv) {
        int error = checkName(a.attrnamespace(), null);
        return error != 0 ? error : onFd(l, a.fd(), vp -> Xattrs.listNamespace(vp, a.attrnamespace(), a.data(), l.cred(), rv));
    }
}
