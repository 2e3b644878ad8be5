package jrump.fs.cd9660;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;

/** The cd9660 component (NetBSD's rumpfs_cd9660): registers the "cd9660" type, mounted from a block device. */
public final class Cd9660Component implements RumpComponent {
    @Override
    public String name() {
        return "rumpfs_cd9660";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        VfsTypes.register(kernel, VfsType.fromDevice("cd9660", Cd9660::mount));
        return 0;
    }
}
