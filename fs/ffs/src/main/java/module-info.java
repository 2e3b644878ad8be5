/**
 * ffs: the Berkeley Fast File System (NetBSD's sys/ufs/ffs), UFS1 and UFS2 in either byte order, mounted
 * from a block device as {@code mount("ffs", path, flags, "/dev/disk")}. The superblock is searched where
 * NetBSD searches it (byte 65536, 8192, 0, 262144).
 *
 * <p>Not supported: WAPBL journaling (a file system whose log needs replaying is refused for writing),
 * snapshots, quotas.
 */
module jrump.fs.ffs {
    requires transitive jrump.rumpvfs;

    // the component, and the tools' entry points (newfs, makefs, fsck); the file system's code stays private
    exports jrump.fs.ffs;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.fs.ffs.FfsComponent;
    provides jrump.rumpvfs.tool.NewfsProvider with jrump.fs.ffs.FfsNewfs;
    provides jrump.rumpvfs.tool.FsProbe with jrump.fs.ffs.FfsProbe;
}
