package jrump.fs.ffs;

import java.nio.ByteBuffer;

/**
 * A cylinder group block (NetBSD's struct cg in fs.h), loaded and checked, changed in place: the free
 * fragment map (bit set: free), the used inode map (bit set: used), the cluster map of wholly free blocks
 * and its run-length summary, the fragment-run summary (cg_frsum) and the group's totals. Every change to
 * the free map goes through {@link #setFree}, which takes each touched block's share out of the totals
 * before the change and puts it back after (ffs_alloc.c's fragacct and ffs_clusteracct done as one rule),
 * so the totals, frsum and the cluster map always agree with the bits.
 */
final class Cg {
    /** fs.h CG_MAGIC. */
    static final int CG_MAGIC = 0x090255;
    // byte offsets in struct cg
    static final int O_MAGIC = 4, O_OLD_TIME = 8, O_CGX = 12, O_NDBLK = 20, O_CS = 24, O_ROTOR = 40, O_FROTOR = 44, O_IROTOR = 48,
            O_FRSUM = 52, O_IUSEDOFF = 92, O_FREEOFF = 96, O_NEXTFREEOFF = 100, O_CLUSTERSUMOFF = 104, O_CLUSTEROFF = 108,
            O_NCLUSTERBLKS = 112, O_NIBLK = 116, O_INITEDIBLK = 120, O_TIME = 136;

    final int cgx;
    final byte[] raw;
    final ByteBuffer b;
    private final Superblock sb;
    private final Totals totals;
    final int ndblk;
    final int iusedoff, freeoff, clustersumoff, clusteroff, nclusterblks;

    /** Where the totals every change must keep in step live (the summary array and the superblock). */
    interface Totals {
        void add(int cgx, int ndir, int nbfree, int nifree, int nffree);
    }

    Cg(Superblock sb, int cgx, byte[] raw, Totals totals) throws FfsError {
        this.sb = sb;
        this.cgx = cgx;
        this.raw = raw;
        this.totals = totals;
        this.b = ByteBuffer.wrap(raw).order(sb.order);
        String where = "cylinder group " + cgx;
        if (b.getInt(O_MAGIC) != CG_MAGIC) throw FfsError.corrupt(where + ": bad magic number");
        if (b.getInt(O_CGX) != cgx) throw FfsError.corrupt(where + ": says it is group " + b.getInt(O_CGX));
        ndblk = b.getInt(O_NDBLK);
        if (ndblk != sb.fragsInCg(cgx)) throw FfsError.corrupt(where + ": " + ndblk + " fragments, the superblock says " + sb.fragsInCg(cgx));
        iusedoff = b.getInt(O_IUSEDOFF);
        freeoff = b.getInt(O_FREEOFF);
        clustersumoff = b.getInt(O_CLUSTERSUMOFF);
        clusteroff = b.getInt(O_CLUSTEROFF);
        nclusterblks = b.getInt(O_NCLUSTERBLKS);
        if (!inside(iusedoff, (sb.ipg + 7) / 8) || !inside(freeoff, (sb.fpg + 7) / 8)) throw FfsError.corrupt(where + ": maps outside the block");
        if (sb.contigsumsize > 0) {
            if (nclusterblks != ndblk / sb.frag || !inside(clusteroff, (nclusterblks + 7) / 8)
                    || !inside(clustersumoff, 4 * (sb.contigsumsize + 1))) {
                throw FfsError.corrupt(where + ": cluster maps outside the block");
            }
        }
        if (nifree() < 0 || nifree() > sb.ipg || nbfree() < 0 || nffree() < 0 || ndir() < 0) throw FfsError.corrupt(where + ": impossible totals");
        if (sb.ufs2 && (initediblk() < 0 || initediblk() > sb.ipg)) throw FfsError.corrupt(where + ": initialised inodes " + initediblk());
    }

    private boolean inside(int off, int len) {
        return off >= 0 && len >= 0 && (long) off + len <= raw.length;
    }

    int ndir() {
        return b.getInt(O_CS);
    }

    int nbfree() {
        return b.getInt(O_CS + 4);
    }

    int nifree() {
        return b.getInt(O_CS + 8);
    }

    int nffree() {
        return b.getInt(O_CS + 12);
    }

    private void addCs(int ndir, int nbfree, int nifree, int nffree) {
        b.putInt(O_CS, ndir() + ndir).putInt(O_CS + 4, nbfree() + nbfree).putInt(O_CS + 8, nifree() + nifree).putInt(O_CS + 12, nffree() + nffree);
        totals.add(cgx, ndir, nbfree, nifree, nffree);
    }

    int initediblk() {
        return sb.ufs2 ? b.getInt(O_INITEDIBLK) : sb.ipg;
    }

    void setInitediblk(int n) {
        b.putInt(O_INITEDIBLK, n);
    }

    int rotor() {
        return b.getInt(O_ROTOR);
    }

    void setRotor(int r) {
        b.putInt(O_ROTOR, r);
    }

    int frotor() {
        return b.getInt(O_FROTOR);
    }

    void setFrotor(int r) {
        b.putInt(O_FROTOR, r);
    }

    int irotor() {
        return b.getInt(O_IROTOR);
    }

    void setIrotor(int r) {
        b.putInt(O_IROTOR, r);
    }

    void stamp(long now) {
        b.putInt(O_OLD_TIME, (int) now);
        if (sb.ufs2) b.putLong(O_TIME, now);
    }

    // --- the maps -------------------------------------------------------------------------------

    /** Whether cg-relative fragment {@code f} is free (beyond the group's end: never). */
    boolean isFree(int f) {
        if (f < 0 || f >= ndblk) return false;
        return (raw[freeoff + (f >>> 3)] & (1 << (f & 7))) != 0;
    }

    private void setBit(int off, int i, boolean on) {
        if (on) raw[off + (i >>> 3)] |= (byte) (1 << (i & 7));
        else raw[off + (i >>> 3)] &= (byte) ~(1 << (i & 7));
    }

    private boolean bit(int off, int i) {
        return (raw[off + (i >>> 3)] & (1 << (i & 7))) != 0;
    }

    /** Whether every fragment of cg-relative block {@code blk} is free. */
    boolean isBlockFree(int blk) {
        int base = blk * sb.frag;
        for (int i = 0; i < sb.frag; i++) if (!isFree(base + i)) return false;
        return true;
    }

    /** Marks fragments [{@code f}, {@code f + n}) free or used, keeping every total and summary in step. */
    void setFree(int f, int n, boolean free) {
        int first = f / sb.frag;
        int last = (f + n - 1) / sb.frag;
        for (int blk = first; blk <= last; blk++) account(blk, -1);
        for (int i = f; i < f + n; i++) setBit(freeoff, i, free);
        for (int blk = first; blk <= last; blk++) account(blk, +1);
    }

    /**
     * Adds ({@code sign} +1) or takes out (-1) block {@code blk}'s share: a wholly free block counts in
     * nbfree and the cluster map, a partly free one its free fragments in nffree and its free runs in frsum.
     */
    private void account(int blk, int sign) {
        int base = blk * sb.frag;
        int free = 0;
        int run = 0;
        int[] runs = new int[sb.frag + 1];
        for (int i = 0; i < sb.frag; i++) {
            if (isFree(base + i)) {
                free++;
                run++;
            } else if (run > 0) {
                runs[run]++;
                run = 0;
            }
        }
        if (run > 0) runs[run]++;
        if (free == sb.frag) {
            addCs(0, sign, 0, 0);
            if (sb.contigsumsize > 0 && blk < nclusterblks) clusterAccount(blk, sign);
        } else if (free > 0) {
            addCs(0, 0, 0, sign * free);
            for (int len = 1; len < sb.frag; len++) {
                if (runs[len] != 0) b.putInt(O_FRSUM + 4 * len, b.getInt(O_FRSUM + 4 * len) + sign * runs[len]);
            }
        }
    }

    /** ffs_clusteracct: block {@code blk} joins (+1) or leaves (-1) the free clusters; the run summary follows. */
    private void clusterAccount(int blk, int sign) {
        setBit(clusteroff, blk, sign > 0);
        int css = sb.contigsumsize;
        int forw = 0;
        while (forw < css && blk + 1 + forw < nclusterblks && bit(clusteroff, blk + 1 + forw)) forw++;
        int back = 0;
        while (back < css && blk - 1 - back >= 0 && bit(clusteroff, blk - 1 - back)) back++;
        int whole = Math.min(css, back + forw + 1);
        addSum(whole, sign);
        if (back > 0) addSum(Math.min(css, back), -sign);
        if (forw > 0) addSum(Math.min(css, forw), -sign);
    }

    private void addSum(int len, int delta) {
        int at = clustersumoff + 4 * len;
        b.putInt(at, b.getInt(at) + delta);
    }

    /** The cluster map bit of block {@code blk} (for the checker). */
    boolean clusterFree(int blk) {
        return bit(clusteroff, blk);
    }

    int clusterSum(int len) {
        return b.getInt(clustersumoff + 4 * len);
    }

    int frsum(int len) {
        return b.getInt(O_FRSUM + 4 * len);
    }

    boolean inodeUsed(int i) {
        return bit(iusedoff, i);
    }

    /** Marks inode {@code i} of the group used or free, with the inode and directory counts. */
    void setInodeUsed(int i, boolean used, boolean dir) {
        setBit(iusedoff, i, used);
        int d = dir ? (used ? 1 : -1) : 0;
        addCs(d, 0, used ? -1 : 1, 0);
    }
}
