/**
 * ukfs: a file system image used directly as a library (NetBSD's libukfs). {@code Ukfs.mount(image, options)}
 * boots a private rump kernel, makes the image (or one of its partitions) a block device, detects the file
 * system, mounts it and answers path-level calls; closing it unmounts (syncing) and halts the kernel. The
 * file systems themselves are found at boot (ServiceLoader): put their modules on the module path.
 */
module jrump.ukfs {
    requires transitive jrump.rumpkern;
    requires jrump.rumpvfs;
    requires transitive jrump.rumpdev;

    exports jrump.ukfs;

    uses jrump.rumpvfs.tool.NewfsProvider;
    uses jrump.rumpvfs.tool.FsProbe;
}
