package jrump.fs.ext2fs;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;

/** The ext2fs component (NetBSD's rumpfs_ext2fs): registers the "ext2fs" type, mounted from a block device. */
public final class Ext2fsComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpfs_ext2fs";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        VfsTypes.register(kernel, VfsType.fromDevice("ext2fs", Ext2fs::mount)); // only ever mounted from a device
        return 0;
    }
}
