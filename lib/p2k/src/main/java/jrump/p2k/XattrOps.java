package jrump.p2k;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;

/**
 * Extended attributes through the rump kernel's f*xattr calls (Linux semantics already: "user." names, a
 * size of 0 asks for the length, ERANGE when the buffer is short). A regular file without an open handle is
 * opened for the call. Linux keeps user attributes off symlinks and special files; so does p2k.
 */
final class XattrOps {
    private final Served s;

    XattrOps(Served s) {
        this.s = s;
    }

    /** Runs {@code call} on a descriptor of the node; {@code none} for nodes that cannot have attributes. */
    private <T> T withFd(Node n, IntFunction<T> call, T none) {
        if (n.isDirectory()) return call.apply(n.dirFd);
        if (n.type != Stat.S_IFREG) return none;
        // a descriptor the node holds already (an open file, unlinked or not, or the one READ keeps on a
        // read-only mount: cp -a asks for xattrs after reading) saves an openat and a close per request
        T held = s.withOpenFd(n, call);
        if (held != null) return held;
        Node.Link l = s.link(n);
        int tmp = s.sys.openat(l.dir().dirFd, l.name(), Sys.O_RDONLY | Sys.O_NOFOLLOW, 0);
        try {
            return call.apply(tmp);
        } finally {
            s.sys.close(tmp);
        }
    }

    /** GETXATTR: fuse_getxattr_in {size, padding}, name; the value, or fuse_getxattr_out {size} for size 0. */
    void getxattr(Request r, Reply out) {
        Node n = s.node(r.nodeid);
        int size = r.i32(0);
        String name = r.name(8);
        sized(out, size, b -> withFd(n, fd -> s.sys.fgetxattr(fd, name, b), -(long) Served.ENODATA));
    }

    /** LISTXATTR: fuse_getxattr_in {size, padding}; the NUL-separated names, or their length for size 0. */
    void listxattr(Request r, Reply out) {
        Node n = s.node(r.nodeid);
        sized(out, r.i32(0), b -> withFd(n, fd -> s.sys.flistxattr(fd, b), 0L));
    }

    private interface Fill {
        long into(ByteBuffer b);
    }

    private void sized(Reply out, int size, Fill fill) {
        if (size < 0 || size > Sys.XATTR_SIZE_MAX * 2L) throw new Served.Fail(Served.EINVAL);
        if (size == 0) {
            long n = fill.into(ByteBuffer.allocate(0));
            if (n < 0) throw new Served.Fail((int) -n);
            int at = out.grow(8);
            out.i32(at, (int) n);
            return;
        }
        ByteBuffer b = out.room(size);
        long n = fill.into(b);
        if (n < 0) throw new Served.Fail((int) -n);
        out.size += (int) n;
    }

    /** SETXATTR: fuse_setxattr_in as before 7.33 {size, flags}, name, value (p2k does not ask for SETXATTR_EXT). */
    void setxattr(Request r) {
        s.writable();
        Node n = s.node(r.nodeid);
        int size = r.i32(0);
        int lflags = r.i32(4);
        String name = r.name(8);
        ByteBuffer value = r.data(r.afterName(8), size);
        int flags = ((lflags & Fuse.XATTR_CREATE) != 0 ? Sys.XATTR_CREATE : 0) | ((lflags & Fuse.XATTR_REPLACE) != 0 ? Sys.XATTR_REPLACE : 0);
        int err = withFd(n, fd -> {
            s.sys.fsetxattr(fd, name, value, flags);
            return 0;
        }, 1); // EPERM
        if (err != 0) throw new Served.Fail(err);
    }

    /** REMOVEXATTR: name. */
    void removexattr(Request r) {
        s.writable();
        Node n = s.node(r.nodeid);
        String name = r.name(0);
        int err = withFd(n, fd -> {
            s.sys.fremovexattr(fd, name);
            return 0;
        }, Served.ENODATA);
        if (err != 0) throw new Served.Fail(err);
    }
}
