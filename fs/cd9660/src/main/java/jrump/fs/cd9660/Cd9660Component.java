package jrump.fs.cd9660;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;
import jrump.rumpvfs.vnode.Vnode;

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
        VfsTypes.register(kernel, new VfsType() {
            @Override
            public String name() {
                return "cd9660";
            }

            @Override
            public int mount(Kernel k, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
                return jrump.rumpkern.Errno.ENOTBLK.number(); // only ever mounted from a device
            }

            @Override
            public boolean usesDevice() {
                return true;
            }

            @Override
            public int mountFrom(Kernel k, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
                return Cd9660.mount(k, covered, flags, devvp, options, fsid, out);
            }
        });
        return 0;
    }
}
