package jrump.fs.ffs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;

/**
 * Inode, block and fragment allocation of a read-write mount (NetBSD's ffs_alloc.c): cylinder groups
 * loaded on first use and written back at sync, the summary array (fs_csaddr) and the superblock totals
 * kept in step with every bit changed.
 *
 * <p>Policies, as FFS's: a new directory goes to a group with above-average free inodes and blocks and the
 * fewest directories (ffs_dirpref), a file's inode to its directory's group; a file's blocks follow its
 * previous block (contiguous runs), its first blocks go to its inode's group, and every fs_maxbpg blocks of
 * indirect-addressed data move on to the next group with above-average free blocks, so that one large
 * file does not fill a group. A small file's tail takes fragments from a partly used block when one has a
 * free run long enough (ffs_alloccg's use of cg_frsum) and grows in place when it can (ffs_fragextend).
 *
 * <p>Locking: every method runs under the mount's fsLock (FfsWriteOps holds it).
 */
final class Alloc {
    private final Ffs fs;
    private final Superblock sb;
    private final Disk disk;
    private final Cg[] cgs;
    private final boolean[] dirtyCg;
    /** The summary array: per group ndir, nbfree, nifree, nffree. */
    private final int[][] cs;

    private Alloc(Ffs fs, int[][] cs) {
        this.fs = fs;
        this.sb = fs.sb;
        this.disk = fs.disk;
        this.cgs = new Cg[sb.ncg];
        this.dirtyCg = new boolean[sb.ncg];
        this.cs = cs;
    }

    /** ffs_mountfs for writing: reads the summary array and marks the file system not clean on the disk. */
    static Alloc open(Ffs fs) throws FfsError {
        Superblock sb = fs.sb;
        byte[] raw = fs.disk.read(sb.csaddr * sb.fsize, sb.ncg * 16);
        ByteBuffer b = ByteBuffer.wrap(raw).order(sb.order);
        int[][] cs = new int[sb.ncg][4];
        long[] sum = new long[4];
        for (int c = 0; c < sb.ncg; c++) {
            for (int i = 0; i < 4; i++) {
                cs[c][i] = b.getInt();
                if (cs[c][i] < 0) throw FfsError.corrupt("summary of cylinder group " + c + ": negative count");
                sum[i] += cs[c][i];
            }
        }
        // what the groups say is what counts: the superblock's totals are their sum (fsck's rule)
        sb.ndir = sum[0];
        sb.nbfree = sum[1];
        sb.nifree = sum[2];
        sb.nffree = sum[3];
        Alloc a = new Alloc(fs, cs);
        sb.clean = 0;
        sb.time = fs.kernel.wallNanos() / 1_000_000_000L;
        a.writeSuperblock();
        return a;
    }

    private long now() {
        return fs.kernel.wallNanos() / 1_000_000_000L;
    }

    /** Cylinder group {@code c}, loaded and checked on first use. */
    Cg cg(int c) throws FfsError {
        Cg g = cgs[c];
        if (g == null) {
            byte[] raw = disk.read(sb.cgtod(c) * sb.fsize, sb.cgsize);
            g = new Cg(sb, c, raw, this::addTotals);
            if (g.ndir() != cs[c][0] || g.nbfree() != cs[c][1] || g.nifree() != cs[c][2] || g.nffree() != cs[c][3]) {
                throw FfsError.corrupt("cylinder group " + c + ": its totals disagree with the summary area (run fsck)");
            }
            cgs[c] = g;
        }
        return g;
    }

    private void addTotals(int c, int ndir, int nbfree, int nifree, int nffree) {
        cs[c][0] += ndir;
        cs[c][1] += nbfree;
        cs[c][2] += nifree;
        cs[c][3] += nffree;
        synchronized (sb) {
            sb.ndir += ndir;
            sb.nbfree += nbfree;
            sb.nifree += nifree;
            sb.nffree += nffree;
        }
        dirtyCg[c] = true;
    }

    // --- inodes ---------------------------------------------------------------------------------

    /** ffs_valloc: a free inode for a new file in directory {@code dirIno}; ENOSPC when none is left. */
    long allocInode(long dirIno, boolean isDir) throws FfsError {
        if (sb.nifree == 0) throw new FfsError(Errno.ENOSPC, "no free inodes");
        int start = isDir ? dirPref(dirIno) : sb.inoToCg(dirIno);
        for (int c : order(start)) {
            if (cs[c][2] == 0) continue;
            long ino = inodeInCg(cg(c), isDir);
            if (ino >= 0) return ino;
        }
        throw new FfsError(Errno.ENOSPC, "no free inodes");
    }

    /** ffs_dirpref: above-average free inodes and blocks, fewest directories; near the parent below the root. */
    private int dirPref(long parent) {
        long avgifree = sb.nifree / sb.ncg;
        long avgbfree = sb.nbfree / sb.ncg;
        if (parent == Ffs.ROOTINO) {
            int best = -1;
            for (int c = 0; c < sb.ncg; c++) {
                if (cs[c][2] < avgifree || cs[c][1] < avgbfree) continue;
                if (best < 0 || cs[c][0] < cs[best][0]) best = c;
            }
            return best < 0 ? 0 : best;
        }
        int start = sb.inoToCg(parent);
        for (int i = 0; i < sb.ncg; i++) {
            int c = (start + i) % sb.ncg;
            if (cs[c][2] >= avgifree && cs[c][1] >= avgbfree) return c;
        }
        return start;
    }

    /** ffs_nodealloccg: the first free inode of the group after its rotor; initialises UFS2 inode blocks as it goes. */
    private long inodeInCg(Cg g, boolean isDir) throws FfsError {
        int ipg = sb.ipg;
        int from = Math.floorMod(g.irotor(), ipg);
        for (int k = 0; k < ipg; k++) {
            int i = (from + k) % ipg;
            long ino = (long) g.cgx * ipg + i;
            if (ino < Ffs.ROOTINO || g.inodeUsed(i)) continue;
            if (sb.ufs2) initInodes(g, i);
            g.setInodeUsed(i, true, isDir);
            g.setIrotor(i);
            return ino;
        }
        return -1;
    }

    /** UFS2 leaves inode blocks past cg_initediblk unwritten: zero them (with fresh generations) before use. */
    private void initInodes(Cg g, int i) throws FfsError {
        while (g.initediblk() <= i && g.initediblk() < sb.ipg) {
            int first = g.initediblk();
            byte[] blk = new byte[sb.inopb * sb.inodeSize];
            ByteBuffer b = ByteBuffer.wrap(blk).order(sb.order);
            for (int k = 0; k < sb.inopb; k++) b.putInt(k * sb.inodeSize + 80, newGeneration()); // di_gen
            disk.write(sb.inodeOffset((long) g.cgx * sb.ipg + first), blk, 0, blk.length);
            g.setInitediblk(first + sb.inopb);
            dirtyCg[g.cgx] = true;
        }
    }

    /** A random, non-zero di_gen (the hypervisor's randomness: kernel code never asks the host itself). */
    int newGeneration() {
        byte[] r = new byte[4];
        int g;
        do {
            fs.kernel.hyp().getRandom(r);
            g = ByteBuffer.wrap(r).getInt();
        } while (g == 0);
        return g;
    }

    /** ffs_vfree: inode {@code ino} is free again. */
    void freeInode(long ino, boolean isDir) throws FfsError {
        Cg g = cg(sb.inoToCg(ino));
        int i = (int) (ino % sb.ipg);
        if (!g.inodeUsed(i)) throw FfsError.corrupt("freeing free inode " + ino);
        g.setInodeUsed(i, false, isDir);
    }

    // --- blocks and fragments -------------------------------------------------------------------

    /**
     * ffs_alloc: {@code nfrags} contiguous fragments inside one block (a whole block for fs_frag), at
     * {@code pref} when free there, else in {@code pref}'s group or {@code cgHint}'s, else in any group.
     */
    long allocFrags(long pref, int cgHint, int nfrags) throws FfsError {
        if (nfrags < 1 || nfrags > sb.frag) throw new IllegalArgumentException("fragments " + nfrags);
        if (sb.nbfree == 0 && (nfrags == sb.frag || sb.nffree < nfrags)) throw new FfsError(Errno.ENOSPC, "file system full");
        if (pref > 0 && pref < sb.size) {
            int c = (int) (pref / sb.fpg);
            Cg g = cg(c);
            int f = (int) (pref - sb.cgbase(c));
            if (f % sb.frag + nfrags <= sb.frag && runFree(g, f, nfrags)) {
                g.setFree(f, nfrags, false);
                return pref;
            }
            cgHint = c;
        }
        int start = Math.floorMod(cgHint, sb.ncg);
        for (int c : order(start)) {
            if (cs[c][1] == 0 && (nfrags == sb.frag || cs[c][3] < nfrags)) continue;
            long got = nfrags == sb.frag ? blockInCg(cg(c)) : fragsInCg(cg(c), nfrags);
            if (got >= 0) return got;
        }
        throw new FfsError(Errno.ENOSPC, "file system full");
    }

    private static boolean runFree(Cg g, int f, int n) {
        for (int i = 0; i < n; i++) if (!g.isFree(f + i)) return false;
        return true;
    }

    /** ffs_alloccgblk: the first wholly free block of the group from its rotor on. */
    private long blockInCg(Cg g) {
        int nblk = g.ndblk / sb.frag;
        if (nblk == 0) return -1;
        int from = Math.floorMod(g.rotor() / sb.frag, nblk);
        for (int k = 0; k < nblk; k++) {
            int blk = (from + k) % nblk;
            if (!g.isBlockFree(blk)) continue;
            g.setFree(blk * sb.frag, sb.frag, false);
            g.setRotor(blk * sb.frag);
            return sb.cgbase(g.cgx) + (long) blk * sb.frag;
        }
        return -1;
    }

    /**
     * ffs_alloccg for a fragment run: the smallest run length of at least {@code n} that cg_frsum says is
     * there, found from the group's fragment rotor on (ffs_mapsearch); else a new block's first fragments.
     */
    private long fragsInCg(Cg g, int n) {
        int nblk = (g.ndblk + sb.frag - 1) / sb.frag;
        int allocsiz = 0;
        for (int len = n; len < sb.frag; len++) {
            if (g.frsum(len) > 0) {
                allocsiz = len;
                break;
            }
        }
        if (allocsiz > 0 && nblk > 0) {
            int from = Math.floorMod(g.frotor() / sb.frag, nblk);
            for (int k = 0; k < nblk; k++) {
                int blk = (from + k) % nblk;
                int at = runOf(g, blk, allocsiz);
                if (at < 0) continue;
                g.setFree(at, n, false);
                g.setFrotor(at);
                return sb.cgbase(g.cgx) + at;
            }
        }
        long blk = blockInCg(g);
        if (blk < 0) return -1;
        // the block was taken whole: its tail goes back as fragments
        int f = (int) (blk - sb.cgbase(g.cgx));
        g.setFree(f + n, sb.frag - n, true);
        return blk;
    }

    /** The first fragment of a free run of exactly {@code len} in block {@code blk} (not a wholly free block), or -1. */
    private int runOf(Cg g, int blk, int len) {
        int base = blk * sb.frag;
        int run = 0;
        for (int i = 0; i <= sb.frag; i++) {
            if (i < sb.frag && g.isFree(base + i)) {
                run++;
                continue;
            }
            if (run == len && run < sb.frag) return base + i - run;
            run = 0;
        }
        return -1;
    }

    /** ffs_fragextend: grows the run at {@code addr} from {@code oldFrags} to {@code newFrags} in place, if the fragments after it are free. */
    boolean extend(long addr, int oldFrags, int newFrags) throws FfsError {
        int c = (int) (addr / sb.fpg);
        int f = (int) (addr - sb.cgbase(c));
        if (f % sb.frag + newFrags > sb.frag) return false;
        Cg g = cg(c);
        if (!runFree(g, f + oldFrags, newFrags - oldFrags)) return false;
        g.setFree(f + oldFrags, newFrags - oldFrags, false);
        return true;
    }

    /** ffs_blkfree: {@code nfrags} fragments at {@code addr} are free again (never across a block). */
    void free(long addr, int nfrags) throws FfsError {
        if (addr <= 0 || addr + nfrags > sb.size) throw FfsError.corrupt("freeing fragments " + addr + "+" + nfrags + " outside the file system");
        int c = (int) (addr / sb.fpg);
        int f = (int) (addr - sb.cgbase(c));
        if (isMetadata(addr, nfrags)) throw FfsError.corrupt("freeing metadata: fragments " + addr + "+" + nfrags);
        Cg g = cg(c);
        for (int i = 0; i < nfrags; i++) if (g.isFree(f + i)) throw FfsError.corrupt("freeing free fragment " + (addr + i));
        g.setFree(f, nfrags, true);
    }

    /** Whether a run touches a group's superblock copy, group block or inodes, or the summary area. */
    boolean isMetadata(long addr, int nfrags) {
        int c = (int) (addr / sb.fpg);
        long start = c == 0 ? 0 : sb.cgsblock(c);
        long end = sb.cgdmin(c);
        if (addr < end && addr + nfrags > start) return true;
        long csEnd = sb.csaddr + (sb.cssize + sb.fsize - 1) / sb.fsize;
        return addr < csEnd && addr + nfrags > sb.csaddr;
    }

    /**
     * ffs_blkpref: where logical block {@code lbn} of a file should go: right after its previous block, or
     * at the start of a group (its inode's for the first blocks; the next roomy group every fs_maxbpg blocks).
     */
    long blockPref(FfsNode n, long lbn, long prevAddr) throws FfsError {
        int maxbpg = Math.max(1, sb.maxbpg);
        if (lbn >= Dinode.NDADDR && (lbn - Dinode.NDADDR) % maxbpg == 0) {
            int start = prevAddr > 0 ? (int) (prevAddr / sb.fpg) + 1 : sb.inoToCg(n.ino);
            long avgbfree = sb.nbfree / sb.ncg;
            for (int i = 0; i < sb.ncg; i++) {
                int c = (start + i) % sb.ncg;
                if (cs[c][1] >= Math.max(1, avgbfree)) return sb.cgdmin(c);
            }
        }
        if (prevAddr > 0) return prevAddr + sb.frag;
        return sb.cgdmin(sb.inoToCg(n.ino));
    }

    /** ffs_hashalloc's order: the preferred group, a quadratic rehash, then every group. */
    private int[] order(int start) {
        int n = sb.ncg;
        int[] out = new int[n];
        boolean[] seen = new boolean[n];
        int k = 0;
        out[k++] = start;
        seen[start] = true;
        for (int i = 1; i < n; i *= 2) {
            int c = (int) ((start + (long) i) % n);
            if (!seen[c]) {
                seen[c] = true;
                out[k++] = c;
            }
        }
        for (int i = 1; i < n; i++) {
            int c = (start + i) % n;
            if (!seen[c]) {
                seen[c] = true;
                out[k++] = c;
            }
        }
        return out;
    }

    // --- writing back ---------------------------------------------------------------------------

    /** Writes the changed groups, the summary array and the superblock (clean on unmount). */
    void writeSummaries(boolean clean) throws FfsError {
        long t = now();
        for (int c = 0; c < sb.ncg; c++) {
            if (!dirtyCg[c]) continue;
            Cg g = cgs[c];
            g.stamp(t);
            disk.write(sb.cgtod(c) * sb.fsize, g.raw, 0, g.raw.length);
            dirtyCg[c] = false;
        }
        ByteBuffer b = ByteBuffer.allocate(sb.ncg * 16).order(sb.order);
        for (int[] c : cs) for (int v : c) b.putInt(v);
        disk.write(sb.csaddr * sb.fsize, b.array(), 0, b.capacity());
        sb.clean = clean ? Superblock.FS_ISCLEAN : 0;
        sb.time = t;
        writeSuperblock();
    }

    private void writeSuperblock() throws FfsError {
        byte[] raw;
        synchronized (sb) {
            raw = sb.encode().clone();
        }
        disk.write(sb.location, raw, 0, sb.sbsize);
    }

    /** Unmount or a downgrade to read-only: everything written, the file system marked clean. */
    void finish() throws FfsError {
        writeSummaries(true);
    }
}
