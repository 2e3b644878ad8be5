/**
 * rumpvfs: the virtual file system layer of a rump kernel. So far: the vnode interface generated from
 * src/spec/vnode_if.src (VopArgs, VnodeOps, Vop) and the types its operations take. namei, mounts, the
 * vnode and buffer caches, descriptors for files and the file system calls follow (issue 3).
 */
module jrump.rumpvfs {
    requires transitive jrump.rumpkern;

    exports jrump.rumpvfs.vnode;
}
