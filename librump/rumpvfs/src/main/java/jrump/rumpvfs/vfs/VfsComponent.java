package jrump.rumpvfs.vfs;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** The rumpvfs faction (RUMP__FACTION_VFS): the VFS state and the rumpfs root of a kernel. */
public final class VfsComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpvfs";
    }

    @Override
    public ComponentType type() {
        return ComponentType.VFS;
    }

    @Override
    public int init(Kernel kernel) {
        return Vfs.init(kernel) == null ? Errno.ENOMEM.number() : 0;
    }
}
