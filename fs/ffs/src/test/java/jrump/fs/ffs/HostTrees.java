package jrump.fs.ffs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Source trees for the tests: what FFS must carry. Deep directories, a directory of many blocks, files of
 * every size class (empty, under a fragment, fragment tails, exactly a block, the direct/indirect boundary,
 * double-indirect), fast and slow symlinks (a target past fs_maxsymlinklen), hard links across
 * directories, odd names (spaces, non-ASCII, 255 bytes, a leading dash, a newline), modes with setuid and
 * sticky bits, several owners and nanosecond times.
 */
final class HostTrees {
    private HostTrees() {
    }

    static Path tree(Path root, long seed, int bigFileBytes, int bigDirEntries) throws IOException {
        Path t = Files.createDirectories(root);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] sizes = {0, 1, 511, 1023, 1024, 1025, 3000, 4095, 4096, 4097, 8191, 8192, 8193, 12 * 8192 - 1, 12 * 8192, 12 * 8192 + 1, 100_000};
        Path files = Files.createDirectory(t.resolve("sizes"));
        for (int s : sizes) write(files.resolve("f" + s), s, rnd);
        write(t.resolve("big.bin"), bigFileBytes, rnd);
        Path deep = t;
        for (int i = 0; i < 24; i++) deep = Files.createDirectory(deep.resolve("level" + i));
        Files.writeString(deep.resolve("leaf"), "at the bottom\n");
        Path many = Files.createDirectory(t.resolve("many"));
        for (int i = 0; i < bigDirEntries; i++) write(many.resolve("entry-" + i + "-" + "n".repeat(i % 40)), rnd.nextInt(200), rnd);
        Path odd = Files.createDirectory(t.resolve("odd names"));
        for (String n : new String[] {"with space", "ünïcödé ☃", "x".repeat(255), "-dash", "new\nline", "...", "a=b&c", "tab\tchar"}) {
            Files.writeString(odd.resolve(n), n);
        }
        Path links = Files.createDirectory(t.resolve("links"));
        Files.createSymbolicLink(links.resolve("short"), Path.of("../sizes/f1"));
        Files.createSymbolicLink(links.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(links.resolve("long"), Path.of("../" + "long-component/".repeat(12) + "end"));
        Files.createSymbolicLink(links.resolve("exactly60"), Path.of("y".repeat(60)));
        Files.createSymbolicLink(links.resolve("exactly120"), Path.of("z".repeat(120)));
        Path shared = t.resolve("sizes/f3000");
        Files.createLink(links.resolve("hard1"), shared);
        Files.createLink(t.resolve("hard2"), shared);
        Path modes = Files.createDirectory(t.resolve("modes"));
        write(modes.resolve("private"), 10, rnd);
        Files.setPosixFilePermissions(modes.resolve("private"), PosixFilePermissions.fromString("rw-------"));
        write(modes.resolve("setuid"), 10, rnd);
        Files.setAttribute(modes.resolve("setuid"), "unix:mode", 04755);
        Path sticky = Files.createDirectory(modes.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Files.setAttribute(modes.resolve("private"), "unix:uid", 1000);
        Files.setAttribute(modes.resolve("private"), "unix:gid", 100);
        Files.setAttribute(sticky, "unix:uid", 65534);
        Files.setAttribute(modes.resolve("setuid"), "unix:gid", 4242);
        // distinct times, with nanoseconds, bottom-up so that directory times are not disturbed afterwards
        try (var s = Files.walk(t)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                long sec = 1_600_000_000L + rnd.nextInt(100_000_000);
                long ns = sec * 1_000_000_000L + rnd.nextInt(1_000_000_000);
                var view = Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setTimes(FileTime.from(ns, TimeUnit.NANOSECONDS), FileTime.from(ns - 12_345_678_900L, TimeUnit.NANOSECONDS), null);
            }
        }
        return t;
    }

    static void write(Path p, int size, SplittableRandom rnd) throws IOException {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        Files.write(p, b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
