package jrump.fs.ffs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpkern.Errno;

/**
 * The superblock (NetBSD's struct fs in sys/ufs/ffs/fs.h): the geometry, parsed and checked, and the raw
 * bytes it came from (so that writing it back keeps every field this code does not interpret). UFS1 and UFS2
 * share the layout; UFS1 file systems written before the 4.4BSD-Lite2 field moves keep size, csaddr, time and
 * the summary totals in their "old" places (fs_old_flags without FS_FLAGS_UPDATED), and both places are kept.
 */
final class Superblock {
    /** fs.h: FS_UFS1_MAGIC, FS_UFS2_MAGIC. */
    static final int UFS1_MAGIC = 0x011954;
    static final int UFS2_MAGIC = 0x19540119;
    /**
     * NetBSD 10's fs.h FS_UFS2EA_MAGIC: UFS2 whose inodes may have extended attribute areas, a magic of its
     * own so that older NetBSD kernels (which would not keep the areas) refuse it. The same layout as UFS2;
     * FreeBSD keeps its areas under UFS2_MAGIC, and both are read and written alike here.
     */
    static final int UFS2EA_MAGIC = 0x19012038;
    /** fs.h SBLOCKSEARCH: where the standard superblock may be, in the order NetBSD tries. */
    static final long[] SEARCH = {65536, 8192, 0, 262144};
    /** fs.h SBLOCKSIZE: the bytes read and written for a superblock. */
    static final int SBLOCKSIZE = 8192;
    /** fs.h MINBSIZE and MAXBSIZE (the largest block NetBSD mounts). */
    static final int MINBSIZE = 4096;
    static final int MAXBSIZE = 65536;
    /** fs.h MAXFRAG: fragments per block. */
    static final int MAXFRAG = 8;
    /** fs.h FS_44INODEFMT: 4.4BSD inodes and directories (d_type). */
    static final int FS_44INODEFMT = 2;
    /** fs.h fs_old_flags FS_FLAGS_UPDATED; fs_flags FS_DOWAPBL. */
    static final int FS_FLAGS_UPDATED = 0x80;
    static final int FS_DOWAPBL = 0x100;
    /** fs.h FS_ISCLEAN / FS_WASCLEAN in fs_clean. */
    static final int FS_ISCLEAN = 0x01;

    // byte offsets in struct fs (fs.h)
    static final int O_SBLKNO = 8, O_CBLKNO = 12, O_IBLKNO = 16, O_DBLKNO = 20, O_OLD_CGOFFSET = 24, O_OLD_CGMASK = 28,
            O_OLD_TIME = 32, O_OLD_SIZE = 36, O_OLD_DSIZE = 40, O_NCG = 44, O_BSIZE = 48, O_FSIZE = 52, O_FRAG = 56,
            O_MINFREE = 60, O_BMASK = 72, O_FMASK = 76, O_BSHIFT = 80, O_FSHIFT = 84, O_MAXCONTIG = 88, O_MAXBPG = 92,
            O_FRAGSHIFT = 96, O_FSBTODB = 100, O_SBSIZE = 104, O_NINDIR = 116, O_INOPB = 120, O_OPTIM = 128, O_ID = 144,
            O_OLD_CSADDR = 152, O_CSSIZE = 156, O_CGSIZE = 160, O_IPG = 184, O_FPG = 188, O_OLD_CSTOTAL = 192,
            O_FMOD = 208, O_CLEAN = 209, O_RONLY = 210, O_OLD_FLAGS = 211, O_FSMNT = 212, O_VOLNAME = 680,
            O_CGROTOR = 724, O_MAXBSIZE = 860, O_SBLOCKLOC = 1000, O_CSTOTAL = 1008, O_TIME = 1072, O_SIZE = 1080,
            O_DSIZE = 1088, O_CSADDR = 1096, O_AVGFILESIZE = 1196, O_AVGFPDIR = 1200, O_FLAGS = 1312,
            O_CONTIGSUMSIZE = 1316, O_MAXSYMLINKLEN = 1320, O_INODEFMT = 1324, O_MAXFILESIZE = 1328, O_QBMASK = 1336,
            O_QFMASK = 1344, O_MAGIC = 1372;

    final byte[] raw;
    final ByteOrder order;
    final boolean ufs2;
    /** Byte offset of this superblock on the device. */
    final long location;
    final int sblkno, cblkno, iblkno, dblkno, oldCgOffset, oldCgMask;
    final int ncg, bsize, fsize, frag, bshift, fshift, fragshift, fsbtodb, nindir, inopb;
    final int cssize, cgsize, ipg, fpg, maxcontig, maxbpg, minfree, contigsumsize, maxsymlinklen;
    final long size, dsize, csaddr, maxfilesize;
    /** fs_sbsize: the bytes of the superblock written back. */
    final int sbsize;
    final boolean oldLayout;
    final int inodeSize;
    // the summary totals and state, kept current by a read-write mount
    long ndir, nbfree, nifree, nffree;
    long time;
    int clean;
    int flags;

    private Superblock(byte[] raw, ByteOrder order, long location) throws FfsError {
        this.raw = raw;
        this.order = order;
        this.location = location;
        ByteBuffer b = buf();
        ufs2 = b.getInt(O_MAGIC) != UFS1_MAGIC;
        sblkno = b.getInt(O_SBLKNO);
        cblkno = b.getInt(O_CBLKNO);
        iblkno = b.getInt(O_IBLKNO);
        dblkno = b.getInt(O_DBLKNO);
        oldCgOffset = b.getInt(O_OLD_CGOFFSET);
        oldCgMask = b.getInt(O_OLD_CGMASK);
        ncg = b.getInt(O_NCG);
        bsize = b.getInt(O_BSIZE);
        fsize = b.getInt(O_FSIZE);
        frag = b.getInt(O_FRAG);
        bshift = b.getInt(O_BSHIFT);
        fshift = b.getInt(O_FSHIFT);
        fragshift = b.getInt(O_FRAGSHIFT);
        fsbtodb = b.getInt(O_FSBTODB);
        nindir = b.getInt(O_NINDIR);
        inopb = b.getInt(O_INOPB);
        cssize = b.getInt(O_CSSIZE);
        cgsize = b.getInt(O_CGSIZE);
        ipg = b.getInt(O_IPG);
        fpg = b.getInt(O_FPG);
        maxcontig = b.getInt(O_MAXCONTIG);
        maxbpg = b.getInt(O_MAXBPG);
        minfree = b.getInt(O_MINFREE);
        contigsumsize = b.getInt(O_CONTIGSUMSIZE);
        maxsymlinklen = b.getInt(O_MAXSYMLINKLEN);
        maxfilesize = b.getLong(O_MAXFILESIZE);
        sbsize = b.getInt(O_SBSIZE);
        clean = raw[O_CLEAN];
        oldLayout = !ufs2 && (raw[O_OLD_FLAGS] & FS_FLAGS_UPDATED) == 0;
        if (oldLayout) {
            size = b.getInt(O_OLD_SIZE);
            dsize = b.getInt(O_OLD_DSIZE);
            csaddr = b.getInt(O_OLD_CSADDR);
            time = Integer.toUnsignedLong(b.getInt(O_OLD_TIME));
            ndir = b.getInt(O_OLD_CSTOTAL);
            nbfree = b.getInt(O_OLD_CSTOTAL + 4);
            nifree = b.getInt(O_OLD_CSTOTAL + 8);
            nffree = b.getInt(O_OLD_CSTOTAL + 12);
            flags = raw[O_OLD_FLAGS] & 0xff;
        } else {
            size = b.getLong(O_SIZE);
            dsize = b.getLong(O_DSIZE);
            csaddr = b.getLong(O_CSADDR);
            time = b.getLong(O_TIME);
            ndir = b.getLong(O_CSTOTAL);
            nbfree = b.getLong(O_CSTOTAL + 8);
            nifree = b.getLong(O_CSTOTAL + 16);
            nffree = b.getLong(O_CSTOTAL + 24);
            flags = b.getInt(O_FLAGS);
        }
        inodeSize = ufs2 ? Dinode.UFS2_SIZE : Dinode.UFS1_SIZE;
        check();
    }

    ByteBuffer buf() {
        return ByteBuffer.wrap(raw).order(order);
    }

    /** The superblock in {@code raw} (SBLOCKSIZE bytes read at {@code location}), or null when no magic is there. */
    static Superblock parse(byte[] raw, long location) throws FfsError {
        if (raw.length < SBLOCKSIZE) return null;
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int magic = ByteBuffer.wrap(raw).order(o).getInt(O_MAGIC);
            if (magic != UFS1_MAGIC && magic != UFS2_MAGIC && magic != UFS2EA_MAGIC) continue;
            // fs.h: UFS2 never has its superblock at byte 0 (that is where a UFS1 boot block would be)
            if (magic != UFS1_MAGIC && location == 0) return null;
            return new Superblock(raw, o, location);
        }
        return null;
    }

    /** The geometry must be one NetBSD would mount: every later calculation trusts these. */
    private void check() throws FfsError {
        if (bsize < MINBSIZE || bsize > MAXBSIZE || Integer.bitCount(bsize) != 1) bad("block size " + bsize);
        if (fsize < 512 || fsize > bsize || Integer.bitCount(fsize) != 1) bad("fragment size " + fsize);
        if (frag != bsize / fsize || frag > MAXFRAG) bad("fragments per block " + frag);
        if (1 << bshift != bsize || 1 << fshift != fsize || 1 << fragshift != frag) bad("shifts " + bshift + "/" + fshift + "/" + fragshift);
        if (fsize >> fsbtodb != 512) bad("fsbtodb " + fsbtodb);
        int ptr = ufs2 ? 8 : 4;
        if (nindir != bsize / ptr) bad("pointers per block " + nindir);
        if (inopb != bsize / inodeSize) bad("inodes per block " + inopb);
        if (ncg < 1 || ipg < 1 || fpg < frag || fpg % frag != 0) bad("cylinder groups " + ncg + " x " + ipg + " inodes, " + fpg + " fragments");
        if (ipg % inopb != 0) bad("inodes per group " + ipg + " not whole blocks");
        if ((long) ncg * ipg > 0xffffffffL) bad("too many inodes");
        if (size <= 0 || (size + fpg - 1) / fpg > ncg || size > (1L << 62) / fsize) bad("size " + size + " fragments");
        if (sblkno < 0 || cblkno <= sblkno || iblkno <= cblkno || dblkno <= iblkno || dblkno > fpg) bad("cylinder group layout");
        if ((long) iblkno + (long) ipg / inopb * frag > dblkno) bad("inode blocks overlap the data area");
        if (cgsize < 1 || cgsize > bsize) bad("cylinder group size " + cgsize);
        if (csaddr < 0 || csaddr >= size || cssize < (long) ncg * 16 || cssize > (long) ncg * 16 + bsize) bad("summary area " + csaddr + "/" + cssize);
        if ((long) (ncg - 1) * fpg >= size) bad("more cylinder groups than fragments: " + ncg);
        if (!ufs2) {
            // UFS1's stagger: cgstart = cgbase + cgoffset * (cg & ~cgmask); every group's maps stay inside it
            long maxStagger = Math.min(ncg - 1, ~oldCgMask & 0xffffffffL);
            if (oldCgOffset < 0 || oldCgOffset * maxStagger + dblkno > fpg) bad("cylinder group offset " + oldCgOffset);
        }
        if (maxsymlinklen < 0 || maxsymlinklen > Dinode.addrArea(ufs2)) bad("fast symlink length " + maxsymlinklen);
        if (!ufs2 && b().getInt(O_INODEFMT) < FS_44INODEFMT) {
            throw new FfsError(Errno.EOPNOTSUPP, "a 4.2BSD file system (old inode format): not supported");
        }
        if (sbsize < O_MAGIC + 4 || sbsize > SBLOCKSIZE) bad("superblock size " + sbsize);
        if (contigsumsize < 0 || contigsumsize > 16) bad("cluster summary size " + contigsumsize);
    }

    private ByteBuffer b() {
        return buf();
    }

    private static void bad(String what) throws FfsError {
        throw new FfsError(Errno.EFTYPE, "superblock: impossible " + what);
    }

    // --- geometry (fs.h macros) -----------------------------------------------------------------

    /** cgbase: the first fragment of cylinder group {@code c}. */
    long cgbase(int c) {
        return (long) fpg * c;
    }

    /** cgstart: cgbase plus UFS1's old per-group stagger. */
    long cgstart(int c) {
        if (ufs2) return cgbase(c);
        return cgbase(c) + (long) oldCgOffset * (c & ~oldCgMask);
    }

    /** cgtod: the fragment of group {@code c}'s cylinder group block. */
    long cgtod(int c) {
        return cgstart(c) + cblkno;
    }

    /** cgsblock: group {@code c}'s superblock copy. */
    long cgsblock(int c) {
        return cgstart(c) + sblkno;
    }

    /** cgimin: group {@code c}'s first inode fragment. */
    long cgimin(int c) {
        return cgstart(c) + iblkno;
    }

    /** cgdmin: group {@code c}'s first data fragment. */
    long cgdmin(int c) {
        return cgstart(c) + dblkno;
    }

    /** Fragments of group {@code c} (the last one may be short). */
    int fragsInCg(int c) {
        return (int) Math.min(fpg, size - cgbase(c));
    }

    long inodeCount() {
        return (long) ncg * ipg;
    }

    int inoToCg(long ino) {
        return (int) (ino / ipg);
    }

    /** The byte on the device where inode {@code ino} begins (ino_to_fsba, ino_to_fsbo). */
    long inodeOffset(long ino) {
        int c = inoToCg(ino);
        long inCg = ino % ipg;
        long frag = cgimin(c) + (inCg / inopb) * this.frag;
        return frag * fsize + (inCg % inopb) * inodeSize;
    }

    /** blksize: the bytes of logical block {@code lbn} of a file of {@code fileSize} bytes (only direct blocks are fragments). */
    int blksize(long fileSize, long lbn) {
        if (lbn >= Dinode.NDADDR || fileSize >= (lbn + 1) << bshift) return bsize;
        return fragroundup((int) (fileSize & (bsize - 1)));
    }

    int fragroundup(int n) {
        return (n + fsize - 1) & -fsize;
    }

    long fragroundup(long n) {
        return (n + fsize - 1) & -(long) fsize;
    }

    int numfrags(long bytes) {
        return (int) (bytes >> fshift);
    }

    /** The largest file the pointer tree addresses (and fs_maxfilesize allows). */
    long maxFileSize() {
        long blocks = Dinode.NDADDR;
        long n = nindir;
        for (int i = 0; i < Dinode.NIADDR; i++) {
            blocks += n;
            if (n > (Long.MAX_VALUE >> bshift) / nindir) break;
            n *= nindir;
        }
        long bytes = blocks > Long.MAX_VALUE >> bshift ? Long.MAX_VALUE : blocks << bshift;
        return maxfilesize > 0 ? Math.min(maxfilesize, bytes) : bytes;
    }

    // --- writing back ---------------------------------------------------------------------------

    /** Puts the totals, time and state into {@link #raw} (both places for UFS1, as ffs_oldfscompat_write). */
    byte[] encode() {
        ByteBuffer b = buf();
        b.putLong(O_CSTOTAL, ndir).putLong(O_CSTOTAL + 8, nbfree).putLong(O_CSTOTAL + 16, nifree).putLong(O_CSTOTAL + 24, nffree);
        b.putLong(O_TIME, time);
        if (!ufs2) {
            b.putInt(O_OLD_CSTOTAL, (int) ndir).putInt(O_OLD_CSTOTAL + 4, (int) nbfree).putInt(O_OLD_CSTOTAL + 8, (int) nifree)
                    .putInt(O_OLD_CSTOTAL + 12, (int) nffree);
            b.putInt(O_OLD_TIME, (int) time);
        }
        raw[O_CLEAN] = (byte) clean;
        if (!oldLayout) b.putInt(O_FLAGS, flags);
        return raw;
    }

    String describe() {
        return (ufs2 ? "UFS2" : "UFS1") + (order == ByteOrder.BIG_ENDIAN ? " big-endian" : "") + ", " + bsize + "/" + fsize + ", " + ncg
                + " cylinder groups, superblock at " + location;
    }
}
