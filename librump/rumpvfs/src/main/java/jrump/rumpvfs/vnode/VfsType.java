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
}
