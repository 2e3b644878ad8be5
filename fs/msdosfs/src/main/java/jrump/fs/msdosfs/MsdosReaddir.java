package jrump.fs.msdosfs;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Uio;

/**
 * readdir: "." and ".." first (cookies 0 and 1, for the root too, which has none on the disk), then each
 * entry with cookie 2 + its first slot, so a getdents offset stays valid while entries before it go.
 * File numbers are the vnode keys stat reports.
 *
 * <p>Locking: runs under the mount's lock.
 */
final class MsdosReaddir {
    private static final int FIRST_ENTRY_COOKIE = 2;

    private MsdosReaddir() {
    }

    static int readdir(Msdosfs fs, MsdosNode dir, Uio uio, Out<Integer> eof) throws FatError {
        long cookie = uio.offset();
        int written = 0;
        boolean full = false;
        if (!dir.removed) {
            while (cookie < FIRST_ENTRY_COOKIE && !full) {
                Dirent d = cookie == 0 ? new Dirent(dir.key, Dirent.DT_DIR, ".") : new Dirent(parentKey(fs, dir), Dirent.DT_DIR, "..");
                if (!d.writeTo(uio.buffer())) {
                    full = true;
                } else {
                    cookie++;
                    written++;
                }
            }
            if (!full) {
                DirIndex idx = Directory.index(fs, dir);
                for (DirIndex.Item it : idx.from((int) Math.min(Integer.MAX_VALUE, cookie - FIRST_ENTRY_COOKIE))) {
                    if (it.kind() != DirIndex.Kind.FILE) continue;
                    long pos = Directory.slotPos(fs, dir, it.slot());
                    long fileno = fs.keyOf(fs.idPos(it.isDir(), it.dirCluster(), pos));
                    if (!new Dirent(fileno, MsdosVnodeOps.dtype(it.isDir()), it.name()).writeTo(uio.buffer())) {
                        full = true;
                        cookie = FIRST_ENTRY_COOKIE + it.first();
                        break;
                    }
                    written++;
                    cookie = FIRST_ENTRY_COOKIE + it.slot() + 1;
                }
            }
        }
        if (written == 0 && full) return jrump.rumpkern.Errno.EINVAL.number(); // smaller than one entry
        uio.setOffset(cookie);
        if (eof != null) eof.set(full ? 0 : 1);
        return 0;
    }

    private static long parentKey(Msdosfs fs, MsdosNode dir) throws FatError {
        if (dir.isRoot) return dir.key;
        long p = Directory.dotDotCluster(fs, dir.entry.firstCluster);
        return p == 0 || (fs.bpb.isFat32() && p == fs.bpb.rootCluster) ? Msdosfs.ROOT_KEY : fs.keyOf(fs.bpb.clusterOffset(p));
    }
}
