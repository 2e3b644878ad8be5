package jrump.fs.tmpfs;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.VfsTypes;

/** The tmpfs component: registers the "tmpfs" file system type (RUMP_COMPONENT(VFS)). */
public final class TmpfsComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpfs_tmpfs";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        VfsTypes.register(kernel, new TmpfsType());
        return 0;
    }
}
