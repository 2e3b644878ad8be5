package jrump.p2k;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;

/** Source trees for the tests: nested directories, small and large files, and optionally symlinks and hard links. */
final class Trees {
    private Trees() {
    }

    /**
     * {@code files} files over a few directory levels plus one 3 MiB file (several FUSE reads and writes);
     * with {@code unixOnly}, a symlink, a hard link and an odd mode, which FAT cannot hold.
     */
    static Path make(Path root, int files, boolean unixOnly, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.createDirectories(root);
        for (int i = 0; i < files; i++) {
            Path d = root.resolve("d" + (i % 7)).resolve("e" + (i % 3));
            Files.createDirectories(d);
            byte[] b = new byte[rnd.nextInt(0, 20_000)];
            rnd.nextBytes(b);
            Files.write(d.resolve("f" + i + ".bin"), b);
        }
        byte[] big = new byte[3 << 20];
        rnd.nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("README"), "a tree for p2k's tests\n");
        if (unixOnly) {
            Files.createSymbolicLink(root.resolve("link-to-readme"), Path.of("README"));
            Files.createLink(root.resolve("hardlink"), root.resolve("README"));
            Files.setPosixFilePermissions(root.resolve("d0"), PosixFilePermissions.fromString("rwxr-x---"));
        }
        return root;
    }
}
