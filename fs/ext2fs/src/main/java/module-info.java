/**
 * ext2fs: ext2, ext3 and ext4 file systems on a block device, mounted as
 * {@code mount("ext2fs", path, flags, "/dev/img")} where /dev/img is a block device in the kernel's
 * namespace (an etfs BLK key, a rumpdev partition). The on-disk format is e2fsprogs' and the Linux
 * kernel's (Documentation/filesystems/ext4); NetBSD's ext2fs reads revisions 0 and 1 only.
 */
module jrump.fs.ext2fs {
    requires transitive jrump.rumpvfs;

    // the component, and Makefs for the tools (newfs, makefs); the file system's code stays private
    exports jrump.fs.ext2fs;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.fs.ext2fs.Ext2fsComponent;
    provides jrump.rumpvfs.tool.NewfsProvider with jrump.fs.ext2fs.Ext2Newfs;
    provides jrump.rumpvfs.tool.FsProbe with jrump.fs.ext2fs.Ext2Probe;
}
