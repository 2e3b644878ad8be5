/**
 * rumpdev: the block-device faction of a rump kernel. A host file (a disk image) becomes a block device
 * whose VBLK vnode answers VOP_STRATEGY; MBR and GPT partition tables are read from it, and a partition or
 * any byte window of a device is a device of its own. File systems mount from these devices:
 * {@code BlockDevices.open(kernel, "disk.img", readOnly).partition(1).vnode()}.
 */
module jrump.rumpdev {
    requires transitive jrump.rumpvfs;

    exports jrump.rumpdev;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.rumpdev.blk.RumpdevComponent;
}
