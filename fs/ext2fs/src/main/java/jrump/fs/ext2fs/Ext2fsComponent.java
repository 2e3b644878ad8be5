package jrump.fs.ext2fs;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;
import jrump.rumpvfs.vnode.Vnode;

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
        VfsTypes.register(kernel, new VfsType() {
            @Override
            public String name() {
                return "ext2fs";
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
                return Ext2fs.mount(k, covered, flags, devvp, options, fsid, out);
            }
        });
        return 0;
    }
}
