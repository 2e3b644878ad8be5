package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jrump cp -r} out of an image with several copying threads: a tree mke2fs made, with hard links
 * spread over many directories (so that threads meet the same inode at once), copied out with 1, 2 and 4
 * threads; the host copy must have every file's bytes, one inode per link group with the image's link
 * count, and with -p every directory's modification time (set after its contents were written).
 */
class TreeExportTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        return Jrump.run(new ByteArrayOutputStream(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    /** 12 directories of 30 files; every 7th file also linked from 3 other directories. */
    private Path image(long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path tree = tmp.resolve("tree");
        List<Path> files = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            Path dir = Files.createDirectories(tree.resolve("d" + d).resolve("sub" + (d % 3)));
            for (int f = 0; f < 30; f++) {
                byte[] b = new byte[rnd.nextInt(0, 9000)];
                rnd.nextBytes(b);
                files.add(Files.write(dir.resolve("f" + f), b));
            }
        }
        for (int i = 0; i < files.size(); i += 7) {
            for (int k = 1; k <= 3; k++) {
                Path other = tree.resolve("d" + ((i / 30 + k * 5) % 12)).resolve("sub" + ((i / 30 + k * 5) % 12 % 3));
                Files.createLink(other.resolve("link" + i + "_" + k), files.get(i));
            }
        }
        try (Stream<Path> s = Files.walk(tree)) {
            long t = 1_600_000_000L;
            for (Path p : s.filter(Files::isDirectory).toList()) Files.setLastModifiedTime(p, FileTime.fromMillis(1000 * t++));
        }
        Path img = tmp.resolve("tree.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), img.toString(), "32M");
        return img;
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 4})
    void treesComeOutWhole(int threads) throws Exception {
        long seed = 42 + threads;
        Path img = image(seed);
        Path out = tmp.resolve("out");
        Files.createDirectory(out);
        String before = System.getProperty("jrump.cp.threads");
        System.setProperty("jrump.cp.threads", Integer.toString(threads));
        try {
            assertThat(run("cp", "-r", "-p", img + ":/", out.toString())).as("seed %d: %s", seed, err).isZero();
        } finally {
            if (before == null) System.clearProperty("jrump.cp.threads");
            else System.setProperty("jrump.cp.threads", before);
        }
        Path tree = tmp.resolve("tree");
        Path copy = out.resolve("root");
        Map<Object, Object> linkGroups = new HashMap<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path src : s.toList()) {
                Path dst = copy.resolve(tree.relativize(src).toString());
                assertThat(dst).as("seed %d", seed).exists();
                if (Files.isDirectory(src)) {
                    if (src.equals(tree)) continue; // mke2fs adds lost+found to the root after its time was read
                    assertThat(Files.getLastModifiedTime(dst, LinkOption.NOFOLLOW_LINKS)).as("seed %d: %s", seed, dst)
                            .isEqualTo(Files.getLastModifiedTime(src));
                    continue;
                }
                files++;
                assertThat(Files.readAllBytes(dst)).as("seed %d: %s", seed, dst).isEqualTo(Files.readAllBytes(src));
                assertThat(Files.getAttribute(dst, "unix:nlink")).as("%s", dst).isEqualTo(Files.getAttribute(src, "unix:nlink"));
                Object key = Files.getAttribute(dst, "unix:ino");
                Object srcKey = Files.getAttribute(src, "unix:ino");
                Object seen = linkGroups.putIfAbsent(srcKey, key);
                assertThat(seen == null || seen.equals(key)).as("seed %d: %s is one inode with its other links", seed, dst).isTrue();
            }
        }
        assertThat(files).isEqualTo(12 * 30 + 3 * 52);
        try (Stream<Path> s = Files.walk(copy)) {
            assertThat(s.count()).as("nothing but the source and lost+found").isEqualTo(countAll(tree) + 1);
        }
    }

    private static long countAll(Path tree) throws IOException {
        try (Stream<Path> s = Files.walk(tree)) {
            return s.count();
        }
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Path img = image(7);
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("root/d3/sub0"));
        Files.writeString(out.resolve("root/d3/sub0/f5"), "mine");
        System.setProperty("jrump.cp.threads", "2");
        try {
            assertThat(run("cp", "-r", img + ":/", out.toString())).isEqualTo(1);
        } finally {
            System.clearProperty("jrump.cp.threads");
        }
        assertThat(err.toString()).contains("root/d3/sub0/f5: File exists");
        assertThat(Files.readString(out.resolve("root/d3/sub0/f5"))).isEqualTo("mine");
    }

    /**
     * Large files go by sendfile on their own thread beside the walk: their bytes, their hard links (one
     * inode on the host) and several sources in one command (`cp -r IMG:/dir IMG:/file OUT`) all come out
     * right, and a failure elsewhere while a large copy waits still ends the command with its message.
     */
    @Test
    void largeFiles_andSeveralSources_comeOutWhole() throws Exception {
        long seed = 7;
        SplittableRandom rnd = new SplittableRandom(seed);
        Path tree = tmp.resolve("tree");
        Path dir = Files.createDirectories(tree.resolve("dir"));
        byte[] big = new byte[(17 << 20) + 123]; // past the bulk threshold, not a whole number of blocks
        rnd.nextBytes(big);
        Files.write(dir.resolve("big"), big);
        Files.createLink(dir.resolve("big-link"), dir.resolve("big"));
        byte[] mid = new byte[3 << 20]; // sendfile, on the walking thread
        rnd.nextBytes(mid);
        Files.write(tree.resolve("mid"), mid);
        for (int f = 0; f < 50; f++) Files.writeString(dir.resolve("small" + f), "small " + f + "\n");
        Path img = tmp.resolve("big.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), img.toString(), "64M");
        Path out = Files.createDirectory(tmp.resolve("out"));
        assertThat(run("cp", "-r", img + ":/dir", img + ":/mid", out.toString())).as("seed %d: %s", seed, err).isZero();
        assertThat(Files.readAllBytes(out.resolve("dir/big"))).isEqualTo(big);
        assertThat(Files.readAllBytes(out.resolve("mid"))).isEqualTo(mid);
        assertThat(Files.getAttribute(out.resolve("dir/big-link"), "unix:ino")).isEqualTo(Files.getAttribute(out.resolve("dir/big"), "unix:ino"));
        for (int f = 0; f < 50; f++) assertThat(Files.readString(out.resolve("dir/small" + f))).isEqualTo("small " + f + "\n");

        // a file in the way of one small file: the command fails naming it, never hangs, overwrites nothing
        Path again = Files.createDirectories(tmp.resolve("again").resolve("dir"));
        Files.writeString(again.resolve("small3"), "mine");
        assertThat(run("cp", "-r", img + ":/dir", tmp.resolve("again").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("small3: File exists");
        assertThat(Files.readString(again.resolve("small3"))).isEqualTo("mine");
    }
}
