package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Sys;

/**
 * The FAT32 image NetBSD's own msdosfs wrote (shared/corpus/netbsd-written, see its README): every entry of
 * its manifest is there (names compared case-insensitively, content by SHA-256); our Fsck finds only the
 * stale FSInfo free count NetBSD leaves, as fsck.fat does; after a read-write mount writes to a copy, both
 * find it clean, the count put right.
 */
class MsdosCorpusTest {
    static final String PROPERTY = "jrump.corpus";

    @TempDir
    Path tmp;

    /** The corpus: -Djrump.corpus, $JRUMP_CORPUS, a "shared/corpus" beside the working directory or a parent, or /work/shared/corpus. */
    static Path corpus() {
        String p = System.getProperty(PROPERTY, System.getenv("JRUMP_CORPUS"));
        if (p != null && Files.isDirectory(Path.of(p).resolve("netbsd-written"))) return Path.of(p);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(c.resolve("netbsd-written"))) return c;
        }
        Path fixed = Path.of("/work/shared/corpus");
        if (Files.isDirectory(fixed.resolve("netbsd-written"))) return fixed;
        throw new AssertionError("the test corpus (shared/corpus beside the repository) is missing; say where with -D" + PROPERTY + "=...");
    }

    /** One manifest entry: path under /tree, type, and for files size and SHA-256. */
    record Entry(String path, String type, long size, String sha256) {
    }

    /** The manifest: a JSON array of flat objects with string and number fields. */
    static List<Entry> manifest(Path json) throws Exception {
        String text = Files.readString(json);
        List<Entry> out = new ArrayList<>();
        Matcher obj = Pattern.compile("\\{([^{}]*)}").matcher(text);
        Pattern field = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");
        while (obj.find()) {
            Map<String, String> f = new HashMap<>();
            Matcher m = field.matcher(obj.group(1));
            while (m.find()) f.put(m.group(1), m.group(3) != null ? unescape(m.group(3)) : m.group(4));
            out.add(new Entry(f.get("path"), f.get("type"), f.containsKey("size") ? Long.parseLong(f.get("size")) : -1, f.get("sha256")));
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    private Path image() throws Exception {
        Path img = tmp.resolve("fat32.img");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(corpus().resolve("netbsd-written/msdos-fat32.img.gz")))) {
            Files.copy(in, img);
        }
        return img;
    }

    @Test
    void netbsdWrittenImage_matchesItsManifest() throws Exception {
        List<Entry> manifest = manifest(corpus().resolve("netbsd-written/fattree.manifest.json"));
        assertThat(manifest).hasSizeGreaterThan(400);
        Path img = image();
        String before = MsdosReadTest.sha(img);
        Map<String, List<String>> children = new HashMap<>();
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            for (Entry e : manifest) {
                String path = "/mnt/tree" + e.path();
                String parent = path.substring(0, path.lastIndexOf('/'));
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(path.substring(parent.length() + 1).toUpperCase(Locale.ROOT));
                if (e.type().equals("dir")) {
                    assertThat(m.sys.stat(path).mode() & jrump.rumpkern.Stat.S_IFMT).as(path).isEqualTo(jrump.rumpkern.Stat.S_IFDIR);
                } else {
                    byte[] data = m.read(path);
                    assertThat((long) data.length).as(path).isEqualTo(e.size());
                    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data))).as(path).isEqualTo(e.sha256());
                }
            }
            // and nothing else is there
            for (Map.Entry<String, List<String>> d : children.entrySet()) {
                List<String> names = m.names(d.getKey()).stream().map(n -> n.toUpperCase(Locale.ROOT)).toList();
                assertThat(names).as(d.getKey()).containsExactlyInAnyOrderElementsOf(d.getValue());
            }
        }
        assertThat(MsdosReadTest.sha(img)).as("read-only").isEqualTo(before);
        Fsck.Report r = MsdosFsckTest.fsck(img);
        assertThat(r.problems()).as("only NetBSD's stale FSInfo count").hasSize(1).allMatch(p -> p.startsWith("FSInfo says"));
        assertThat(Tools.run(null, List.of("fsck.fat", "-n", img.toString())).exit()).as("fsck.fat complains too").isNotZero();
    }

    @Test
    void writingACopy_leavesItCleanForBoth() throws Exception {
        Path img = image();
        try (Mounted m = new Mounted(img)) {
            m.write("/mnt/tree/written by jrump.txt", "hello NetBSD".getBytes());
            m.sys.unlink("/mnt/tree/big.bin");
        }
        assertThat(MsdosFsckTest.fsck(img).exitStatus()).isEqualTo(Fsck.EXIT_CLEAN);
        Tools.fsckClean(img);
        assertThat(Tools.ok("mtype", "-i", img.toString(), "::/tree/written by jrump.txt")).isEqualTo("hello NetBSD");
    }
}
