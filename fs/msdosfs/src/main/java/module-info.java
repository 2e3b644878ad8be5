/**
 * msdosfs: FAT12, FAT16 and FAT32 file systems with VFAT long names on a block device, mounted as
 * {@code mount("msdos", path, flags, "/dev/img[,options]")}. The on-disk format is Microsoft's FAT
 * specification (fatgen103). Options (NetBSD's mount_msdos -u -g -m -M -t):
 * <table>
 *   <caption>mount options</caption>
 *   <tr><th>option</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>uid=N</td><td>owner every file shows</td><td>0</td></tr>
 *   <tr><td>gid=N</td><td>group every file shows</td><td>0</td></tr>
 *   <tr><td>mask=OCTAL</td><td>the most permissive mode a file shows</td><td>0755</td></tr>
 *   <tr><td>dirmask=OCTAL</td><td>the same for directories</td><td>mask</td></tr>
 *   <tr><td>gmtoff=SECONDS</td><td>the time zone the volume's local times are in (east of UTC)</td><td>0</td></tr>
 * </table>
 */
module jrump.fs.msdosfs {
    requires transitive jrump.rumpvfs;

    // the component, and Newfs/Makefs/Fsck for the tools; the file system's code stays private
    exports jrump.fs.msdosfs;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.fs.msdosfs.MsdosfsComponent;
    provides jrump.rumpvfs.tool.NewfsProvider with jrump.fs.msdosfs.MsdosNewfs;
    provides jrump.rumpvfs.tool.FsProbe with jrump.fs.msdosfs.MsdosProbe;
}
