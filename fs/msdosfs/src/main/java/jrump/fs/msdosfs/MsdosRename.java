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
        if (fitem == null || !sameFile(fs, fdir, fitem, n) || tdir.removed) return Errno.ENOENT.number();
        DirIndex.Item titem = Directory.index(fs, tdir).lookup(tname);
        // the caller checked (sticky bit, types) the target namei found: it must still be the one there
        if ((titem == null) != (existing == null) || (titem != null && !sameFile(fs, tdir, titem, existing))) {
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
        if (existing != null) dropTarget(fs, tdir, titem, existing);
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
        touch(fs, ops, fdir);
        if (tdir != fdir) touch(fs, ops, tdir);
        return 0;
    }

    /** Whether {@code it} is the entry of {@code n}: a directory by its first cluster, a file by its slot. */
    private static boolean sameFile(Msdosfs fs, MsdosNode dir, DirIndex.Item it, MsdosNode n) throws FatError {
        if (n.isDir) return it.isDir() && it.dirCluster() == n.entry.firstCluster;
        return !it.isDir() && Directory.slotPos(fs, dir, it.slot()) == n.entryPos;
    }

    /** The file the target name held leaves (a directory's clusters at once, a file's at its last close). */
    private static void dropTarget(Msdosfs fs, MsdosNode tdir, DirIndex.Item titem, MsdosNode existing) throws FatError {
        Directory.remove(fs, tdir, titem);
        fs.forgetPos(existing.idPos);
        existing.entryPos = MsdosNode.NO_ENTRY;
        existing.removed = true;
        if (existing.isDir) {
            FatChain ch = fs.chain(existing);
            fs.fat.free(ch.array(), 0, ch.length());
            ch.truncate(0);
            existing.index = new DirIndex(0);
        }
    }

    private static void touch(Msdosfs fs, MsdosVnodeOps ops, MsdosNode dir) throws FatError {
        if (dir.isRoot || dir.removed) return;
        int[] t = FatTime.encode(fs.now(), fs.gmtoff());
        dir.entry.wrtDate = t[0];
        dir.entry.wrtTime = t[1];
        fs.writeEntry(ops.resolve(dir));
    }
}
