package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * The *xattr calls over the extattr vnode operations: "user.x" is attribute x of the user namespace,
 * "system.x" of the system namespace (root only); other prefixes are EOPNOTSUPP. User attributes need
 * read permission to get and write permission to set or remove.
 */
final class Xattrs {
    static final int EXTATTR_NAMESPACE_USER = 1;
    static final int EXTATTR_NAMESPACE_SYSTEM = 2;

    private Xattrs() {
    }

    private static int e(Errno errno) {
        return errno.number();
    }

    /** The namespace of a full name, 0 for an unknown prefix, -1 for a malformed name. */
    private static int namespace(String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > Sys.XATTR_NAME_MAX) return -1;
        if (name.startsWith("user.") && name.length() > 5) return EXTATTR_NAMESPACE_USER;
        if (name.startsWith("system.") && name.length() > 7) return EXTATTR_NAMESPACE_SYSTEM;
        return 0;
    }

    private static String attr(String name) {
        return name.substring(name.indexOf('.') + 1);
    }

    private static int check(Vnode vp, int ns, int accmode, KCred cred) {
        if (ns == EXTATTR_NAMESPACE_SYSTEM) return cred.isRoot() ? 0 : e(Errno.EPERM);
        return Vop.access(vp, accmode, cred);
    }

    private static int nameError(int ns) {
        return ns < 0 ? e(Errno.ERANGE) : e(Errno.EOPNOTSUPP);
    }

    static int set(Vnode vp, String name, ByteBuffer value, int flags, KCred cred) {
        int ns = namespace(name);
        if (ns <= 0) return nameError(ns);
        return set(vp, ns, attr(name), value, flags, cred);
    }

    /** Sets attribute {@code attr} of namespace {@code ns}; XATTR_CREATE/XATTR_REPLACE as setxattr. */
    static int set(Vnode vp, int ns, String attr, ByteBuffer value, int flags, KCred cred) {
        if ((flags & ~(Sys.XATTR_CREATE | Sys.XATTR_REPLACE)) != 0 || flags == (Sys.XATTR_CREATE | Sys.XATTR_REPLACE)) {
            return e(Errno.EINVAL);
        }
        if (value.remaining() > Sys.XATTR_SIZE_MAX) return e(Errno.E2BIG);
        if (vp.mount() != null && vp.mount().readOnly()) return e(Errno.EROFS);
        vp.lock(true);
        try {
            int error = check(vp, ns, Vaccess.VWRITE, cred);
            if (error != 0) return error;
            Out<Long> size = new Out<>();
            boolean exists = Vop.getextattr(vp, ns, attr, null, size, cred) == 0;
            if (exists && (flags & Sys.XATTR_CREATE) != 0) return e(Errno.EEXIST);
            if (!exists && (flags & Sys.XATTR_REPLACE) != 0) return e(Errno.ENOATTR);
            return Vop.setextattr(vp, ns, attr, new Uio(value.duplicate(), 0, Uio.Rw.WRITE), cred);
        } finally {
            vp.unlock();
        }
    }

    static int get(Vnode vp, String name, ByteBuffer value, KCred cred, long[] rv) {
        int ns = namespace(name);
        if (ns <= 0) return nameError(ns);
        return get(vp, ns, attr(name), value, cred, rv);
    }

    /** Reads attribute {@code attr} of {@code ns} into {@code value} (an empty one asks for the size). */
    static int get(Vnode vp, int ns, String attr, ByteBuffer value, KCred cred, long[] rv) {
        vp.lock(true);
        try {
            int error = check(vp, ns, Vaccess.VREAD, cred);
            if (error != 0) return error;
            Out<Long> size = new Out<>();
            Uio uio = value.remaining() == 0 ? null : new Uio(value, 0, Uio.Rw.READ);
            error = Vop.getextattr(vp, ns, attr, uio, size, cred);
            if (error != 0) return error;
            rv[0] = size.get();
            return 0;
        } finally {
            vp.unlock();
        }
    }

    static int remove(Vnode vp, String name, KCred cred) {
        int ns = namespace(name);
        if (ns <= 0) return nameError(ns);
        return remove(vp, ns, attr(name), cred);
    }

    static int remove(Vnode vp, int ns, String attr, KCred cred) {
        if (vp.mount() != null && vp.mount().readOnly()) return e(Errno.EROFS);
        vp.lock(true);
        try {
            int error = check(vp, ns, Vaccess.VWRITE, cred);
            return error != 0 ? error : Vop.deleteextattr(vp, ns, attr, cred);
        } finally {
            vp.unlock();
        }
    }

    /** Lists "user.x\0..." (and "system.y\0..." for root); an empty buffer asks for the length. */
    static int list(Vnode vp, ByteBuffer out, KCred cred, long[] rv) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int ns : cred.isRoot() ? new int[] {EXTATTR_NAMESPACE_USER, EXTATTR_NAMESPACE_SYSTEM}
                : new int[] {EXTATTR_NAMESPACE_USER}) {
            java.util.List<String> names = new java.util.ArrayList<>();
            int error = names(vp, ns, cred, names);
            if (error == e(Errno.EOPNOTSUPP)) continue;
            if (error != 0) return error;
            String prefix = ns == EXTATTR_NAMESPACE_USER ? "user." : "system.";
            for (String n : names) {
                all.writeBytes((prefix + n).getBytes(StandardCharsets.UTF_8));
                all.write(0);
            }
        }
        return copyOut(all.toByteArray(), out, rv);
    }

    /**
     * extattr_list_*: the names of one namespace, each after a length byte (EXTATTR_LIST_LENPREFIX); an
     * empty buffer asks for the length. Listing the system namespace needs root; user, read permission.
     */
    static int listNamespace(Vnode vp, int ns, ByteBuffer out, KCred cred, long[] rv) {
        if (ns == EXTATTR_NAMESPACE_SYSTEM && !cred.isRoot()) return e(Errno.EPERM);
        java.util.List<String> names = new java.util.ArrayList<>();
        int error = names(vp, ns, cred, names);
        if (error != 0) return error;
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            all.write(b.length);
            all.writeBytes(b);
        }
        return copyOut(all.toByteArray(), out, rv);
    }

    /** The attribute names of {@code ns} (VOP_LISTEXTATTR's NUL-separated list, split). */
    private static int names(Vnode vp, int ns, KCred cred, java.util.List<String> into) {
        vp.lock(true);
        try {
            Out<Long> size = new Out<>();
            int error = Vop.listextattr(vp, ns, null, size, 0, cred);
            if (error != 0) return error;
            ByteBuffer names = ByteBuffer.allocate((int) (long) size.get());
            error = Vop.listextattr(vp, ns, new Uio(names, 0, Uio.Rw.READ), size, 0, cred);
            if (error != 0) return error;
            for (String n : new String(names.array(), 0, names.position(), StandardCharsets.UTF_8).split("\0")) {
                if (!n.isEmpty()) into.add(n);
            }
            return 0;
        } finally {
            vp.unlock();
        }
    }

    private static int copyOut(byte[] bytes, ByteBuffer out, long[] rv) {
        if (out.remaining() > 0) {
            if (out.remaining() < bytes.length) return e(Errno.ERANGE);
            out.put(bytes);
        }
        rv[0] = bytes.length;
        return 0;
    }
}
