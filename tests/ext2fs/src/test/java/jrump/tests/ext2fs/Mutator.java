package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Corrupts a valid image where a reader trusts it: flips random bytes in its metadata, found with dumpe2fs
 * (the primary superblock, the group descriptors, the bitmaps, the used part of each inode table) and
 * debugfs (directory blocks, including the htree index, and the indirect or extent-tree blocks of a large
 * file). Data blocks are left alone: a reader cannot tell their corruption and need not.
 */
final class Mutator {
    private Mutator() {
    }

    /** A byte range of the image that holds metadata. */
    record Region(String what, long offset, long length) {
    }

    /** A corrupted copy: which bytes were changed (offset to the new value), in what, from what seed. */
    record Mutant(Path file, long seed, TreeMap<Long, Byte> changes, TreeMap<Long, String> where) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("mutant of seed " + seed + ", bytes");
            for (var e : where.entrySet()) sb.append(' ').append(e.getKey()).append(" (").append(e.getValue()).append(')');
            return sb.toString();
        }
    }

    private static final Pattern BLOCK_SIZE = Pattern.compile("(?m)^Block size:\\s+(\\d+)$");
    private static final Pattern INODE_SIZE = Pattern.compile("(?m)^Inode size:\\s+(\\d+)$");
    private static final Pattern INODES_PER_GROUP = Pattern.compile("(?m)^Inodes per group:\\s+(\\d+)$");
    private static final Pattern GROUP = Pattern.compile("(?m)^Group (\\d+): \\(Blocks (\\d+)-(\\d+)\\)");
    private static final Pattern GDT = Pattern.compile("Primary superblock at \\d+, Group descriptors at (\\d+)-(\\d+)");
    private static final Pattern BLOCK_BITMAP = Pattern.compile("Block bitmap at (\\d+)");
    private static final Pattern INODE_BITMAP = Pattern.compile("Inode bitmap at (\\d+)");
    private static final Pattern INODE_TABLE = Pattern.compile("Inode table at (\\d+)-(\\d+)");
    private static final Pattern FREE_INODES = Pattern.compile("(\\d+) free inodes");
    private static final Pattern MAP_BLOCK = Pattern.compile("\\((?:IND|DIND|TIND|ETB\\d*)\\):(\\d+)");

    /** The metadata of {@code image}, by dumpe2fs and debugfs; {@code dirs} are directories whose blocks count. */
    static List<Region> metadataRegions(Path image, List<String> dirs, List<String> mappedFiles) {
        String dump = Tools.run("dumpe2fs", image.toString()).expect(0).out();
        int bs = intOf(BLOCK_SIZE, dump);
        Matcher isz = INODE_SIZE.matcher(dump);
        int inodeSize = isz.find() ? Integer.parseInt(isz.group(1)) : 128; // revision 0 prints none
        int perGroup = intOf(INODES_PER_GROUP, dump);
        List<Region> out = new ArrayList<>();
        out.add(new Region("superblock", 1024, 1024));
        Matcher g = GROUP.matcher(dump);
        List<Integer> starts = new ArrayList<>();
        while (g.find()) starts.add(g.start());
        starts.add(dump.length());
        for (int i = 0; i + 1 < starts.size(); i++) {
            String group = dump.substring(starts.get(i), starts.get(i + 1));
            Matcher m = GDT.matcher(group);
            if (m.find()) out.add(blocks("group descriptors", m, bs));
            m = BLOCK_BITMAP.matcher(group);
            if (m.find()) out.add(new Region("block bitmap of group " + i, Long.parseLong(m.group(1)) * bs, bs));
            m = INODE_BITMAP.matcher(group);
            if (m.find()) out.add(new Region("inode bitmap of group " + i, Long.parseLong(m.group(1)) * bs, bs));
            m = INODE_TABLE.matcher(group);
            Matcher free = FREE_INODES.matcher(group);
            if (m.find() && free.find()) {
                long used = perGroup - Long.parseLong(free.group(1));
                if (used > 0) out.add(new Region("inode table of group " + i, Long.parseLong(m.group(1)) * bs, used * inodeSize));
            }
        }
        StringBuilder cmds = new StringBuilder();
        for (String d : dirs) cmds.append("blocks \"/").append(d).append("\"\n");
        for (String f : mappedFiles) cmds.append("stat \"/").append(f).append("\"\n");
        String info = Images.debugfs(image, false, cmds.toString()).out();
        for (String line : info.split("\n")) {
            if (line.startsWith("debugfs:")) continue;
            if (line.matches("[0-9 ]+")) {
                for (String b : line.trim().split(" +")) out.add(new Region("directory block", Long.parseLong(b) * bs, bs));
            }
            Matcher mb = MAP_BLOCK.matcher(line);
            while (mb.find()) out.add(new Region("block map block", Long.parseLong(mb.group(1)) * bs, bs));
        }
        return out;
    }

    private static Region blocks(String what, Matcher m, int bs) {
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        return new Region(what, first * bs, (last - first + 1) * bs);
    }

    private static int intOf(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) throw new AssertionError("dumpe2fs printed no " + p);
        return Integer.parseInt(m.group(1));
    }

    /**
     * How often each kind of region is picked: the inode table most (modes, sizes, block maps, flags, link
     * counts are all there), then directories and block maps, then the rest. Kinds not listed weigh 1.
     */
    private static final Map<String, Integer> WEIGHTS = Map.of("inode table", 4, "directory block", 2, "block map block", 2);

    private static String kind(Region r) {
        return r.what().replaceAll(" of group \\d+$", "");
    }

    /**
     * Copies {@code image} to {@code out} with {@code flips} bytes (1 to 4 when 0) XORed with random
     * non-zero values at random places in the regions, all chosen by {@code seed}: a kind of region by its
     * weight, then one region of that kind, then a byte in it.
     */
    static Mutant mutate(Path image, Path out, List<Region> regions, long seed, int flips) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = flips > 0 ? flips : 1 + rnd.nextInt(4);
        Map<String, List<Region>> byKind = new TreeMap<>();
        for (Region r : regions) byKind.computeIfAbsent(kind(r), k -> new ArrayList<>()).add(r);
        List<String> weighted = new ArrayList<>();
        for (String k : byKind.keySet()) {
            for (int w = WEIGHTS.getOrDefault(k, 1); w > 0; w--) weighted.add(k);
        }
        TreeMap<Long, Byte> changes = new TreeMap<>();
        TreeMap<Long, String> where = new TreeMap<>();
        try {
            Files.copy(image, out);
            try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
                while (changes.size() < n) {
                    List<Region> ofKind = byKind.get(weighted.get(rnd.nextInt(weighted.size())));
                    Region r = ofKind.get(rnd.nextInt(ofKind.size()));
                    long off = r.offset() + rnd.nextLong(r.length());
                    if (changes.containsKey(off)) continue;
                    f.seek(off);
                    int old = f.read();
                    byte now = (byte) (old ^ (1 + rnd.nextInt(255)));
                    f.seek(off);
                    f.write(now);
                    changes.put(off, now);
                    where.put(off, r.what());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Mutant(out, seed, changes, where);
    }
}
