package jrump.fs.msdosfs;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;

/**
 * rename (NetBSD's msdosfs_rename.c): the entry moves, with its alias made anew for the target directory;
 * a directory that changes parent gets its ".." rewritten; a file the target name held goes first.
 *
 * <p>Locking: runs under the mount's lock; the caller holds and gives back the vnode locks.
 */
final class MsdosRename {
    private MsdosRename() {
    }

    static int rename(Msdosfs fs, MsdosVnodeOps ops, MsdosNode fdir, MsdosNode n, String fname, MsdosNode tdir,
                      MsdosNode existing, String tname, KCred cred) throws FatError {
        if (fs.readOnly()) return Errno.EROFS.number();
        DirIndex.Item fitem = Directory.index(fs, fdir).lookup(fname);
        if (fitem == null || !Directory.isEntryOf(fs, fdir, fitem, n) || tdir.removed) return Errno.ENOENT.number();
        DirIndex.Item titem = Directory.index(fs, tdir).lookup(tname);
        // the caller checked (sticky bit, types) the target namei found: it must still be the one there
        if ((titem == null) != (existing == null) || (titem != null && !Directory.isEntryOf(fs, tdir, titem, existing))) {
            return Errno.ENOENT.number();
        }
        boolean caseOnly = false;
        if (existing == n) {
            // one file: POSIX says do nothing, but on FAT "a" and "A" are one name, and the new case is wanted
            if (fdir != tdir || fname.equals(tname) || titem != fitem) return 0;
            existing = null;
            caseOnly = true;
        }
        ShortNames.check(tname);
        if (n.isDir && Directory.isWithin(fs, tdir.clusterAsParent(), n.entry.firstCluster)) return Errno.EINVAL.number();
        if (existing != null) {
            if (n.isDir && !existing.isDir) return Errno.ENOTDIR.number();
            if (!n.isDir && existing.isDir) return Errno.EISDIR.number();
            if (existing.isDir && !Directory.index(fs, existing).isEmpty()) return Errno.ENOTEMPTY.number();
        }
        // a directory that changes parent has its ".." rewritten: write permission on it (after the types)
        if (n.isDir && fdir != tdir && Vaccess.check(VType.VDIR, ops.mode(n), fs.options.uid(), fs.options.gid(), Vaccess.VWRITE, cred) != 0) {
            return Errno.EACCES.number();
        }
        ops.resolve(n);
        if (existing != null) fs.unlink(tdir, titem, existing); // the file the target name held goes first
        DirIndex.Item moved;
        if (caseOnly) {
            // the old name first, or it would be found as the new one; the room it frees is room enough
            Directory.remove(fs, fdir, fitem);
            moved = Directory.add(fs, tdir, tname, n.entry);
        } else {
            moved = Directory.add(fs, tdir, tname, n.entry);
            Directory.remove(fs, fdir, fitem);
        }
        long pos = Directory.slotPos(fs, tdir, moved.slot());
        n.entryPos = pos;
        n.parentCluster = tdir.clusterAsParent();
        if (!n.isDir) fs.movePos(n, pos);
        if (n.isDir && fdir != tdir) Directory.setDotDot(fs, n.entry.firstCluster, tdir.clusterAsParent());
        ops.touchDir(fdir);
        if (tdir != fdir) ops.touchDir(tdir);
        return 0;
    }
}
