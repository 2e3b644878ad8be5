package jrump.rumpvfs.vnode;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;

/**
 * Block devices made inside the kernel (a cgd(4) over another device) named in its namespace, as etfs names
 * host files: a name is an absolute path ("/dev/cgd0") that lookups find before any file system, so that
 * mount(2) mounts from it. The device's owner registers it, and removes it before it goes.
 */
public final class DeviceNodes {
    /** What the VFS installs (its etfs table). Methods return errnos. */
    public interface Table {
        int registerDevice(String name, Vnode vp);

        int removeDevice(String name);

        /** The VBLK vnode at {@code name} (a device of this table or an etfs block key), or null. */
        Vnode findDevice(String name);
    }

    private DeviceNodes() {
    }

    private static Table table(Kernel kernel) {
        return kernel.etfs() instanceof Table t ? t : null;
    }

    /** Names {@code vp} (a VBLK vnode) {@code name}: EEXIST when the name is taken, ENODEV without a VFS. */
    public static int register(Kernel kernel, String name, Vnode vp) {
        Table t = table(kernel);
        if (t == null) return Errno.ENODEV.number();
        if (vp.type() != VType.VBLK) return Errno.ENOTBLK.number();
        return t.registerDevice(name, vp);
    }

    /** Removes a name {@link #register} made; ENOENT when there is none. */
    public static int remove(Kernel kernel, String name) {
        Table t = table(kernel);
        return t == null ? Errno.ENODEV.number() : t.removeDevice(name);
    }

    /** The block device named {@code name} (registered here or an etfs block key), or null. */
    public static Vnode lookup(Kernel kernel, String name) {
        Table t = table(kernel);
        return t == null ? null : t.findDevice(name);
    }
}
