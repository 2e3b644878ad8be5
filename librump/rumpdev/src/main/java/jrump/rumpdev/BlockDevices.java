package jrump.rumpdev;

import jrump.rumpdev.blk.HostDisk;
import jrump.rumpdev.blk.WindowDevice;
import jrump.rumpkern.kernel.Kernel;

/** Opening block devices (NetBSD's rumpblk, the host side of rump's disks). */
public final class BlockDevices {
    private BlockDevices() {
    }

    /**
     * Opens the host file {@code hostPath} (a disk image or a host block device) as a block device of
     * {@code kernel}. A read-only device opens the file read-only, so it cannot change it.
     *
     * @throws DiskException the host's errno when the file cannot be opened (EISDIR for a directory,
     *                       ENODEV for other kinds of file), ENODEV when the kernel has no rumpdev
     */
    public static BlockDevice open(Kernel kernel, String hostPath, boolean readOnly) throws DiskException {
        return WindowDevice.whole(HostDisk.open(kernel, hostPath, readOnly));
    }
}
