/**
 * rumpvfs: the virtual file system layer of a rump kernel: the vnode interface generated from
 * src/spec/vnode_if.src (VopArgs, VnodeOps, Vop), pathname lookup, open files that are vnodes, the
 * rumpfs root file system and the file system calls. Mounting other file systems, the vnode and buffer
 * caches and etfs follow (issue 3).
 */
module jrump.rumpvfs {
    requires transitive jrump.rumpkern;

    exports jrump.rumpvfs.vnode;
    exports jrump.rumpvfs.tool;
    exports jrump.rumpvfs.rumpfs to jrump.fs.tmpfs;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.rumpvfs.vfs.VfsComponent, jrump.rumpvfs.vfs.VfsSysComponent;
}
