package jrump.p2k;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host side of a FUSE mount: mount(2) of type "fuse.jrump" with the device's descriptor
 * (Documentation/filesystems/fuse.rst: fd, rootmode, user_id, group_id, default_permissions, allow_other,
 * max_read), the connection's number under /sys/fs/fuse/connections, its readahead, and unmounting.
 */
final class FuseMount {
    private static final System.Logger LOG = System.getLogger("jrump.p2k");
    private static final Path CONNECTIONS = Path.of("/sys/fs/fuse/connections");

    private FuseMount() {
    }

    /**
     * Mounts a new FUSE device on {@code mnt} and returns its descriptor: as root with mount(2) directly, else
     * (or when {@code viaFusermount}) through fusermount3. The Linux kernel checks permissions from the modes
     * (default_permissions), since the rump kernel's caller is always its root.
     */
    static int mount(Path mnt, P2k.Options o, boolean viaFusermount) throws IOException {
        String common = "default_permissions" + (o.allowOther() ? ",allow_other" : "") + ",max_read=" + o.maxWrite();
        String source = o.fsName().replace(',', '_');
        if (viaFusermount) {
            return Fusermount.mount(mnt, (o.readOnly() ? "ro" : "rw") + ",nosuid,nodev," + common
                    + ",fsname=" + source + ",subtype=jrump");
        }
        int devFd;
        try {
            devFd = Libc.open("/dev/fuse", Libc.O_RDWR | Libc.O_CLOEXEC);
        } catch (IOException e) {
            throw new IOException("/dev/fuse: cannot open it (" + e.getMessage() + "): is the fuse module there?", e);
        }
        String data = "fd=" + devFd + ",rootmode=40000,user_id=" + Libc.getuid() + ",group_id=" + Libc.getgid() + "," + common;
        long flags = Libc.MS_NOSUID | Libc.MS_NODEV | (o.readOnly() ? Libc.MS_RDONLY : 0);
        try {
            Libc.mount(source, mnt.toString(), "fuse.jrump", flags, data);
        } catch (IOException e) {
            Libc.close(devFd);
            throw e;
        }
        return devFd;
    }

    /** The FUSE connection's number (the mount's anonymous device minor), or -1 when it cannot be read. */
    static long connectionOf(Path mnt) {
        try {
            long dev = ((Number) Files.getAttribute(mnt, "unix:dev")).longValue();
            return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * Lets the kernel read ahead as far as one request carries (its default is 128 KiB, a quarter of what
     * max_pages allows): /sys/class/bdi/0:N/read_ahead_kb. Best effort.
     */
    static void raiseReadahead(long connection, int bytes) {
        if (connection < 0) return;
        Path ra = Path.of("/sys/class/bdi/0:" + connection + "/read_ahead_kb");
        try {
            Files.writeString(ra, Integer.toString(bytes / 1024));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, ra + ": " + e.getMessage());
        }
    }

    /** Unmounts; when files are still open there, detaches the mount and aborts the connection. */
    static void unmount(Path mnt, long connection, boolean viaFusermount) {
        if (viaFusermount) {
            if (!Fusermount.unmount(mnt, false) && Fusermount.unmount(mnt, true)) abort(connection);
            return;
        }
        try {
            Libc.umount2(mnt.toString(), 0);
            return;
        } catch (Libc.HostErrno e) {
            if (e.errno == Libc.EINVAL || e.errno == Libc.ENOENT) return; // not mounted any more
            LOG.log(System.Logger.Level.DEBUG, e.getMessage());
        }
        try {
            Libc.umount2(mnt.toString(), Libc.MNT_DETACH);
        } catch (Libc.HostErrno e) {
            LOG.log(System.Logger.Level.DEBUG, e.getMessage());
        }
        abort(connection);
    }

    /** Aborts the connection (fusectl's abort file): pending and future requests fail, readers see ENODEV. */
    static void abort(long connection) {
        if (connection < 0) return;
        Path abort = CONNECTIONS.resolve(Long.toString(connection)).resolve("abort");
        try {
            if (Files.exists(abort)) Files.writeString(abort, "1");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, abort + ": " + e.getMessage());
        }
    }
}
