/**
 * tmpfs: a memory file system with a size limit, a node limit and the root's owner and mode as mount
 * options: {@code mount("tmpfs", path, flags, "size=64m,nodes=10000,mode=1777,uid=0,gid=0")}. Sizes take
 * k, m and g suffixes. Its files are sparse: holes cost nothing, and space returns on the last unlink.
 */
module jrump.fs.tmpfs {
    requires jrump.rumpvfs;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.fs.tmpfs.TmpfsComponent;
}
