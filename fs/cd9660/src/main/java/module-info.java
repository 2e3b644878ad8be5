/**
 * cd9660: ISO 9660 images (ECMA-119 levels 1-3 and ISO 9660:1999) with Rock Ridge (IEEE P1282 over
 * SUSP, IEEE P1281) and Joliet, read-only, mounted as {@code mount("cd9660", path, MNT_RDONLY, "/dev/cd")}
 * where /dev/cd is a block device in the kernel's namespace (an etfs BLK key, a rumpdev partition).
 *
 * <p>Mount options after the device, comma-separated, as mount_cd9660(8)'s {@code -o}:
 * <table>
 * <caption>options</caption>
 * <tr><th>option</th><th>meaning</th></tr>
 * <tr><td>norrip</td><td>ignore Rock Ridge (then Joliet, else plain ISO 9660 names)</td></tr>
 * <tr><td>nojoliet</td><td>ignore the Joliet tree</td></tr>
 * <tr><td>gens</td><td>keep the ";1" version suffixes of plain ISO 9660 names</td></tr>
 * <tr><td>nomaplcase</td><td>do not map plain ISO 9660 names to lower case</td></tr>
 * <tr><td>session=N</td><td>read the session whose volume descriptors start at sector N + 16
 *     (default: the last session found in the image)</td></tr>
 * </table>
 *
 * <p>{@link jrump.fs.cd9660.Makefs} builds images (for {@code jrump makefs -t cd9660}) and
 * {@link jrump.fs.cd9660.ElTorito} reads an image's boot catalogue (for {@code jrump info}).
 */
module jrump.fs.cd9660 {
    requires transitive jrump.rumpvfs;

    // the component, Makefs and the El Torito reader for the tools; the file system's code stays private
    exports jrump.fs.cd9660;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.fs.cd9660.Cd9660Component;
    provides jrump.rumpvfs.tool.FsProbe with jrump.fs.cd9660.Cd9660Probe;
}
