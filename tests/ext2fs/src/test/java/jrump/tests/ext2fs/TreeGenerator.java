package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Makes a host directory tree that exercises what an ext2/3/4 reader has to get right, from one seed: the
 * same seed makes the same tree (names, contents, holes, owners, modes, times, attributes).
 *
 * <p>What is in it, by top-level directory:
 * <ul>
 *   <li>{@code deep}: a chain of {@link Spec#depth} directories, a file at every level and symlinks
 *       climbing back up from the bottom;</li>
 *   <li>{@code big}: one directory of {@link Spec#bigDirEntries} entries, so that {@code e2fsck -D} gives
 *       it an htree index (two levels with 1 KiB blocks at 10,000 entries): mostly empty files, some small
 *       ones, symlinks, subdirectories and hard links to other entries, names of 1 to 255 bytes;</li>
 *   <li>{@code files}: files of the sizes around every block-map boundary (inline data's 60 bytes, 1 and 4
 *       KiB blocks, the 12 direct blocks, the end of the single indirect block) and a few large ones of
 *       random content;</li>
 *   <li>{@code sparse}: files with holes at the start, in the middle and at the end, one all hole, one with
 *       data past 64 MiB (triple indirect with 1 KiB blocks);</li>
 *   <li>{@code links}: symlinks of 1 to 1000 bytes, around the 60-byte fast symlink limit, absolute,
 *       dangling, looping and non-ASCII;</li>
 *   <li>{@code hard}: names of the same inode in one directory and across directories, for files, empty
 *       files, symlinks and FIFOs;</li>
 *   <li>{@code names}: spaces, newlines, tabs, quotes, control characters, NFC and NFD forms of one word,
 *       CJK, emoji, 255-byte names in ASCII and in multi-byte UTF-8 (anything but '/' and NUL);</li>
 *   <li>{@code modes}: setuid, setgid, sticky and unusual permissions on files and directories;</li>
 *   <li>{@code special}: FIFOs, character and block devices (old and new device number encodings);</li>
 *   <li>{@code xattrs}: user.* attributes: empty, binary with NULs, several per inode, a 500-byte one, on
 *       directories, on hard-linked files, with a non-ASCII name;</li>
 *   <li>{@code times}: modification times before 1970, at 0, at the 32-bit limits, after 2038 and 2106,
 *       with nanoseconds.</li>
 * </ul>
 * Every entry has an explicit owner (including 32-bit uids), mode and modification time with nanoseconds.
 * Runs as root (chown and mknod need it); FIFOs, devices and times before 1970 are made with coreutils
 * (Java can make none of them).
 */
final class TreeGenerator {
    /** The knobs that change the tree's size. */
    record Spec(String name, int depth, int bigDirEntries, List<Long> largeFileSizes, long farSparseOffset) {
        /** What the image tests use: depth 22, a 10,000-entry directory, about 8 MiB of data. */
        static Spec full() {
            return new Spec("full", 22, 10_000, List.of(1L << 20 | 1, 2_621_440L, 4_456_448L + 4099), 80L << 20);
        }

        /** A quick tree with every kind of entry, for the tests that copy it many times. */
        static Spec small() {
            return new Spec("small", 21, 300, List.of(300_000L), 3L << 20);
        }
    }

    /** A generated tree. */
    record Tree(Path root, long seed, Spec spec, Map<String, Integer> counts) {
        /** For failure messages: what tree this was and how to make it again. */
        String describe() {
            return "tree " + spec.name() + " at " + root + ", " + Seeds.describe(seed) + ", " + counts;
        }
    }

    /** One inode the generator made, by its first name: the attribute passes visit each once. */
    private record Made(Path path, Kind kind) {
    }

    private enum Kind { DIR, FILE, SYMLINK, FIFO, DEVICE }

    /** Owners: mostly root, some ordinary, 16-bit edge and 32-bit uids (ext2 keeps the high half apart). */
    private static final int[] IDS = {0, 0, 0, 0, 1, 2, 1000, 1001, 65534, 65535, 65536, 70_000, 1 << 20, 2_000_000_000};
    private static final int[] FILE_MODES = {0644, 0644, 0600, 0755, 0444, 0640, 0664};
    private static final int[] DIR_MODES = {0755, 0755, 0700, 0775, 0750};
    /** Characters for random names: mostly plain, sometimes punctuation, sometimes multi-byte UTF-8. */
    private static final String PLAIN = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String PUNCT = "._- +,=@";
    private static final String[] WIDE = {"é", "ü", "ß", "ж", "日", "本", "語", "한", "😀", "\u0301"};

    private final SplittableRandom rnd;
    private final Path root;
    private final Spec spec;
    private final List<Made> made = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    /** Times to set with touch: before 1970, and of FIFOs and devices (see setTime). */
    private final Map<Path, Instant> touchTimes = new LinkedHashMap<>();
    /** Explicit times for chosen entries (the "times" section); the rest get random ones. */
    private final Map<Path, Instant> fixedTimes = new LinkedHashMap<>();
    /** Explicit modes for chosen entries (the "modes" section); the rest get ordinary random ones. */
    private final Map<Path, Integer> fixedModes = new LinkedHashMap<>();

    private TreeGenerator(Path root, long seed, Spec spec) {
        this.rnd = new SplittableRandom(seed);
        this.root = root;
        this.spec = spec;
    }

    /** Fills the empty directory {@code root} with the tree of {@code seed}. */
    static Tree generate(Path root, long seed, Spec spec) {
        requireUtf8FileNames();
        if (!Tools.run("id", "-u").expect(0).out().trim().equals("0")) {
            throw new AssertionError("the tree generator runs as root: it gives entries owners and makes devices");
        }
        try {
            Files.createDirectories(root);
            try (var s = Files.list(root)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException(root + " is not empty");
            }
            TreeGenerator g = new TreeGenerator(root, seed, spec);
            g.build();
            return new Tree(root, seed, spec, Map.copyOf(g.counts));
        } catch (IOException e) {
            throw new UncheckedIOException("generating " + spec.name() + " tree with " + Seeds.describe(seed), e);
        }
    }

    /** Non-ASCII names need a UTF-8 sun.jnu.encoding (the pom sets LC_ALL for the test JVM). */
    static void requireUtf8FileNames() {
        String enc = System.getProperty("sun.jnu.encoding");
        if (!"UTF-8".equalsIgnoreCase(enc)) {
            throw new AssertionError("the JVM names host files in " + enc + ", not UTF-8: run it with LC_ALL=C.UTF-8");
        }
    }

    private void build() throws IOException {
        made.add(new Made(root, Kind.DIR));
        Path files = dir(root, "files");
        filesSection(files);
        deepSection(dir(root, "deep"));
        sparseSection(dir(root, "sparse"));
        linksSection(dir(root, "links"));
        namesSection(dir(root, "names"));
        modesSection(dir(root, "modes"));
        specialSection(dir(root, "special"));
        xattrSection(dir(root, "xattrs"));
        timesSection(dir(root, "times"));
        Path big = dir(root, "big");
        bigSection(big);
        hardSection(dir(root, "hard"), big);
        // attributes last: creating entries changes their directories' times, chown clears setuid
        sprinkleXattrs();
        owners();
        modes();
        times();
    }

    // ---- sections ----

    private void filesSection(Path dir) throws IOException {
        // sizes around the boundaries of the block maps: inline data (60 bytes in i_block), 1 KiB and 4 KiB
        // blocks, the 12 direct blocks and the end of the single indirect block for both block sizes
        long[] sizes = {0, 1, 59, 60, 61, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024, 12 * 1024 + 1,
                48 * 1024 - 1, 48 * 1024, 48 * 1024 + 1, 268 * 1024, 268 * 1024 + 1};
        for (long size : sizes) file(dir.resolve("size-" + size), randomBytes((int) size));
        int i = 0;
        for (long size : spec.largeFileSizes()) {
            Path p = dir.resolve("large-" + i++);
            try (var out = Files.newOutputStream(p)) {
                byte[] chunk = new byte[1 << 16];
                for (long done = 0; done < size; done += chunk.length) {
                    rnd.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - done));
                }
            }
            made(p, Kind.FILE);
        }
        // a file of one repeated byte and one of zeros written out: content, not holes
        file(dir.resolve("ones"), filled(70_000, (byte) 0xff));
        file(dir.resolve("zeros-written"), new byte[9000]);
    }

    private void deepSection(Path dir) throws IOException {
        Path d = dir;
        for (int level = 0; level < spec.depth(); level++) {
            d = dir(d, String.format("d%02d", level));
            file(d.resolve("f"), randomBytes(rnd.nextInt(200)));
        }
        // from the bottom back to the top: a relative target longer than a fast symlink holds
        symlink(d.resolve("up"), "../".repeat(spec.depth() + 1) + "files/size-61");
        symlink(d.resolve("here"), ".");
    }

    private void sparseSection(Path dir) throws IOException {
        sparse(dir.resolve("hole-first"), 700_000 + 5000, new long[] {700_000}, new int[] {5000});
        sparse(dir.resolve("hole-middle"), (3L << 20) + 20_480, new long[] {0, 3L << 20}, new int[] {10_240, 20_480});
        sparse(dir.resolve("hole-last"), 2L << 20, new long[] {0}, new int[] {4096});
        sparse(dir.resolve("all-hole"), (5L << 20) + 3, new long[0], new int[0]);
        sparse(dir.resolve("far"), spec.farSparseOffset() + 4096, new long[] {spec.farSparseOffset()}, new int[] {4096});
        int n = 30;
        long[] offsets = new long[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = rnd.nextLong(8L << 20);
            lengths[i] = 1 + rnd.nextInt(4096);
        }
        sparse(dir.resolve("scattered"), 8L << 20, offsets, lengths);
    }

    private void linksSection(Path dir) throws IOException {
        // ext2 keeps a target of up to 59 bytes in the inode (fast), longer ones in a block (slow)
        for (int len : new int[] {1, 2, 58, 59, 60, 61, 100, 255, 500, 1000}) {
            symlink(dir.resolve("len-" + len), randomTarget(len));
        }
        symlink(dir.resolve("absolute"), "/no/such/absolute/target"); // nothing of the host
        symlink(dir.resolve("dangling"), "no/such/file");
        symlink(dir.resolve("to-dir"), "../files");
        symlink(dir.resolve("loop"), "loop");
        symlink(dir.resolve("chain-a"), "chain-b");
        symlink(dir.resolve("chain-b"), "chain-c");
        symlink(dir.resolve("chain-c"), "../files/size-1");
        symlink(dir.resolve("utf8-fast"), "日本語/é"); // multi-byte, fast
        symlink(dir.resolve("utf8-slow"), "日本語/".repeat(6) + "é"); // 62 bytes: slow
        symlink(dir.resolve("spaces"), "a target with spaces\tand tab");
    }

    private void namesSection(Path dir) throws IOException {
        List<String> names = new ArrayList<>(List.of(" leading space", "trailing space ", "many   spaces", "-dash",
                "--", "...", ".hidden", "..hidden", "tab\tname", "new\nline", "\nstarts with newline", "back\\slash",
                "double\"quote", "'single'", "*?[glob]{x}", "#hash", "~tilde", "$dollar", "%percent", "colon:name",
                "café", "cafe\u0301", "日本語のファイル名", "한국어", "Ελληνικά", "עברית", "emoji😀🎉", "\u0001ctrl",
                "del\u007f", "esc\u001b[0m", "x", "X", "ＦＵＬＬＷＩＤＴＨ", "\u00a0nbsp"));
        names.add("a".repeat(255)); // NAME_MAX in bytes
        names.add("日".repeat(85)); // 255 bytes of 3-byte characters
        names.add("é".repeat(127) + "a"); // 255 bytes, 2-byte characters and one ASCII
        names.add("😀".repeat(63) + "abc"); // 255 bytes of 4-byte characters
        for (int i = 0; i < 20; i++) names.add(randomName(1 + rnd.nextInt(60), new HashSet<>(names)));
        for (String name : names) {
            if (rnd.nextInt(4) == 0) {
                Path d = dir(dir, name);
                file(d.resolve("inside"), randomBytes(rnd.nextInt(100)));
            } else {
                file(dir.resolve(name), randomBytes(rnd.nextInt(300)));
            }
        }
        // a path of long components
        Path d = dir(dir, "b".repeat(255));
        d = dir(d, "c".repeat(255));
        file(d.resolve("d".repeat(255)), randomBytes(10));
    }

    private void modesSection(Path dir) throws IOException {
        int[] fileModes = {0, 0400, 0444, 0600, 0644, 0664, 0700, 0755, 0777, 04755, 02755, 06755, 01755, 07777,
                04000, 02000, 01000, 02644};
        for (int m : fileModes) fixedMode(file(dir.resolve(String.format("f%04o", m)), randomBytes(rnd.nextInt(50))), m);
        int[] dirModes = {0, 0555, 0700, 0755, 01777, 02775, 03777, 07777, 0711};
        for (int m : dirModes) {
            Path d = dir(dir, String.format("d%04o", m));
            file(d.resolve("inside"), randomBytes(8));
            fixedMode(d, m);
        }
    }

    private void specialSection(Path dir) {
        for (String f : List.of("fifo-a", "fifo-b", "fifo-c")) fifo(dir.resolve(f));
        // (1,3) fits the old 16-bit encoding; minors above 255 and majors above 255 need the new one
        device(dir.resolve("char-1-3"), 'c', 1, 3);
        device(dir.resolve("char-4-64"), 'c', 4, 64);
        device(dir.resolve("block-8-300"), 'b', 8, 300);
        device(dir.resolve("block-259-70000"), 'b', 259, 70_000);
    }

    private void xattrSection(Path dir) throws IOException {
        Path empty = file(dir.resolve("empty-value"), randomBytes(10));
        xattr(empty, "empty", new byte[0]);
        Path binary = file(dir.resolve("binary-value"), randomBytes(10));
        xattr(binary, "bin", new byte[] {0, 1, 0, (byte) 0xff, 0, '\n'});
        Path several = file(dir.resolve("several"), randomBytes(10));
        for (int i = 0; i < 5; i++) xattr(several, "attr" + i, randomBytes(1 + rnd.nextInt(40)));
        // 500 bytes: past what a 256-byte inode holds, so it goes to an attribute block
        Path large = file(dir.resolve("large-value"), randomBytes(10));
        xattr(large, "large", randomBytes(500));
        Path d = dir(dir, "dir-with-xattrs");
        xattr(d, "on.dir", "directory attribute".getBytes(StandardCharsets.UTF_8));
        file(d.resolve("plain"), randomBytes(3));
        Path linked = file(dir.resolve("linked"), randomBytes(10));
        xattr(linked, "shared", "seen through both names".getBytes(StandardCharsets.UTF_8));
        link(dir.resolve("linked-2"), linked);
        Path utf8 = file(dir.resolve("utf8-name"), randomBytes(10));
        xattr(utf8, "日本語.é", "ü".getBytes(StandardCharsets.UTF_8));
        Path empty2 = file(dir.resolve("empty-file-with-xattr"), new byte[0]);
        xattr(empty2, "k", "v".getBytes(StandardCharsets.UTF_8));
    }

    private void timesSection(Path dir) throws IOException {
        Instant[] times = {
                Instant.ofEpochSecond(0, 0),
                Instant.ofEpochSecond(-1, 999_999_999), // one nanosecond before 1970
                Instant.ofEpochSecond(-100_001, 876_543_211),
                Instant.ofEpochSecond(-86_400L * 365 * 50, 500_000_000), // 1920
                Instant.ofEpochSecond(Integer.MIN_VALUE, 0), // the earliest a signed 32-bit time holds
                Instant.ofEpochSecond(1, 1),
                Instant.ofEpochSecond(Integer.MAX_VALUE, 999_999_999), // 2038-01-19T03:14:07
                Instant.ofEpochSecond(1L << 31, 0), // one second past: needs ext4's epoch bits
                Instant.ofEpochSecond((1L << 32) + 5, 123), // 2106
                Instant.ofEpochSecond(7_258_118_400L, 999_999_999), // 2200
        };
        for (int i = 0; i < times.length; i++) {
            Path p = file(dir.resolve("t" + i), randomBytes(i));
            fixedTimes.put(p, times[i]);
        }
        Path d = dir(dir, "old-dir");
        fixedTimes.put(d, Instant.ofEpochSecond(-2_000_000, 1));
        Path s = symlink(dir.resolve("old-symlink"), "t0");
        fixedTimes.put(s, Instant.ofEpochSecond(-3_000_000, 999));
        Path s2 = symlink(dir.resolve("future-symlink"), "t1");
        fixedTimes.put(s2, Instant.ofEpochSecond(5_000_000_000L, 42));
    }

    private void bigSection(Path dir) throws IOException {
        Set<String> taken = new HashSet<>();
        List<Path> files = new ArrayList<>();
        int n = 0;
        while (n < spec.bigDirEntries()) {
            int len = rnd.nextInt(20) == 0 ? 100 + rnd.nextInt(156) : 4 + rnd.nextInt(36);
            String name = randomName(len, taken);
            taken.add(name);
            Path p = dir.resolve(name);
            int kind = rnd.nextInt(100);
            if (kind < 85 || files.isEmpty()) {
                files.add(file(p, new byte[0]));
            } else if (kind < 92) {
                files.add(file(p, randomBytes(1 + rnd.nextInt(200))));
            } else if (kind < 96) {
                symlink(p, randomTarget(1 + rnd.nextInt(40)));
            } else if (kind < 97) {
                Path d = dir(dir, name);
                file(d.resolve("f"), randomBytes(rnd.nextInt(20)));
            } else {
                link(p, files.get(rnd.nextInt(files.size())));
            }
            n++;
        }
    }

    private void hardSection(Path dir, Path big) throws IOException {
        Path h = file(dir.resolve("h1"), randomBytes(3000));
        link(dir.resolve("h2"), h);
        Path sub = dir(dir, "sub");
        link(sub.resolve("h3"), h);
        link(big.resolve("hard-from-big"), h);
        link(root.resolve("deep").resolve("d00").resolve("hard-from-deep"), h);
        Path e = file(dir.resolve("empty-1"), new byte[0]);
        for (int i = 2; i <= 3; i++) link(dir.resolve("empty-" + i), e);
        Path many = file(dir.resolve("many-0"), randomBytes(10));
        for (int i = 1; i < 100; i++) link(sub.resolve("many-" + i), many);
        // no hard-linked symlink: mke2fs -d (1.47.0) gives each name of one its own inode, so the image could
        // not hold what the host has
        Path fifo = fifo(dir.resolve("fifo-1"));
        link(sub.resolve("fifo-2"), fifo);
    }

    // ---- attribute passes ----

    /** A few more attributes on random files and directories elsewhere in the tree. */
    private void sprinkleXattrs() throws IOException {
        for (Made m : List.copyOf(made)) {
            if ((m.kind() == Kind.FILE || m.kind() == Kind.DIR) && rnd.nextInt(50) == 0
                    && !m.path().startsWith(root.resolve("xattrs"))) {
                xattr(m.path(), "sprinkled", randomBytes(rnd.nextInt(30)));
            }
        }
    }

    private void fixedMode(Path p, int mode) {
        fixedModes.put(p, mode);
    }

    private void owners() throws IOException {
        for (Made m : made) {
            if (m.path().equals(root)) continue;
            int uid = IDS[rnd.nextInt(IDS.length)];
            int gid = IDS[rnd.nextInt(IDS.length)];
            Files.setAttribute(m.path(), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(m.path(), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void modes() throws IOException {
        for (Made m : made) {
            Integer fixed = fixedModes.get(m.path());
            int mode = switch (m.kind()) {
                case SYMLINK, FIFO, DEVICE -> -1; // Linux has no lchmod: symlinks stay 0777; see fifo()
                case DIR -> fixed != null ? fixed : DIR_MODES[rnd.nextInt(DIR_MODES.length)];
                case FILE -> fixed != null ? fixed : FILE_MODES[rnd.nextInt(FILE_MODES.length)];
            };
            if (mode >= 0) Files.setAttribute(m.path(), "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** Deepest first, so that setting a directory's time comes after everything that changes it. */
    private void times() {
        List<Made> order = new ArrayList<>(made);
        order.sort(Comparator.comparingInt((Made m) -> m.path().getNameCount()).reversed());
        for (Made m : order) {
            Instant t = fixedTimes.get(m.path());
            if (t == null) {
                // 1970-01-02 .. 2037-12-31, any nanosecond
                t = Instant.ofEpochSecond(86_400 + rnd.nextLong(2_145_830_400L - 86_400), rnd.nextInt(1_000_000_000));
            }
            setTime(m, t);
        }
        // touch is one process per time: only for the few that need it (in the map's deepest-first order)
        for (var e : touchTimes.entrySet()) {
            String at = "@" + new BigDecimal(e.getValue().getEpochSecond()).add(BigDecimal.valueOf(e.getValue().getNano(), 9)).toPlainString();
            Tools.run("touch", "-h", "-m", "-d", at, e.getKey().toString()).expect(0);
        }
    }

    private void setTime(Made m, Instant t) {
        Path p = m.path();
        // java.nio clamps times before 1970 to 0, and may open the file to set its times, which for a FIFO
        // waits for a writer and for a device opens the device
        if (t.getEpochSecond() < 0 || m.kind() == Kind.FIFO || m.kind() == Kind.DEVICE) {
            touchTimes.put(p, t);
            return;
        }
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(t), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- making entries ----

    private Path dir(Path parent, String name) throws IOException {
        Path d = Files.createDirectory(parent.resolve(name));
        made(d, Kind.DIR);
        return d;
    }

    private Path file(Path p, byte[] content) throws IOException {
        Files.write(p, content);
        made(p, Kind.FILE);
        return p;
    }

    private Path symlink(Path p, String target) throws IOException {
        Files.createSymbolicLink(p, Path.of(target));
        made(p, Kind.SYMLINK);
        return p;
    }

    /** A file of {@code size} bytes with random data at {@code offsets} and holes elsewhere. */
    private void sparse(Path p, long size, long[] offsets, int[] lengths) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (int i = 0; i < offsets.length; i++) {
                f.seek(offsets[i]);
                f.write(randomBytes(lengths[i]));
            }
            f.setLength(size);
        }
        made(p, Kind.FILE);
    }

    /** Another name for {@code existing}'s inode: it takes no attributes of its own. */
    private void link(Path p, Path existing) throws IOException {
        Files.createLink(p, existing);
        count("hardlink");
    }

    /**
     * FIFOs and devices get their modes when made: java.nio's chmod opens the file, which for a FIFO waits
     * for a writer forever.
     */
    private Path fifo(Path p) {
        Tools.run("mkfifo", "-m", specialMode(), p.toString()).expect(0);
        made(p, Kind.FIFO);
        return p;
    }

    private void device(Path p, char type, int major, int minor) {
        Tools.run("mknod", "-m", specialMode(), p.toString(), String.valueOf(type), String.valueOf(major),
                String.valueOf(minor)).expect(0);
        made(p, Kind.DEVICE);
    }

    private String specialMode() {
        return Integer.toOctalString(rnd.nextBoolean() ? 0600 : 0666);
    }

    private void xattr(Path p, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .write(name, ByteBuffer.wrap(value));
        count("xattr");
    }

    private void made(Path p, Kind kind) {
        made.add(new Made(p, kind));
        count(kind.name().toLowerCase());
    }

    private void count(String what) {
        count(what, 1);
    }

    private void count(String what, int n) {
        counts.merge(what, n, Integer::sum);
    }

    // ---- randomness ----

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    /** A name of at most {@code maxBytes} UTF-8 bytes (and at least one character) not in {@code taken}. */
    private String randomName(int maxBytes, Set<String> taken) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            int bytes = 0;
            while (true) {
                int r = rnd.nextInt(100);
                String c = r < 85 ? String.valueOf(PLAIN.charAt(rnd.nextInt(PLAIN.length())))
                        : r < 95 ? String.valueOf(PUNCT.charAt(rnd.nextInt(PUNCT.length())))
                        : WIDE[rnd.nextInt(WIDE.length)];
                int len = c.getBytes(StandardCharsets.UTF_8).length;
                if (bytes + len > maxBytes) break;
                sb.append(c);
                bytes += len;
            }
            String name = sb.toString();
            if (!name.isEmpty() && !name.equals(".") && !name.equals("..") && !taken.contains(name)) return name;
            maxBytes = Math.max(maxBytes, 4);
        }
    }

    /** A relative target of exactly {@code len} bytes. */
    private String randomTarget(int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            int r = rnd.nextInt(10);
            sb.append(r == 0 && sb.length() > 0 && sb.charAt(sb.length() - 1) != '/' ? '/'
                    : PLAIN.charAt(rnd.nextInt(PLAIN.length())));
        }
        return sb.toString();
    }
}
