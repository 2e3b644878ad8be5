package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;

/**
 * A file system type (struct vfsops's mount half): what mount(2) calls to make a new mount. File-system
 * components register theirs with {@link VfsTypes#register}.
 */
public interface VfsType {
    /** The name mount(2) takes: "rumpfs", "tmpfs", "ext2fs"... */
    String name();

    /**
     * Makes a mount of this type covering {@code covered}. {@code options} is the comma-separated option
     * string given to mount(2), or null. Returns an errno.
     */
    int mount(Kernel kernel, Vnode covered, int flags, String options, long fsid, Out<Mount> out);

    /**
     * Whether this type mounts from a block device: then mount(2)'s option string starts with the device's
     * path (NetBSD's fspec: "/dev/img" or "/dev/img,opt,..."), and the VFS looks it up and calls
     * {@link #mountFrom} with the device's vnode instead of {@link #mount}.
     */
    default boolean usesDevice() {
        return false;
    }

    /**
     * Makes a mount of this type from block device {@code devvp} (VBLK, referenced by the VFS for the
     * mount's life); {@code options} is what follows the device path, or "". Returns an errno.
     */
    default int mountFrom(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        return jrump.rumpkern.Errno.EOPNOTSUPP.number();
    }

    /** How a file system on a block device makes its mount: {@link #mountFrom}'s arguments and result. */
    @FunctionalInterface
    interface DeviceMount {
        int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out);
    }

    /** A type that is only ever mounted from a block device (mount without one: ENOTBLK). */
    static VfsType fromDevice(String name, DeviceMount mountFrom) {
        return new VfsType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int mount(Kernel kernel, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
                return jrump.rumpkern.Errno.ENOTBLK.number();
            }

            @Override
            public boolean usesDevice() {
                return true;
            }

            @Override
            public int mountFrom(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
                return mountFrom.mount(kernel, covered, flags, devvp, options, fsid, out);
            }
        };
    }
}
