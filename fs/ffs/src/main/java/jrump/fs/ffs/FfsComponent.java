package jrump.fs.ffs;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;

/** The ffs component (NetBSD's rumpfs_ffs): registers the "ffs" type, mounted from a block device. */
public final class FfsComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpfs_ffs";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        VfsTypes.register(kernel, VfsType.fromDevice("ffs", Ffs::mount));
        return 0;
    }
}
