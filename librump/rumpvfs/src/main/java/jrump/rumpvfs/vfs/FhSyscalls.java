package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Fhandle;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.SyscallArgs;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.Vnode;

/**
 * File handles (NetBSD's sys_getfh, sys_fhopen, sys_fhstat, sys_fhstatvfs1 in vfs_syscalls.c): a handle is
 * the mount's fsid (8 bytes) followed by the file system's fid. Only root may make or use one
 * (KAUTH_SYSTEM_FILEHANDLE). A handle of no mount, or the wrong shape, is EINVAL; of a file that is gone,
 * ESTALE.
 */
final class FhSyscalls {
    private static final int FSID_BYTES = Long.BYTES;

    private final Vfs vfs;
    private final Namei namei;
    private final VfsSyscalls files;

    FhSyscalls(Vfs vfs, VfsSyscalls files) {
        this.vfs = vfs;
        this.namei = new Namei(vfs);
        this.files = files;
    }

    private static int e(Errno errno) {
        return errno.number();
    }

    int getfh(KLwp l, SyscallArgs.Getfh a, long[] rv) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        Out<Namei.Result> r = new Out<>();
        int error = namei.lookup(l, Sys.AT_FDCWD, a.fname(), Namei.Op.LOOKUP, false, r);
        if (error != 0) return error;
        Vnode vp = r.get().vp();
        Mount mp = vp.mount();
        if (mp == null) return e(Errno.EOPNOTSUPP);
        Out<byte[]> fid = new Out<>();
        error = mp.ops().vptofh(vp, fid);
        if (error != 0) return error;
        if (fid.get().length > VfsOps.FID_MAX) return e(Errno.E2BIG);
        a.fhp().set(new Fhandle(ByteBuffer.allocate(FSID_BYTES + fid.get().length)
                .putLong(mp.fsid()).put(fid.get()).array()));
        return 0;
    }

    /** The vnode a handle names. */
    private int toVnode(KLwp l, Fhandle fh, Out<Vnode> vpp) {
        if (!l.cred().isRoot()) return e(Errno.EPERM);
        byte[] bytes = fh.bytes();
        if (bytes.length <= FSID_BYTES || bytes.length > Fhandle.SIZE_MAX) return e(Errno.EINVAL);
        long fsid = ByteBuffer.wrap(bytes).getLong();
        Mount mp = vfs.mounts().stream().filter(m -> m.fsid() == fsid).findFirst().orElse(null);
        if (mp == null) return e(Errno.ESTALE); // its file system was unmounted
        byte[] fid = java.util.Arrays.copyOfRange(bytes, FSID_BYTES, bytes.length);
        int error = mp.ops().fhtovp(mp, fid, vpp);
        if (error == 0) Vfs.holdForSyscall(l, vpp.get());
        return error;
    }

    int fhopen(KLwp l, SyscallArgs.Fhopen a, long[] rv) {
        // a handle names an existing file: nothing to create
        if ((a.flags() & (Sys.O_CREAT | Sys.O_EXCL)) != 0) return e(Errno.EINVAL);
        if ((a.flags() & Sys.O_ACCMODE) == Sys.O_ACCMODE) return e(Errno.EINVAL);
        Out<Vnode> vp = new Out<>();
        int error = toVnode(l, a.fhp(), vp);
        return error != 0 ? error : files.openVnode(l, vp.get(), a.flags(), false, rv);
    }

    int fhstat(KLwp l, SyscallArgs.Fhstat a, long[] rv) {
        Out<Vnode> vp = new Out<>();
        int error = toVnode(l, a.fhp(), vp);
        if (error != 0) return error;
        return VfsSyscalls.statVnode(vp.get(), l, a.sb());
    }

    int fhstatvfs1(KLwp l, SyscallArgs.Fhstatvfs1 a, long[] rv) {
        if (a.flags() != 0 && a.flags() != Statvfs.ST_WAIT && a.flags() != Statvfs.ST_NOWAIT) return e(Errno.EINVAL);
        Out<Vnode> vp = new Out<>();
        int error = toVnode(l, a.fhp(), vp);
        return error != 0 ? error : VfsSyscalls.statvfsOf(vp.get().mount(), a.buf());
    }
}
