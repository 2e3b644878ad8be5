package jrump.fs.msdosfs;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;

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
        VfsTypes.register(kernel, VfsType.fromDevice(TYPE, Msdosfs::mount)); // only ever mounted from a device
        return 0;
    }
}
