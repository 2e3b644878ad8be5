package jrump.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only check of an FFS image doing the checks of fsck_ffs(8)'s five phases, reporting what it
 * finds without changing anything (fsck_ffs -n). Phase 1, blocks and sizes: every allocated inode's type,
 * size and block pointers (inside the file system, off the metadata, claimed once, counted in di_blocks).
 * Phase 2, pathnames: every directory entry well formed and naming an allocated inode of its d_type, "."
 * and ".." first. Phase 3, connectivity: every directory reachable from the root, ".." its parent's.
 * Phase 4, reference counts: link counts equal the names (and subdirectories) that refer. Phase 5,
 * cylinder groups: the free fragment, inode and cluster maps, cg_frsum, the group and summary-area totals
 * and the superblock's equal what phases 1-4 found.
 */
public final class Fsck {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_UNCORRECTED = 4;
    public static final int EXIT_OPERATIONAL = 8;
    /** Problems beyond this many are counted, not listed. */
    private static final int MAX_LISTED = 200;

    /** Reads the image's bytes at an offset. */
    @FunctionalInterface
    public interface Source {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** The outcome: the exit status, the problems, and the lines the check printed. */
    public record Report(int exitStatus, List<String> problems, List<String> output) {
    }

    private final Source source;
    private final long imageSize;
    private final List<String> problems = new ArrayList<>();
    private final List<String> output = new ArrayList<>();
    private int unlisted;
    private Superblock sb;
    private BitSet claimed;
    private final Map<Long, Dinode> inodes = new HashMap<>();
    private final Map<Long, Integer> references = new HashMap<>();
    private final Map<Long, Long> parentOf = new HashMap<>();
    private final Map<Long, Long> dotdot = new HashMap<>();
    private Cg[] cgs;

    private Fsck(Source source, long imageSize) {
        this.source = source;
        this.imageSize = imageSize;
    }

    /** Checks the image of {@code imageSize} bytes. */
    public static Report check(Source source, long imageSize) {
        return new Fsck(source, imageSize).run();
    }

    /** Whether the image has an FFS superblock where NetBSD looks for one (fsck's type detection). */
    public static boolean looksLikeFfs(Source source, long imageSize) {
        Fsck f = new Fsck(source, imageSize);
        try {
            return f.findSuperblock() != null;
        } catch (IOException | FfsError e) {
            return false;
        }
    }

    private Report run() {
        try {
            sb = findSuperblock();
            if (sb == null) {
                output.add("no FFS superblock at bytes 65536, 8192, 0 or 262144");
                return new Report(EXIT_OPERATIONAL, List.of(), output);
            }
            if (sb.size * sb.fsize > imageSize) problem("the file system (" + sb.size * sb.fsize + " bytes) is larger than the image (" + imageSize + ")");
            output.add("** " + sb.describe());
            output.add("** Phase 1 - Check Blocks and Sizes");
            phase1();
            output.add("** Phase 2 - Check Pathnames");
            phase2();
            output.add("** Phase 3 - Check Connectivity");
            phase3();
            output.add("** Phase 4 - Check Reference Counts");
            phase4();
            output.add("** Phase 5 - Check Cyl groups");
            phase5();
        } catch (IOException e) {
            output.add("cannot read the image: " + e.getMessage());
            return new Report(EXIT_OPERATIONAL, problems, output);
        } catch (FfsError e) {
            output.add("cannot check: " + e.getMessage());
            return new Report(EXIT_OPERATIONAL, problems, output);
        }
        if (unlisted > 0) output.add("... and " + unlisted + " more problems");
        long files = inodes.size();
        long used = claimed.cardinality();
        output.add(files + " files, " + used + " used, " + (sb.dsize - used) + " free");
        if (problems.isEmpty()) output.add("clean");
        return new Report(problems.isEmpty() ? EXIT_CLEAN : EXIT_UNCORRECTED, problems, output);
    }

    private void problem(String p) {
        if (problems.size() < MAX_LISTED) {
            problems.add(p);
            output.add(p);
        } else {
            unlisted++;
            if (problems.size() == MAX_LISTED) problems.add("(more)");
        }
    }

    private byte[] read(long off, int len) throws IOException {
        if (off < 0 || off + len > imageSize) throw new IOException("bytes " + off + "+" + len + " past the image's end");
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int n = source.read(off + b.position(), b);
            if (n < 0) throw new IOException("end of image at " + (off + b.position()));
        }
        return b.array();
    }

    private Superblock findSuperblock() throws IOException, FfsError {
        FfsError damaged = null;
        for (long at : Superblock.SEARCH) {
            if (at + Superblock.SBLOCKSIZE > imageSize) continue;
            try {
                Superblock s = Superblock.parse(read(at, Superblock.SBLOCKSIZE), at);
                if (s != null) return s;
            } catch (FfsError e) {
                if (damaged == null) damaged = e;
            }
        }
        if (damaged != null) throw damaged;
        return null;
    }

    // --- phase 1 --------------------------------------------------------------------------------

    private void phase1() throws IOException {
        claimed = new BitSet();
        cgs = new Cg[sb.ncg];
        for (int c = 0; c < sb.ncg; c++) {
            try {
                cgs[c] = new Cg(sb, c, read(sb.cgtod(c) * sb.fsize, sb.cgsize), (x, a, b, i, f) -> {
                });
            } catch (FfsError e) {
                problem(e.getMessage());
            }
            int inited = cgs[c] == null ? sb.ipg : cgs[c].initediblk();
            int blockBytes = sb.inopb * sb.inodeSize;
            for (int first = 0; first < inited; first += sb.inopb) {
                long ino0 = (long) c * sb.ipg + first;
                byte[] blk = read(sb.inodeOffset(ino0), blockBytes);
                for (int k = 0; k < sb.inopb && first + k < inited; k++) {
                    long ino = ino0 + k;
                    if (ino < Ffs.ROOTINO) continue;
                    byte[] raw = new byte[sb.inodeSize];
                    System.arraycopy(blk, k * sb.inodeSize, raw, 0, raw.length);
                    Dinode d = Dinode.decode(sb.ufs2, sb.order, raw);
                    if (d.mode == 0) continue;
                    checkInode(ino, d);
                }
            }
        }
        Dinode root = inodes.get(Ffs.ROOTINO);
        if (root == null || !root.isDir()) problem("ROOT INODE UNALLOCATED OR NOT A DIRECTORY");
    }

    private void checkInode(long ino, Dinode d) throws IOException {
        int t = d.type();
        boolean known = t == Dinode.IFREG || t == Dinode.IFDIR || t == Dinode.IFLNK || t == Dinode.IFCHR || t == Dinode.IFBLK
                || t == Dinode.IFIFO || t == Dinode.IFSOCK;
        if (!known) {
            problem("UNKNOWN FILE TYPE I=" + ino + " (mode " + Integer.toOctalString(d.mode) + ")");
            return;
        }
        inodes.put(ino, d);
        if (d.size < 0 || d.size > sb.maxFileSize()) {
            problem("BAD SIZE I=" + ino + " (" + d.size + ")");
            return;
        }
        if (t == Dinode.IFDIR && (d.size == 0 || d.size % Dir.DIRBLKSIZ != 0)) problem("DIRECTORY SIZE NOT A MULTIPLE OF " + Dir.DIRBLKSIZ + " I=" + ino + " (" + d.size + ")");
        long[] frags = {0};
        if (sb.ufs2) checkExtArea(ino, d, frags);
        boolean noBlocks = t == Dinode.IFCHR || t == Dinode.IFBLK || t == Dinode.IFIFO || t == Dinode.IFSOCK
                || (t == Dinode.IFLNK && d.size < sb.maxsymlinklen && d.blocks == ExtArea.sectors(sb, d));
        if (noBlocks) {
            long want = frags[0] * (sb.fsize / 512);
            if (d.blocks != want) problem("INCORRECT BLOCK COUNT I=" + ino + " (" + d.blocks + " should be " + want + ")");
            return;
        }
        long lastLbn = d.size == 0 ? -1 : (d.size - 1) >> sb.bshift;
        long[] beyond = {0};
        for (int i = 0; i < Dinode.NDADDR; i++) {
            if (d.db[i] == 0) continue;
            int n = sb.numfrags(sb.blksize(d.size, i));
            if (i > lastLbn) {
                beyond[0]++;
                n = sb.frag;
            }
            claim(ino, d.db[i], n, frags);
        }
        long first = Dinode.NDADDR;
        long span = sb.nindir;
        for (int level = 0; level < Dinode.NIADDR; level++) {
            if (d.ib[level] != 0) {
                if (first > lastLbn) beyond[0]++;
                walkIndirect(ino, d.ib[level], level, first, lastLbn, frags, beyond);
            }
            first += span;
            span = span > Long.MAX_VALUE / sb.nindir ? Long.MAX_VALUE : span * sb.nindir;
        }
        if (beyond[0] > 0) problem("BLOCKS PAST THE END I=" + ino + " (size " + d.size + ")");
        long want = frags[0] * (sb.fsize / 512);
        if (d.blocks != want) problem("INCORRECT BLOCK COUNT I=" + ino + " (" + d.blocks + " should be " + want + ")");
    }

    /**
     * UFS2's extended attribute area: di_extsize within two blocks, its blocks claimed like data blocks
     * (bad and duplicate pointers reported the same way, counted in di_blocks), its records well formed.
     */
    private void checkExtArea(long ino, Dinode d, long[] frags) throws IOException {
        int size = d.extsize;
        if (size < 0 || size > ExtArea.maxSize(sb)) {
            problem("BAD EXTATTR SIZE I=" + ino + " (" + Integer.toUnsignedString(size) + ")");
            return;
        }
        boolean readable = true;
        for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) {
            int bs = ExtArea.blockSize(sb, size, lbn);
            if (bs == 0) {
                if (d.extb[lbn] != 0) problem("EXTATTR BLOCKS PAST THE END I=" + ino + " (extsize " + size + ")");
            } else if (d.extb[lbn] == 0) {
                problem("BAD EXTATTR AREA I=" + ino + ": block " + lbn + " missing");
                readable = false;
            } else if (!claim(ino, d.extb[lbn], sb.numfrags(bs), frags)) {
                readable = false;
            }
        }
        if (!readable || size == 0) return;
        byte[] area = new byte[size];
        for (int lbn = 0; lbn < Dinode.NXADDR; lbn++) {
            int at = lbn << sb.bshift;
            if (at >= size) break;
            byte[] part = read(d.extb[lbn] * sb.fsize, Math.min(sb.bsize, size - at));
            System.arraycopy(part, 0, area, at, part.length);
        }
        try {
            ExtAttr.parse(area, size, sb.order, ino);
        } catch (FfsError e) {
            problem("BAD EXTATTR AREA I=" + ino + ": " + e.getMessage());
        }
    }

    private void walkIndirect(long ino, long addr, int level, long first, long lastLbn, long[] frags, long[] beyond) throws IOException {
        if (!claim(ino, addr, sb.frag, frags)) return;
        long[] ptrs = pointers(addr);
        long per = 1;
        for (int i = 0; i < level; i++) per *= sb.nindir;
        for (int i = 0; i < ptrs.length; i++) {
            if (ptrs[i] == 0) continue;
            long from = first + i * per;
            if (from > lastLbn) beyond[0]++;
            if (level == 0) claim(ino, ptrs[i], sb.frag, frags);
            else walkIndirect(ino, ptrs[i], level - 1, from, lastLbn, frags, beyond);
        }
    }

    private long[] pointers(long addr) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(read(addr * sb.fsize, sb.bsize)).order(sb.order);
        long[] out = new long[sb.nindir];
        for (int i = 0; i < out.length; i++) out[i] = sb.ufs2 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
        return out;
    }

    /** Claims a run for {@code ino}; false (and a problem) for one outside the data area or claimed before. */
    private boolean claim(long ino, long addr, int n, long[] frags) {
        if (addr < 0 || addr + n > sb.size || addr % sb.frag + n > sb.frag || isMetadata(addr, n)) {
            problem("BAD BLOCK " + addr + " I=" + ino);
            return false;
        }
        boolean dup = false;
        for (int i = 0; i < n; i++) {
            if (claimed.get((int) (addr + i))) dup = true;
        }
        if (dup) problem("DUP BLOCK " + addr + " I=" + ino);
        claimed.set((int) addr, (int) (addr + n));
        frags[0] += n;
        return !dup;
    }

    private boolean isMetadata(long addr, int n) {
        int c = (int) (addr / sb.fpg);
        long start = c == 0 ? 0 : sb.cgsblock(c);
        long end = sb.cgdmin(c);
        if (addr < end && addr + n > start) return true;
        long csEnd = sb.csaddr + (sb.cssize + sb.fsize - 1) / sb.fsize;
        return addr < csEnd && addr + n > sb.csaddr;
    }

    // --- phases 2 and 3 -------------------------------------------------------------------------

    private void phase2() throws IOException {
        for (var e : new ArrayList<>(inodes.entrySet())) {
            if (e.getValue().isDir()) checkDirectory(e.getKey(), e.getValue());
        }
    }

    private void checkDirectory(long ino, Dinode d) throws IOException {
        long size = d.size;
        for (long off = 0; off < size; off += Dir.DIRBLKSIZ) {
            long lbn = off >> sb.bshift;
            if (lbn >= Dinode.NDADDR + sb.nindir) {
                problem("DIRECTORY TOO LARGE TO CHECK I=" + ino + " (" + size + " bytes)");
                break;
            }
            long addr = map(d, lbn);
            if (addr == 0) {
                problem("HOLE IN DIRECTORY I=" + ino + " at " + off);
                continue;
            }
            if (addr < 0) continue; // a bad pointer, reported in phase 1
            byte[] area = read(addr * sb.fsize + (off & (sb.bsize - 1)), Dir.DIRBLKSIZ);
            int p = 0;
            while (p < Dir.DIRBLKSIZ) {
                Dir.Entry e;
                try {
                    e = Dir.parse(sb, ino, area, 0, p, off);
                } catch (FfsError bad) {
                    problem("DIRECTORY CORRUPTED I=" + ino + ": " + bad.getMessage());
                    break;
                }
                entry(ino, off + p, e);
                p += e.reclen();
            }
        }
        if (!dotdot.containsKey(ino)) problem("MISSING '..' I=" + ino);
    }

    private void entry(long dir, long at, Dir.Entry e) {
        if (at == 0) {
            if (e.ino() != dir || !e.name().equals(".")) problem("MISSING '.' I=" + dir);
            return;
        }
        if (e.ino() == 0) return;
        if (e.name().equals("..")) {
            if (dotdot.containsKey(dir)) problem("EXTRA '..' I=" + dir);
            dotdot.put(dir, e.ino());
            return;
        }
        if (e.name().equals(".")) {
            problem("EXTRA '.' I=" + dir);
            return;
        }
        Dinode t = inodes.get(e.ino());
        if (t == null) {
            problem("UNALLOCATED I=" + e.ino() + " NAMED " + e.name() + " IN DIRECTORY I=" + dir);
            return;
        }
        if (e.type() != Dir.dtype(t.mode)) problem("BAD TYPE VALUE I=" + e.ino() + " NAMED " + e.name() + " (" + e.type() + " should be " + Dir.dtype(t.mode) + ")");
        references.merge(e.ino(), 1, Integer::sum);
        if (t.isDir()) {
            Long other = parentOf.putIfAbsent(e.ino(), dir);
            if (other != null) problem("DIRECTORY I=" + e.ino() + " HAS A SECOND NAME " + e.name() + " IN I=" + dir);
        }
    }

    /** The fragment address of a directory's block {@code lbn} (0 for a hole, -1 for a pointer phase 1 rejected). */
    private long map(Dinode d, long lbn) throws IOException {
        long addr;
        if (lbn < Dinode.NDADDR) {
            addr = d.db[(int) lbn];
        } else {
            long rest = lbn - Dinode.NDADDR;
            if (rest >= sb.nindir) return -1; // directories this large are not walked
            if (d.ib[0] == 0) return 0;
            if (d.ib[0] >= sb.size) return -1;
            addr = pointers(d.ib[0])[(int) rest];
        }
        return addr >= sb.size ? -1 : addr;
    }

    private void phase3() {
        for (var e : inodes.entrySet()) {
            long ino = e.getKey();
            if (!e.getValue().isDir() || ino == Ffs.ROOTINO) continue;
            Long parent = parentOf.get(ino);
            if (parent == null) {
                problem("UNREF DIR I=" + ino + " (not reachable from the root)");
                continue;
            }
            Long dd = dotdot.get(ino);
            if (dd != null && !dd.equals(parent)) problem("BAD '..' I=" + ino + " (" + dd + " should be " + parent + ")");
            // up to the root without a cycle
            long at = ino;
            int steps = 0;
            while (at != Ffs.ROOTINO && steps++ <= inodes.size()) {
                Long up = parentOf.get(at);
                if (up == null) break;
                at = up;
            }
            if (at != Ffs.ROOTINO && parentOf.get(at) != null) problem("DIRECTORY I=" + ino + " IS IN A CYCLE");
        }
        Long rootDotdot = dotdot.get(Ffs.ROOTINO);
        if (rootDotdot != null && rootDotdot != Ffs.ROOTINO) problem("BAD '..' IN THE ROOT (" + rootDotdot + ")");
    }

    // --- phase 4 --------------------------------------------------------------------------------

    private void phase4() {
        Map<Long, Integer> subdirs = new HashMap<>();
        for (var e : parentOf.entrySet()) subdirs.merge(e.getValue(), 1, Integer::sum);
        for (var e : inodes.entrySet()) {
            long ino = e.getKey();
            Dinode d = e.getValue();
            int refs = references.getOrDefault(ino, 0);
            long want = d.isDir() ? (ino == Ffs.ROOTINO ? 2 : refs + 1) + subdirs.getOrDefault(ino, 0) : refs;
            if (ino == Ffs.ROOTINO && d.isDir()) want = 2 + subdirs.getOrDefault(ino, 0);
            if (refs == 0 && ino != Ffs.ROOTINO) {
                problem("UNREF " + (d.isDir() ? "DIR" : "FILE") + " I=" + ino);
                continue;
            }
            if (d.nlink != want) problem("LINK COUNT " + (d.isDir() ? "DIR" : "FILE") + " I=" + ino + " (" + d.nlink + " should be " + want + ")");
        }
    }

    // --- phase 5 --------------------------------------------------------------------------------

    private void phase5() throws IOException {
        long[] total = new long[4];
        ByteBuffer summary = ByteBuffer.wrap(read(sb.csaddr * sb.fsize, sb.ncg * 16)).order(sb.order);
        for (int c = 0; c < sb.ncg; c++) {
            int[] counted = checkGroup(c);
            for (int i = 0; i < 4; i++) {
                total[i] += counted[i];
                int inSummary = summary.getInt();
                if (inSummary != counted[i]) problem("SUMMARY INFORMATION BAD: group " + c + " " + FIELD[i] + " " + inSummary + " should be " + counted[i]);
            }
        }
        long[] inSb = {sb.ndir, sb.nbfree, sb.nifree, sb.nffree};
        for (int i = 0; i < 4; i++) {
            if (inSb[i] != total[i]) problem("SUPERBLOCK TOTALS BAD: " + FIELD[i] + " " + inSb[i] + " should be " + total[i]);
        }
    }

    private static final String[] FIELD = {"directories", "free blocks", "free inodes", "free fragments"};

    /** Group {@code c}'s maps and totals against what was found; returns the counts it should have. */
    private int[] checkGroup(int c) {
        Cg g = cgs[c];
        int ndblk = sb.fragsInCg(c);
        long base = sb.cgbase(c);
        // what the maps should say: free = not metadata and not claimed
        BitSet free = new BitSet(ndblk);
        for (int f = 0; f < ndblk; f++) {
            long a = base + f;
            if (!isMetadata(a, 1) && !claimed.get((int) a)) free.set(f);
        }
        int ndir = 0;
        int nifree = 0;
        BitSet used = new BitSet(sb.ipg);
        for (int i = 0; i < sb.ipg; i++) {
            long ino = (long) c * sb.ipg + i;
            Dinode d = inodes.get(ino);
            if (d != null || ino < Ffs.ROOTINO) used.set(i);
            else nifree++;
            if (d != null && d.isDir()) ndir++;
        }
        int nbfree = 0;
        int nffree = 0;
        int[] frsum = new int[sb.frag];
        for (int blk = 0; blk * sb.frag < ndblk; blk++) {
            int n = 0;
            int run = 0;
            for (int i = 0; i < sb.frag; i++) {
                int f = blk * sb.frag + i;
                if (f < ndblk && free.get(f)) {
                    n++;
                    run++;
                } else {
                    if (run > 0 && run < sb.frag) frsum[run]++;
                    run = 0;
                }
            }
            if (n == sb.frag) {
                nbfree++;
            } else {
                if (run > 0) frsum[run]++;
                nffree += n;
            }
        }
        int[] counted = {ndir, nbfree, nifree, nffree};
        if (g == null) return counted;
        int missing = 0;
        int wronglyFree = 0;
        for (int f = 0; f < ndblk; f++) {
            boolean should = free.get(f);
            boolean is = g.isFree(f);
            if (should && !is) missing++;
            if (!should && is) wronglyFree++;
        }
        if (missing > 0) problem("BLK(S) MISSING IN BIT MAPS: group " + c + ", " + missing + " free fragments marked used");
        if (wronglyFree > 0) problem("BLK(S) WRONGLY FREE IN BIT MAPS: group " + c + ", " + wronglyFree + " used fragments marked free");
        for (int i = 0; i < sb.ipg; i++) {
            if (used.get(i) != g.inodeUsed(i)) {
                problem("INODE MAP WRONG: group " + c + ", inode " + ((long) c * sb.ipg + i) + (used.get(i) ? " in use but marked free" : " free but marked used"));
                break;
            }
        }
        int[] have = {g.ndir(), g.nbfree(), g.nifree(), g.nffree()};
        for (int i = 0; i < 4; i++) if (have[i] != counted[i]) problem("CG " + c + ": " + FIELD[i] + " " + have[i] + " should be " + counted[i]);
        for (int len = 1; len < sb.frag; len++) {
            if (g.frsum(len) != frsum[len]) {
                problem("CG " + c + ": FRAGMENT SUMMARY WRONG (runs of " + len + ": " + g.frsum(len) + " should be " + frsum[len] + ")");
                break;
            }
        }
        if (sb.contigsumsize > 0) checkClusters(c, g, free);
        return counted;
    }

    /** The cluster map (a bit per wholly free block) and the run-length summary ffs_clusteracct keeps. */
    private void checkClusters(int c, Cg g, BitSet free) {
        int nblk = g.nclusterblks;
        int[] sums = new int[sb.contigsumsize + 1];
        int run = 0;
        boolean mapWrong = false;
        for (int blk = 0; blk <= nblk; blk++) {
            boolean whole = blk < nblk;
            for (int i = 0; whole && i < sb.frag; i++) whole = free.get(blk * sb.frag + i);
            if (blk < nblk && whole != g.clusterFree(blk)) mapWrong = true;
            if (whole) {
                run++;
            } else if (run > 0) {
                sums[Math.min(run, sb.contigsumsize)]++;
                run = 0;
            }
        }
        if (mapWrong) problem("CG " + c + ": CLUSTER MAP WRONG");
        for (int len = 1; len <= sb.contigsumsize; len++) {
            if (g.clusterSum(len) != sums[len]) {
                problem("CG " + c + ": CLUSTER SUMMARY WRONG (runs of " + len + ": " + g.clusterSum(len) + " should be " + sums[len] + ")");
                break;
            }
        }
    }
}
