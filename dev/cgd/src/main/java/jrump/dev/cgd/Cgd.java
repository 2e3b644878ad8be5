package jrump.dev.cgd;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpvfs.vnode.DeviceNodes;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/** Configuring cgds (cgdconfig's CGDIOCSET): a device over a block device, named in the kernel's namespace. */
public final class Cgd {
    private Cgd() {
    }

    /**
     * Configures a cgd named {@code name} over the block device named {@code lowerName} (an etfs block key
     * or another kernel device), with {@code params} and {@code key} (copied; the caller wipes its own).
     *
     * @throws DiskException ENXIO when there is no such device, EEXIST when the name is taken, EINVAL for a
     *                       key that does not fit the parameters
     */
    public static CgdDevice configure(Kernel kernel, String name, String lowerName, CgdParams params, byte[] key, boolean readOnly)
            throws DiskException {
        Vnode lower = DeviceNodes.lookup(kernel, lowerName);
        if (lower == null) throw new DiskException(Errno.ENXIO.number(), lowerName + ": no such block device");
        return configure(kernel, name, lower, params, key, readOnly);
    }

    /** As above, over the block device vnode {@code lower}. */
    public static CgdDevice configure(Kernel kernel, String name, Vnode lower, CgdParams params, byte[] key, boolean readOnly)
            throws DiskException {
        if (lower.type() != VType.VBLK) throw new DiskException(Errno.ENOTBLK.number(), name + ": the disk below is not a block device");
        long size = size(lower);
        SectorCipher cipher;
        try {
            cipher = SectorCipher.of(params, key);
        } catch (ParamsException e) {
            throw new DiskException(Errno.EINVAL.number(), name + ": " + e.getMessage());
        }
        CgdDevice dev = new CgdDevice(kernel, name, lower, size, readOnly, cipher);
        int error = DeviceNodes.register(kernel, name, dev.vnode());
        if (error != 0) {
            cipher.close();
            throw new DiskException(error, name + ": cannot be named: " + Errno.of(error).message());
        }
        return dev;
    }

    private static long size(Vnode lower) throws DiskException {
        Vattr va = new Vattr();
        lower.lock(false);
        int error;
        try {
            error = Vop.getattr(lower, va, KCred.ROOT);
        } finally {
            lower.unlock();
        }
        if (error != 0) throw new DiskException(error, "the disk below: " + Errno.of(error).message());
        return va.size;
    }
}
