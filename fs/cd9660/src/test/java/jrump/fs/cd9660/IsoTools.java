package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The reference tools (xorriso, genisoimage, makefs, bsdtar, 7z) and the source trees the tests give them. */
final class IsoTools {
    private IsoTools() {
    }

    /** Runs {@code cmd} in {@code dir}; a missing tool or a failure fails the test (never a skip). */
    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is missing (scripts/apt-packages.txt lists its package): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /**
     * A tree with what ISO 9660 and its extensions must carry: files of several sizes, empty ones, a
     * directory of many sectors, twelve levels of directories (Rock Ridge relocation past eight), names past
     * ISO's and Joliet's limits and non-ASCII ones, symlinks (relative, absolute, "..", a target of several
     * hundred bytes), a hard link, owners, modes and whole-second times. {@code posixOnly}: also device
     * nodes and a FIFO (for Rock Ridge images).
     */
    static Path tree(Path root, long seed, boolean posixOnly) throws IOException, InterruptedException {
        Path t = Files.createDirectories(root);
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.writeString(t.resolve("hello.txt"), "hello, cd9660\n");
        byte[] big = new byte[(3 << 20) + 123];
        rnd.nextBytes(big);
        Files.write(t.resolve("big.bin"), big);
        Files.write(t.resolve("empty"), new byte[0]);
        Path deep = t;
        for (int i = 0; i < 12; i++) deep = Files.createDirectory(deep.resolve("d" + i));
        Files.writeString(deep.resolve("leaf"), "deep");
        Path many = Files.createDirectory(t.resolve("many"));
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(b);
            Files.write(many.resolve("entry-" + i + ".dat"), b);
        }
        Files.writeString(t.resolve("a name well past the sixty-four characters Joliet allows, " + "x".repeat(20) + ".txt"), "long");
        Files.writeString(t.resolve("ünïcødé 名前"), "names");
        Files.writeString(t.resolve("MixedCase.TXT"), "case");
        Files.createLink(t.resolve("hard"), t.resolve("hello.txt"));
        Files.setPosixFilePermissions(t.resolve("empty"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setAttribute(t.resolve("empty"), "unix:uid", 1234);
        Files.setAttribute(t.resolve("empty"), "unix:gid", 5678);
        if (posixOnly) {
            Files.createSymbolicLink(t.resolve("link"), Path.of("hello.txt"));
            Files.createSymbolicLink(t.resolve("many/up"), Path.of("../d0/d1/./d2"));
            Files.createSymbolicLink(t.resolve("abs"), Path.of("/etc/passwd"));
            Files.createSymbolicLink(t.resolve("long-link"), Path.of("/" + "component/".repeat(30) + "z".repeat(200)));
            run(t, "mknod", "cdev", "c", "1", "3");
            run(t, "mknod", "bdev", "b", "8", "1");
            run(t, "mkfifo", "fifo");
            Files.setPosixFilePermissions(t.resolve("d0"), PosixFilePermissions.fromString("rwx--x--x"));
        }
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(t)) {
            s.forEach(all::add);
        }
        for (Path p : all.reversed()) {
            // links, FIFOs and devices keep their own times (setting one would open, and a FIFO blocks)
            if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            Files.setLastModifiedTime(p, FileTime.from(1_500_000_000L + rnd.nextInt(100_000_000), TimeUnit.SECONDS));
        }
        return t;
    }

    /** A file of {@code size} bytes that holds {@code tail} at its end and a hole before it. */
    static void sparse(Path p, long size, byte[] tail) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - tail.length);
            f.write(tail);
        }
    }
}
