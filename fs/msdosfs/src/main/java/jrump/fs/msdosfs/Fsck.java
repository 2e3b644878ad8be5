package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * fsck for FAT, read-only (fsck.fat -n's questions): the boot sector, every FAT copy against the first,
 * the reserved FAT entries, every directory walked from the root ("." and "..", names, long-name pieces
 * whose checksum fits no entry, duplicate names, cycles), every chain walked and claimed once (links to
 * free, bad or out-of-range clusters, loops, clusters two files share, sizes that do not match the chain),
 * then clusters in use that no file reaches (lost) and the FSInfo free count. Exit status as fsck's:
 * 0 clean, 4 problems found, 8 the image cannot be checked.
 */
public final class Fsck {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_UNCORRECTED = 4;
    public static final int EXIT_OPERATIONAL = 8;
    /** Problems beyond this many are counted, not listed. */
    private static final int MAX_LISTED = 200;
    /** Characters a short name may not hold (fatgen103 "FAT Directory Structure", DIR_Name). */
    private static final String SHORT_FORBIDDEN = "\"*+,./:;<=>?[\\]|";

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
    private int unlisted;
    private Bpb bpb;
    private Fat fat;
    /** Which file (an index into {@link #owners}, plus one) claimed each cluster. */
    private int[] claimedBy;
    private final List<String> owners = new ArrayList<>();
    private long files;

    private Fsck(Source source, long imageSize) {
        this.source = source;
        this.imageSize = imageSize;
    }

    /** Checks the image of {@code size} bytes that {@code source} reads; nothing is written. */
    public static Report check(Source source, long size) throws IOException {
        return new Fsck(source, size).run();
    }

    /** Whether the image starts with a FAT boot sector this checker accepts (for tools that detect the type). */
    public static boolean looksLikeFat(Source source, long size) throws IOException {
        if (size < 512) return false;
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, size));
        while (b.hasRemaining() && source.read(b.position(), b) > 0) {
            // the first sector or more
        }
        try {
            Bpb.parse(b.array());
            return true;
        } catch (FatError e) {
            return false;
        }
    }

    private Report run() throws IOException {
        List<String> out = new ArrayList<>();
        try {
            byte[] boot = read(0, 4096 > imageSize ? (int) Math.max(512, imageSize) : 4096);
            bpb = Bpb.parse(boot);
            if (bpb.totalSectors * bpb.bytesPerSector > imageSize) {
                problem("the boot sector says " + bpb.totalSectors * bpb.bytesPerSector + " bytes, the image has " + imageSize);
            }
            out.add("FAT" + bpb.type.bits + ", " + bpb.clusterCount + " clusters of " + bpb.clusterBytes + " bytes, "
                    + bpb.numFats + " FATs" + (bpb.label.isEmpty() ? "" : ", label " + bpb.label));
            checkFats();
            claimedBy = new int[Math.toIntExact(bpb.maxCluster() + 1)];
            walkTree();
            checkLost();
            checkFsInfo();
        } catch (FatError e) {
            out.add("cannot check: " + e.getMessage());
            return new Report(EXIT_OPERATIONAL, List.copyOf(problems), out);
        } catch (ArithmeticException e) {
            out.add("cannot check: a FAT too large to hold in memory");
            return new Report(EXIT_OPERATIONAL, List.copyOf(problems), out);
        }
        out.addAll(problems);
        if (unlisted > 0) out.add("... and " + unlisted + " more problems");
        long used = bpb.clusterCount - fat.freeCount();
        out.add(files + " files, " + used + "/" + bpb.clusterCount + " clusters");
        return new Report(problems.isEmpty() ? EXIT_CLEAN : EXIT_UNCORRECTED, List.copyOf(problems), out);
    }

    private void problem(String p) {
        if (problems.size() < MAX_LISTED) problems.add(p);
        else unlisted++;
    }

    private byte[] read(long off, int len) throws IOException, FatError {
        if (off < 0 || off + len > imageSize) throw FatError.corrupt(len + " bytes at " + off + " are outside the image");
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int n = source.read(off + b.position(), b);
            if (n < 0) throw FatError.corrupt("the image ends at " + (off + b.position()));
        }
        return b.array();
    }

    // --- the FATs -------------------------------------------------------------------------------

    private void checkFats() throws IOException, FatError {
        int bytes = Math.toIntExact(bpb.fatSectors * bpb.bytesPerSector);
        int first = Math.max(0, bpb.activeFat);
        byte[] main = read((bpb.reservedSectors + first * bpb.fatSectors) * bpb.bytesPerSector, bytes);
        fat = new Fat(bpb.type, main, bpb.bytesPerSector, bpb.maxCluster());
        if (bpb.activeFat < 0) {
            long entriesBytes = bpb.type.fatBytes(bpb.maxCluster() + 1);
            for (int copy = 1; copy < bpb.numFats; copy++) {
                byte[] other = read((bpb.reservedSectors + copy * bpb.fatSectors) * bpb.bytesPerSector, bytes);
                if (!Arrays.equals(main, 0, (int) entriesBytes, other, 0, (int) entriesBytes)) {
                    problem("FAT copy " + (copy + 1) + " differs from the first");
                }
            }
        }
        if ((fat.get(0) & 0xFF) != bpb.media) {
            problem("FAT[0] 0x" + Long.toHexString(fat.get(0)) + " does not carry the media byte 0x" + Integer.toHexString(bpb.media));
        }
        for (long c = 2; c <= bpb.maxCluster(); c++) {
            long v = fat.get(c);
            if (v == Fat.FREE || v == bpb.type.bad || fat.isEoc(v)) continue;
            if (!fat.valid(v)) problem("cluster " + c + " links to " + v + ", outside the volume");
        }
    }

    // --- the tree -------------------------------------------------------------------------------

    /** A directory to walk: where it starts (0: the fixed root), its path, what its ".." must say. */
    private record Pending(long cluster, String path, long parent) {
    }

    private void walkTree() throws IOException, FatError {
        Set<Long> seenDirs = new HashSet<>();
        Deque<Pending> todo = new ArrayDeque<>();
        todo.add(new Pending(bpb.isFat32() ? bpb.rootCluster : 0, "/", -1));
        while (!todo.isEmpty()) {
            Pending d = todo.poll();
            if (d.cluster() != 0 && !seenDirs.add(d.cluster())) {
                problem(d.path() + ": directory cluster " + d.cluster() + " is already a directory elsewhere (a cycle or a cross-link)");
                continue;
            }
            byte[] raw = directoryBytes(d);
            if (raw != null) walkDirectory(d, raw, todo);
        }
    }

    /** A directory's bytes: its chain, claimed for it, or the fixed root region. */
    private byte[] directoryBytes(Pending d) throws IOException, FatError {
        if (d.cluster() == 0) return read(bpb.firstRootDirSector * bpb.bytesPerSector, bpb.rootEntries * DirEntry.SIZE);
        long[] chain = claim(d.cluster(), d.path());
        if (chain == null) return null;
        if ((long) chain.length * bpb.clusterBytes > (long) Directory.MAX_SLOTS * DirEntry.SIZE) {
            problem(d.path() + ": a directory of " + chain.length + " clusters, more than 65,536 entries");
            return null;
        }
        ByteBuffer all = ByteBuffer.allocate(chain.length * bpb.clusterBytes);
        for (long c : chain) all.put(read(bpb.clusterOffset(c), bpb.clusterBytes));
        return all.array();
    }

    private void walkDirectory(Pending d, byte[] raw, Deque<Pending> todo) throws IOException, FatError {
        boolean root = d.parent() < 0;
        Set<String> names = new HashSet<>();
        Set<String> shortNames = new HashSet<>();
        LongName.Assembler lfn = new LongName.Assembler();
        int slots = raw.length / DirEntry.SIZE;
        boolean pendingLfn = false;
        for (int s = 0; s < slots; s++) {
            int off = s * DirEntry.SIZE;
            int first = raw[off] & 0xff;
            if (first == DirEntry.END_OF_DIRECTORY) break;
            if (first == DirEntry.FREE_SLOT) {
                if (pendingLfn) problem(d.path() + ": long-name entries before slot " + s + " belong to no file");
                pendingLfn = false;
                lfn.reset();
                continue;
            }
            int attr = raw[off + DirEntry.DIR_ATTR] & 0xff;
            if ((attr & DirEntry.ATTR_LONG_NAME_MASK) == DirEntry.ATTR_LONG_NAME) {
                pendingLfn = true;
                lfn.add(raw, off, s);
                continue;
            }
            DirEntry e = DirEntry.parse(raw, off);
            String longName = lfn.finish(e.name);
            if (pendingLfn && longName == null) problem(d.path() + ": long-name entries before slot " + s + " do not fit its short name (checksum)");
            pendingLfn = false;
            if (!root && s < 2) {
                checkDot(d, e, s);
                continue;
            }
            if ((attr & DirEntry.ATTR_VOLUME_ID) != 0) {
                if (!root) problem(d.path() + ": a volume label entry outside the root");
                continue;
            }
            String name = longName != null ? longName : e.displayName();
            String path = (root ? "/" : d.path() + "/") + name;
            checkShortName(path, e);
            if (!shortNames.add(e.rawName())) problem(path + ": short name '" + e.displayName() + "' twice in the directory");
            if (!names.add(ShortNames.fold(name))) problem(path + ": name twice in the directory");
            files++;
            if (e.isDir()) {
                if (e.size != 0) problem(path + ": a directory with size " + e.size);
                if (!fat.valid(e.firstCluster)) {
                    problem(path + ": a directory starting at cluster " + e.firstCluster);
                    continue;
                }
                todo.add(new Pending(e.firstCluster, path, d.cluster() == (bpb.isFat32() ? bpb.rootCluster : 0) && root ? 0 : d.cluster()));
            } else {
                checkFile(path, e);
            }
        }
        if (!root && slots < 2) problem(d.path() + ": no '.' and '..' entries");
    }

    private void checkDot(Pending d, DirEntry e, int slot) {
        String want = slot == 0 ? ".          " : "..         ";
        long cluster = slot == 0 ? d.cluster() : d.parent();
        if (!e.rawName().equals(want) || !e.isDir()) {
            problem(d.path() + ": entry " + slot + " is '" + e.displayName() + "', not '" + want.strip() + "'");
        } else if (e.firstCluster != cluster && !(slot == 1 && cluster == 0 && bpb.isFat32() && e.firstCluster == bpb.rootCluster)) {
            problem(d.path() + ": '" + want.strip() + "' names cluster " + e.firstCluster + ", not " + cluster);
        }
    }

    private void checkShortName(String path, DirEntry e) {
        for (int i = 0; i < 11; i++) {
            int c = e.name[i] & 0xff;
            if ((i == 0 && c == DirEntry.KANJI_E5) || c >= 0x80) continue;
            if (c < 0x20 || SHORT_FORBIDDEN.indexOf(c) >= 0 || (c == ' ' && i == 0)) {
                problem(path + ": short name '" + e.displayName() + "' holds a forbidden character");
                return;
            }
        }
    }

    private void checkFile(String path, DirEntry e) throws FatError {
        long want = (e.size + bpb.clusterBytes - 1) / bpb.clusterBytes;
        if (e.firstCluster == 0) {
            if (e.size != 0) problem(path + ": size " + e.size + " but no clusters");
            return;
        }
        if (!fat.valid(e.firstCluster)) {
            problem(path + ": starts at cluster " + e.firstCluster + ", outside the volume");
            return;
        }
        long[] chain = claim(e.firstCluster, path);
        if (chain != null && chain.length != want) {
            problem(path + ": size " + e.size + " needs " + want + " clusters, its chain has " + chain.length);
        }
    }

    /**
     * Walks a chain and claims its clusters for {@code path}; null (after naming the problem) when it
     * links to a free, bad or out-of-range cluster, loops, or runs into another file's clusters.
     */
    private long[] claim(long first, String path) {
        owners.add(path);
        int me = owners.size();
        FatChain chain;
        try {
            chain = FatChain.walk(fat, first, path);
        } catch (FatError e) {
            problem(e.getMessage());
            return null;
        }
        long[] out = Arrays.copyOf(chain.array(), chain.length());
        for (long c : out) {
            int other = claimedBy[(int) c];
            if (other != 0) {
                problem(path + ": cluster " + c + " is also in " + owners.get(other - 1) + " (cross-linked)");
                return null;
            }
            claimedBy[(int) c] = me;
        }
        return out;
    }

    // --- what is left ---------------------------------------------------------------------------

    private void checkLost() {
        long lost = 0;
        long chains = 0;
        for (long c = 2; c <= bpb.maxCluster(); c++) {
            long v = fat.get(c);
            if (v == Fat.FREE || v == bpb.type.bad || claimedBy[(int) c] != 0) continue;
            lost++;
            // a lost chain starts where no other lost cluster links to it: count heads roughly by EOCs
            if (fat.isEoc(v)) chains++;
        }
        if (lost > 0) problem(lost + " lost clusters in " + Math.max(1, chains) + " chains (in use, reached by no file)");
    }

    private void checkFsInfo() throws IOException, FatError {
        if (!bpb.isFat32() || bpb.fsInfoSector == 0) return;
        ByteBuffer b = ByteBuffer.wrap(read((long) bpb.fsInfoSector * bpb.bytesPerSector, bpb.bytesPerSector)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(Msdosfs.FSI_LEAD_SIG_OFFSET) != Msdosfs.FSI_LEAD_SIG || b.getInt(Msdosfs.FSI_STRUC_SIG_OFFSET) != Msdosfs.FSI_STRUC_SIG) {
            problem("the FSInfo sector has no valid signatures");
            return;
        }
        long recorded = b.getInt(Msdosfs.FSI_FREE_COUNT_OFFSET) & 0xffffffffL;
        if (recorded != 0xffffffffL && recorded != fat.freeCount()) {
            problem("FSInfo says " + recorded + " free clusters, the FAT has " + fat.freeCount());
        }
    }
}
