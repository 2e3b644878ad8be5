package jrump.fs.ffs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The extattr vnode operations of ffs (FreeBSD's ffs_getextattr, ffs_listextattr, ffs_setextattr,
 * ffs_deleteextattr) over UFS2's attribute area ({@link ExtArea}, {@link ExtAttr}). UFS1 has no area:
 * EOPNOTSUPP. A change rewrites the whole area: a replaced attribute goes to the end, as FreeBSD's does.
 * Permission checks are the caller's (the extattr and xattr calls make them).
 *
 * <p>Locking: the vnode is locked (vnode_if.src); changes also hold the mount's fsLock.
 */
final class FfsExtattrOps {
    private final Ffs fs;

    FfsExtattrOps(Ffs fs) {
        this.fs = fs;
    }

    private static FfsNode node(Vnode vp) {
        return (FfsNode) vp.data();
    }

    /** EOPNOTSUPP for UFS1, EINVAL for an unknown namespace or a name ea_namelength cannot hold; else 0. */
    private int check(int ns, String name) {
        if (!fs.sb.ufs2) return Errno.EOPNOTSUPP.number();
        if (ns != ExtAttr.NAMESPACE_USER && ns != ExtAttr.NAMESPACE_SYSTEM) return Errno.EINVAL.number();
        if (name == null) return 0;
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0) return Errno.EINVAL.number();
        return len > ExtAttr.MAX_NAME ? Errno.ENAMETOOLONG.number() : 0;
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    int get(VopArgs.Getextattr a) {
        int error = check(a.attrnamespace(), a.name());
        if (error != 0) return error;
        try {
            byte[] name = bytes(a.name());
            for (ExtAttr.Record r : ExtArea.records(fs, node(a.vp()))) {
                if (!r.is(a.attrnamespace(), name)) continue;
                return copyOut(r.value(), a.uio(), a.size());
            }
            return Errno.ENOATTR.number();
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

    /** The names of one namespace, each followed by a NUL (ext2fs' convention, which the VFS's Xattrs splits). */
    int list(VopArgs.Listextattr a) {
        int error = check(a.attrnamespace(), null);
        if (error != 0) return error;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ExtAttr.Record r : ExtArea.records(fs, node(a.vp()))) {
                if (r.namespace() != a.attrnamespace()) continue;
                out.writeBytes(r.name());
                out.write(0);
            }
            return copyOut(out.toByteArray(), a.uio(), a.size());
        } catch (FfsError e) {
            return fs.fail(e);
        }
    }

    private static int copyOut(byte[] v, Uio uio, jrump.rumpkern.kernel.Out<Long> size) {
        if (size != null) size.set((long) v.length);
        if (uio != null) {
            if (uio.resid() < v.length) return Errno.ERANGE.number();
            uio.move(v, 0, v.length);
        }
        return 0;
    }

    int set(VopArgs.Setextattr a) {
        int error = check(a.attrnamespace(), a.name());
        if (error != 0) return error;
        Uio uio = a.uio();
        long resid = uio == null ? 0 : uio.resid();
        if (resid < 0) return Errno.EINVAL.number();
        // a value that cannot fit even alone is refused before it is copied in
        if (resid > ExtArea.maxSize(fs.sb)) return Errno.ENOSPC.number();
        byte[] value = new byte[(int) resid];
        if (uio != null) uio.move(value, 0, value.length);
        return change(a.vp(), a.attrnamespace(), bytes(a.name()), value);
    }

    int delete(VopArgs.Deleteextattr a) {
        int error = check(a.attrnamespace(), a.name());
        if (error != 0) return error;
        return change(a.vp(), a.attrnamespace(), bytes(a.name()), null);
    }

    /** Sets ({@code value} non-null) or removes an attribute: ENOATTR for removing one that is not there. */
    private int change(Vnode vp, int ns, byte[] name, byte[] value) {
        fs.fsLock.enter();
        try {
            Alloc alloc = fs.alloc;
            if (alloc == null) return Errno.EROFS.number();
            FfsNode n = node(vp);
            List<ExtAttr.Record> records = new ArrayList<>(ExtArea.records(fs, n));
            boolean had = records.removeIf(r -> r.is(ns, name));
            if (value == null && !had) return Errno.ENOATTR.number();
            if (value != null) records.add(new ExtAttr.Record(ns, name, value));
            byte[] area = ExtAttr.encode(records, fs.sb.order);
            if (area.length > ExtArea.maxSize(fs.sb)) return Errno.ENOSPC.number();
            ExtArea.write(fs, alloc, n, area);
            long t = fs.kernel.wallNanos();
            n.din.ctime = Math.floorDiv(t, 1_000_000_000L);
            n.din.ctimensec = (int) Math.floorMod(t, 1_000_000_000L);
            fs.writeInode(n);
            return 0;
        } catch (FfsError e) {
            return e.errno() == Errno.ENOSPC.number() ? e.errno() : fs.fail(e);
        } finally {
            fs.fsLock.exit();
        }
    }
}
