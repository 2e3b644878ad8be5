package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.Out;

/** The operations of a file system type on a mount (struct vfsops). Each returns an errno. */
public interface VfsOps {
    /** The longest fid {@link #vptofh} may make: a handle adds the 8-byte fsid (FHANDLE_SIZE_MAX 80). */
    int FID_MAX = 72;

    /** VFS_ROOT: the root vnode of the mount, referenced and unlocked. */
    int root(Mount mp, Out<Vnode> vpp);

    /**
     * VFS_STATVFS: sizes and counts; the caller fills in the names, flags and fsid. Answer EOPNOTSUPP when
     * the file system cannot tell.
     */
    default int statvfs(Mount mp, Out<jrump.rumpkern.Statvfs> out) {
        return jrump.rumpkern.Errno.EOPNOTSUPP.number();
    }

    /**
     * VFS_VPTOFH: the file's identity within its mount (a fid of at most {@code FID_MAX} bytes) that a
     * file handle carries; EOPNOTSUPP for a file system without file handles.
     */
    default int vptofh(Vnode vp, Out<byte[]> fid) {
        return jrump.rumpkern.Errno.EOPNOTSUPP.number();
    }

    /** VFS_FHTOVP: the vnode a fid of {@link #vptofh} names; ESTALE once that file is gone. */
    default int fhtovp(Mount mp, byte[] fid, Out<Vnode> vpp) {
        return jrump.rumpkern.Errno.EOPNOTSUPP.number();
    }

    /**
     * VFS_UNMOUNT, after VFS_SYNC: lets go of the file system's vnodes (vflush). Vnodes still in use make
     * it EBUSY unless {@code force}; forced, they turn dead (their operations fail with EBADF).
     */
    default int unmount(Mount mp, boolean force) {
        return 0;
    }

    /**
     * MNT_UPDATE: the mount is about to change to {@code flags} (MNT_RDONLY set or cleared); a file system
     * may refuse (EROFS for read-write on an image it can only read) or prepare (replay a journal).
     */
    default int update(Mount mp, int flags) {
        return 0;
    }

    /** VFS_SYNC: writes what the file system keeps in memory. */
    default int sync(Mount mp) {
        return 0;
    }
}
