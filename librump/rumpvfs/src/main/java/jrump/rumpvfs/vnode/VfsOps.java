package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.Out;

/** The operations of a file system type on a mount (struct vfsops). Each returns an errno. */
public interface VfsOps {
    /** VFS_ROOT: the root vnode of the mount, referenced and unlocked. */
    int root(Mount mp, Out<Vnode> vpp);

    /**
     * VFS_STATVFS: sizes and counts; the caller fills in the names, flags and fsid. Answer EOPNOTSUPP when
     * the file system cannot tell.
     */
    default int statvfs(Mount mp, Out<jrump.rumpkern.Statvfs> out) {
        return jrump.rumpkern.Errno.EOPNOTSUPP.number();
    }

    /** VFS_SYNC: writes what the file system keeps in memory. */
    default int sync(Mount mp) {
        return 0;
    }
}
