package jrump.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpvfs.tool.ImageWriter;

/**
 * newfs: an empty FFS (UFS1 or UFS2, either byte order) with the layout NetBSD's newfs gives one: the
 * superblock at byte 8192 (UFS1) or 65536 (UFS2) and a copy in every cylinder group, each group's block
 * after that copy, then its inodes, then its data; the summary area at the start of group 0's data; an
 * empty root directory. Groups are as large as one cylinder group block's maps allow.
 */
public final class Newfs {
    /** fs.h SBLOCK_UFS1, SBLOCK_UFS2. */
    static final long SBLOCK_UFS1 = 8192;
    static final long SBLOCK_UFS2 = 65536;
    /** The fixed part of struct cg (fs.h), before its maps. */
    static final int CG_HEADER = 168;
    /** fs.h MAXCONTIG default and FS_MAXCONTIG's limit for the cluster summary. */
    static final int MAXPHYS = 64 * 1024;
    static final int FS_MAXCONTIG = 16;
    /** newfs' defaults: 5% kept back, average file 16 KiB, 64 files per directory. */
    static final int MINFREE = 5;
    static final int AVGFILESIZE = 16384;
    static final int AVGFPDIR = 64;

    private Newfs() {
    }

    /**
     * What to make: {@code ufs2} or UFS1; {@code bsize}/{@code fsize} 0 to choose from the size (4096/512
     * below 32 MiB, 16384/2048 below 1 GiB, 32768/4096 above); {@code density} bytes of data per inode (0:
     * four fragments); {@code bigEndian} for the other byte order; {@code time} seconds since the epoch.
     */
    public record Options(long sizeBytes, boolean ufs2, int bsize, int fsize, int density, boolean bigEndian, long time) {
        public Options {
            if (bsize != 0 && (Integer.bitCount(bsize) != 1 || bsize < Superblock.MINBSIZE || bsize > Superblock.MAXBSIZE)) {
                throw new IllegalArgumentException("block size " + bsize + " (a power of two from 4096 to 65536)");
            }
            if (fsize != 0 && (Integer.bitCount(fsize) != 1 || fsize < 512)) throw new IllegalArgumentException("fragment size " + fsize);
            if (density < 0) throw new IllegalArgumentException("inode density " + density);
        }

        public static Options of(long sizeBytes, boolean ufs2) {
            return new Options(sizeBytes, ufs2, 0, 0, 0, false, 0);
        }

        int chosenBsize() {
            if (bsize != 0) return bsize;
            if (fsize != 0) return Math.min(Superblock.MAXBSIZE, Math.max(Superblock.MINBSIZE, fsize * 8));
            return sizeBytes < 32L << 20 ? 4096 : sizeBytes < 1L << 30 ? 16384 : 32768;
        }

        int chosenFsize() {
            if (fsize != 0) return fsize;
            return Math.max(512, chosenBsize() / 8);
        }
    }

    /** What was made: the size in bytes (the caller's, cut to whole fragments), the groups and the inodes. */
    public record Result(long sizeBytes, int cylinderGroups, long inodes, int bsize, int fsize) {
    }

    /** Formats: superblocks, cylinder groups, zeroed initial inode blocks, the summary area, the root. */
    public static Result format(Options o, ImageWriter sink) throws IOException {
        Layout l = Layout.of(o);
        l.write(sink);
        return new Result(l.size * l.fsize, l.ncg, (long) l.ncg * l.ipg, l.bsize, l.fsize);
    }

    /** The geometry, and the writing of it. */
    private static final class Layout {
        final Options o;
        final boolean ufs2;
        final ByteOrder order;
        final int bsize, fsize, frag, inodeSize, inopb, nindir;
        final long sblockloc;
        int sblkno, cblkno, iblkno, dblkno, ipg, fpg, ncg, cgsize, cssize, contigsumsize, maxcontig;
        int iusedoff, freeoff, clustersumoff, clusteroff, nextfreeoff, btotoff, boff;
        long size;
        long csaddr;

        private Layout(Options o) {
            this.o = o;
            ufs2 = o.ufs2();
            order = o.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            bsize = o.chosenBsize();
            fsize = o.chosenFsize();
            if (bsize / fsize > Superblock.MAXFRAG || fsize > bsize) throw new IllegalArgumentException("block " + bsize + " / fragment " + fsize + ": 1 to 8 fragments a block");
            frag = bsize / fsize;
            inodeSize = ufs2 ? Dinode.UFS2_SIZE : Dinode.UFS1_SIZE;
            inopb = bsize / inodeSize;
            nindir = bsize / (ufs2 ? 8 : 4);
            sblockloc = ufs2 ? SBLOCK_UFS2 : SBLOCK_UFS1;
        }

        static Layout of(Options o) {
            Layout l = new Layout(o);
            l.plan();
            return l;
        }

        private static int howmany(long x, long y) {
            return (int) ((x + y - 1) / y);
        }

        private static int roundup(int x, int y) {
            return (x + y - 1) / y * y;
        }

        private void plan() {
            size = o.sizeBytes() / fsize;
            // mkfs.c: the superblock's copy, then the group block, each rounded to whole blocks
            sblkno = roundup(howmany(sblockloc + Superblock.SBLOCKSIZE, fsize), frag);
            cblkno = sblkno + roundup(howmany(Superblock.SBLOCKSIZE, fsize), frag);
            iblkno = cblkno + frag;
            maxcontig = Math.max(1, Math.min(MAXPHYS, bsize * 8) / bsize);
            contigsumsize = Math.min(maxcontig, FS_MAXCONTIG);
            int density = o.density() > 0 ? o.density() : 4 * fsize;
            // the largest group whose maps fit one block: fpg bits of free map, fpg/frag of cluster map, ipg of inode map
            int best = 0;
            for (int f = frag * 8; ; f += frag * 8) {
                int ip = ipgFor(f, density);
                if (mapBytes(f, ip) > bsize || f > (1 << 30)) break;
                if ((long) iblkno + (long) ip / inopb * frag >= f) continue; // inodes must leave data room
                best = f;
                if (f >= size + frag) break;
            }
            if (best == 0) throw new IllegalArgumentException("block size " + bsize + " too small for a cylinder group");
            fpg = best;
            ipg = ipgFor(fpg, density);
            dblkno = iblkno + ipg / inopb * frag;
            ncg = howmany(size, fpg);
            // a last group too small for its metadata and some data is dropped (mkfs.c)
            long last = size - (long) (ncg - 1) * fpg;
            if (ncg > 1 && last < dblkno + 4L * frag) {
                ncg--;
                size = (long) ncg * fpg;
            }
            if (size < dblkno + 4L * frag) throw new IllegalArgumentException(o.sizeBytes() + " bytes: too small for FFS with " + bsize + "-byte blocks");
            cssize = fragroundup(ncg * 16);
            offsets(ipg);
            cgsize = fragroundup(nextfreeoff);
            csaddr = dblkno; // group 0's data area starts with the summary
            if (csaddr + cssize / fsize + frag > size) throw new IllegalArgumentException(o.sizeBytes() + " bytes: too small");
        }

        private int ipgFor(int f, int density) {
            long want = (long) f * fsize / density;
            int ip = roundup((int) Math.max(inopb, Math.min(want, 1L << 24)), inopb);
            return Math.min(ip, roundup(Math.max(inopb, f / 2), inopb));
        }

        private int mapBytes(int f, int ip) {
            int at = CG_HEADER + (ufs2 ? 0 : 6);
            at += howmany(ip, 8) + howmany(f, 8);
            at = roundup(at, 4) + 4 * contigsumsize;
            return at + howmany(f / frag, 8);
        }

        private void offsets(int ip) {
            int at = CG_HEADER;
            if (!ufs2) {
                btotoff = at; // one cylinder per group: one btot, one rotational position
                boff = at + 4;
                at += 6;
            }
            iusedoff = at;
            freeoff = iusedoff + howmany(ip, 8);
            clustersumoff = roundup(freeoff + howmany(fpg, 8), 4) - 4; // clustersum[0] is never used
            clusteroff = clustersumoff + 4 * (contigsumsize + 1);
            nextfreeoff = clusteroff + howmany(fpg / frag, 8);
        }

        private int fragroundup(int n) {
            return roundup(n, fsize);
        }

        long cgbase(int c) {
            return (long) fpg * c;
        }

        int fragsIn(int c) {
            return (int) Math.min(fpg, size - cgbase(c));
        }

        // --- writing ----------------------------------------------------------------------------

        void write(ImageWriter sink) throws IOException {
            long t = o.time();
            int initedInodes = ufs2 ? Math.min(ipg, 2 * inopb) : ipg;
            int[][] cs = new int[ncg][4];
            long rootFrag = csaddr + cssize / fsize;
            byte[][] cgBlocks = new byte[ncg][];
            for (int c = 0; c < ncg; c++) cgBlocks[c] = cylinderGroup(c, t, initedInodes, rootFrag, cs);
            // the inodes: zeroed (UFS2: only the initialised ones), the root's filled in
            for (int c = 0; c < ncg; c++) {
                int n = initedInodes * inodeSize;
                ByteBuffer zeros = ByteBuffer.allocate(Math.min(n, 1 << 20));
                for (int done = 0; done < n; done += zeros.capacity()) {
                    zeros.clear().limit(Math.min(zeros.capacity(), n - done));
                    sink.write((cgbase(c) + iblkno) * fsize + done, zeros);
                }
                sink.write((cgbase(c) + cblkno) * (long) fsize, ByteBuffer.wrap(cgBlocks[c]));
            }
            writeRoot(sink, rootFrag, t);
            ByteBuffer csum = ByteBuffer.allocate(cssize).order(order);
            for (int[] g : cs) for (int v : g) csum.putInt(v);
            sink.write(csaddr * fsize, csum.flip());
            byte[] sb = superblock(cs, t);
            sink.write(sblockloc, ByteBuffer.wrap(sb));
            for (int c = 0; c < ncg; c++) sink.write((cgbase(c) + sblkno) * fsize, ByteBuffer.wrap(sb));
            // the image reaches its full size
            sink.write(size * fsize - 1, ByteBuffer.allocate(1));
        }

        /** Group {@code c}'s block: maps built through {@link Cg} itself, so its totals and summaries follow the bits. */
        private byte[] cylinderGroup(int c, long t, int initedInodes, long rootFrag, int[][] cs) {
            byte[] raw = new byte[cgsize];
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            b.putInt(Cg.O_MAGIC, Cg.CG_MAGIC).putInt(Cg.O_OLD_TIME, (int) t).putInt(Cg.O_CGX, c).putInt(Cg.O_NDBLK, fragsIn(c));
            if (!ufs2) {
                b.putShort(16, (short) 1); // cg_old_ncyl
                b.putShort(18, (short) ipg); // cg_old_niblk
                b.putInt(84, btotoff).putInt(88, boff);
            } else {
                b.putInt(Cg.O_NIBLK, ipg).putInt(Cg.O_INITEDIBLK, initedInodes).putLong(Cg.O_TIME, t);
            }
            b.putInt(Cg.O_IUSEDOFF, iusedoff).putInt(Cg.O_FREEOFF, freeoff).putInt(Cg.O_NEXTFREEOFF, nextfreeoff);
            b.putInt(Cg.O_CLUSTERSUMOFF, clustersumoff).putInt(Cg.O_CLUSTEROFF, clusteroff).putInt(Cg.O_NCLUSTERBLKS, fragsIn(c) / frag);
            b.putInt(Cg.O_CS + 8, ipg); // every inode free until marked below
            Superblock geometry = geometry();
            Cg g;
            try {
                g = new Cg(geometry, c, raw, (cgx, ndir, nbfree, nifree, nffree) -> {
                    cs[cgx][0] += ndir;
                    cs[cgx][1] += nbfree;
                    cs[cgx][2] += nifree;
                    cs[cgx][3] += nffree;
                });
            } catch (FfsError e) {
                throw new IllegalStateException("newfs made a group it cannot read: " + e.getMessage(), e);
            }
            cs[c][2] = ipg;
            int dataFrom = dblkno;
            if (c == 0) dataFrom = (int) (rootFrag + 1); // the summary area and the root's fragment
            if (c > 0) g.setFree(0, sblkno, true); // the space before a group's superblock copy is data (mkfs.c)
            if (fragsIn(c) > dataFrom) g.setFree(dataFrom, fragsIn(c) - dataFrom, true);
            if (c == 0) {
                for (int i = 0; i <= (int) Ffs.ROOTINO; i++) g.setInodeUsed(i, true, i == Ffs.ROOTINO);
                g.setRotor(0);
            }
            return raw;
        }

        /** A superblock of this geometry for the group code to check against. */
        private Superblock geometry() {
            try {
                Superblock s = Superblock.parse(superblock(new int[ncg][4], o.time()), sblockloc);
                if (s == null) throw new IllegalStateException("newfs made no superblock");
                return s;
            } catch (FfsError e) {
                throw new IllegalStateException("newfs made a superblock it cannot read: " + e.getMessage(), e);
            }
        }

        private void writeRoot(ImageWriter sink, long rootFrag, long t) throws IOException {
            byte[] dir = new byte[fsize];
            int dot = Dir.dirsiz(1);
            Dir.put(order, dir, 0, Ffs.ROOTINO, dot, Dir.dtype(Dinode.IFDIR), new byte[] {'.'});
            Dir.put(order, dir, dot, Ffs.ROOTINO, Dir.DIRBLKSIZ - dot, Dir.dtype(Dinode.IFDIR), new byte[] {'.', '.'});
            sink.write(rootFrag * fsize, ByteBuffer.wrap(dir));
            Dinode d = Dinode.empty(ufs2);
            d.mode = Dinode.IFDIR | 0755;
            d.nlink = 2;
            d.size = Dir.DIRBLKSIZ;
            d.blocks = fsize / 512;
            d.db[0] = rootFrag;
            d.atime = d.mtime = d.ctime = d.birthtime = t;
            d.gen = 1;
            if (ufs2) d.blksize = bsize;
            long at = iblkno * (long) fsize + Ffs.ROOTINO * inodeSize;
            sink.write(at, ByteBuffer.wrap(d.encode(order, false)));
        }

        private byte[] superblock(int[][] cs, long t) {
            byte[] raw = new byte[Superblock.SBLOCKSIZE];
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            long ndir = 0, nbfree = 0, nifree = 0, nffree = 0;
            for (int[] g : cs) {
                ndir += g[0];
                nbfree += g[1];
                nifree += g[2];
                nffree += g[3];
            }
            long dsize = size - sblkno - (long) ncg * (dblkno - sblkno) - cssize / fsize;
            int sbsize = roundup(Superblock.O_MAGIC + 4, fsize) > Superblock.SBLOCKSIZE ? Superblock.SBLOCKSIZE : roundup(Superblock.O_MAGIC + 4, Math.min(fsize, 2048));
            b.putInt(Superblock.O_SBLKNO, sblkno).putInt(Superblock.O_CBLKNO, cblkno).putInt(Superblock.O_IBLKNO, iblkno).putInt(Superblock.O_DBLKNO, dblkno);
            b.putInt(Superblock.O_NCG, ncg).putInt(Superblock.O_BSIZE, bsize).putInt(Superblock.O_FSIZE, fsize).putInt(Superblock.O_FRAG, frag);
            b.putInt(Superblock.O_MINFREE, MINFREE).putInt(68, 60); // fs_old_rps
            b.putInt(Superblock.O_BMASK, ~(bsize - 1)).putInt(Superblock.O_FMASK, ~(fsize - 1));
            b.putInt(Superblock.O_BSHIFT, Integer.numberOfTrailingZeros(bsize)).putInt(Superblock.O_FSHIFT, Integer.numberOfTrailingZeros(fsize));
            b.putInt(Superblock.O_MAXCONTIG, maxcontig).putInt(Superblock.O_MAXBPG, nindir);
            b.putInt(Superblock.O_FRAGSHIFT, Integer.numberOfTrailingZeros(frag)).putInt(Superblock.O_FSBTODB, Integer.numberOfTrailingZeros(fsize / 512));
            b.putInt(Superblock.O_SBSIZE, sbsize).putInt(Superblock.O_NINDIR, nindir).putInt(Superblock.O_INOPB, inopb);
            b.putInt(Superblock.O_ID, (int) t).putInt(Superblock.O_ID + 4, (int) (t * 2654435761L));
            b.putInt(Superblock.O_CSSIZE, cssize).putInt(Superblock.O_CGSIZE, cgsize).putInt(Superblock.O_IPG, ipg).putInt(Superblock.O_FPG, fpg);
            if (!ufs2) {
                int nspf = fsize / 512;
                b.putInt(Superblock.O_OLD_CGMASK, -1).putInt(Superblock.O_OLD_TIME, (int) t);
                b.putInt(Superblock.O_OLD_SIZE, (int) size).putInt(Superblock.O_OLD_DSIZE, (int) dsize).putInt(Superblock.O_OLD_CSADDR, (int) csaddr);
                b.putInt(124, nspf).putInt(132, fpg * nspf).putInt(136, 1); // fs_old_nspf, fs_old_npsect, fs_old_interleave
                b.putInt(168, fpg * nspf).putInt(172, fpg * nspf).putInt(176, ncg).putInt(180, 1); // nsect, spc, ncyl, cpg
                b.putInt(Superblock.O_OLD_CSTOTAL, (int) ndir).putInt(Superblock.O_OLD_CSTOTAL + 4, (int) nbfree)
                        .putInt(Superblock.O_OLD_CSTOTAL + 8, (int) nifree).putInt(Superblock.O_OLD_CSTOTAL + 12, (int) nffree);
                b.putInt(Superblock.O_INODEFMT, Superblock.FS_44INODEFMT);
                b.putInt(1356, 1).putInt(1360, 1); // fs_old_postblformat FS_DYNAMICPOSTBLFMT, fs_old_nrpos
            }
            raw[Superblock.O_CLEAN] = Superblock.FS_ISCLEAN;
            raw[Superblock.O_OLD_FLAGS] = (byte) Superblock.FS_FLAGS_UPDATED;
            b.putInt(Superblock.O_MAXBSIZE, bsize);
            b.putLong(Superblock.O_SBLOCKLOC, sblockloc);
            b.putLong(Superblock.O_CSTOTAL, ndir).putLong(Superblock.O_CSTOTAL + 8, nbfree).putLong(Superblock.O_CSTOTAL + 16, nifree)
                    .putLong(Superblock.O_CSTOTAL + 24, nffree);
            b.putLong(Superblock.O_TIME, t).putLong(Superblock.O_SIZE, size).putLong(Superblock.O_DSIZE, dsize).putLong(Superblock.O_CSADDR, csaddr);
            b.putInt(Superblock.O_AVGFILESIZE, AVGFILESIZE).putInt(Superblock.O_AVGFPDIR, AVGFPDIR);
            b.putInt(Superblock.O_CONTIGSUMSIZE, contigsumsize).putInt(Superblock.O_MAXSYMLINKLEN, Dinode.addrArea(ufs2));
            b.putLong(Superblock.O_MAXFILESIZE, maxFileSize());
            b.putLong(Superblock.O_QBMASK, bsize - 1).putLong(Superblock.O_QFMASK, fsize - 1);
            b.putInt(Superblock.O_MAGIC, ufs2 ? Superblock.UFS2_MAGIC : Superblock.UFS1_MAGIC);
            return raw;
        }

        /** The pointer tree's reach in bytes, capped as fs_maxfilesize is (off_t). */
        private long maxFileSize() {
            java.math.BigInteger blocks = java.math.BigInteger.valueOf(Dinode.NDADDR);
            java.math.BigInteger n = java.math.BigInteger.valueOf(nindir);
            java.math.BigInteger level = java.math.BigInteger.ONE;
            for (int i = 0; i < Dinode.NIADDR; i++) {
                level = level.multiply(n);
                blocks = blocks.add(level);
            }
            java.math.BigInteger bytes = blocks.multiply(java.math.BigInteger.valueOf(bsize)).subtract(java.math.BigInteger.ONE);
            java.math.BigInteger cap = java.math.BigInteger.valueOf(Long.MAX_VALUE);
            if (!ufs2) cap = java.math.BigInteger.valueOf(0xffffffffL).multiply(java.math.BigInteger.valueOf(512)); // di_blocks is 32 bits
            return bytes.min(cap).longValue();
        }
    }
}
