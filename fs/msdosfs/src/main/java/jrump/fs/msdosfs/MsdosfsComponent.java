package jrump.fs.msdosfs;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;
import jrump.rumpvfs.vnode.Vnode;

/** The msdosfs component (NetBSD's rumpfs_msdos): registers the "msdos" type, mounted from a block device. */
public final class MsdosfsComponent implements RumpComponent {
    /** The type name mount(2) takes (NetBSD's MOUNT_MSDOS). */
    public static final String TYPE = "msdos";

    @Override
    public String name() {
        return "rumpfs_msdos";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        VfsTypes.register(kernel, new VfsType() {
            @Override
            public String name() {
                return TYPE;
            }

            @Override
            public int mount(Kernel k, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
                return Errno.ENOTBLK.number(); // only ever mounted from a device
            }

            @Override
            public boolean usesDevice() {
                return true;
            }

            @Override
            public int mountFrom(Kernel k, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
                return Msdosfs.mount(k, covered, flags, devvp, options, fsid, out);
            }
        });
        return 0;
    }
}
