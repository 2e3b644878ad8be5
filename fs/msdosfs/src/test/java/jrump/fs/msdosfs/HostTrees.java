package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Host trees the image tests copy in and expect back: long and short names, Unicode, deep, many, sizes. */
final class HostTrees {
    private HostTrees() {
    }

    static Path make(Path dir, long seed, int manyCount) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.writeString(dir.resolve("hello.txt"), "hello, fat\n");
        Files.writeString(dir.resolve("README"), "upper-case 8.3 name\n");
        Files.writeString(dir.resolve("MixedCase.Txt"), "mixed case needs a long name\n");
        Files.writeString(dir.resolve("a long name with spaces.text"), "long\n");
        Files.writeString(dir.resolve("ünïcødé 名前.txt"), "unicode\n");
        byte[] big = new byte[(1 << 20) + 4321];
        rnd.nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        Files.write(dir.resolve("empty"), new byte[0]);
        Path deep = dir;
        for (int i = 0; i < 8; i++) deep = Files.createDirectory(deep.resolve("level" + i));
        Files.writeString(deep.resolve("leaf"), "deep");
        Path many = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i < manyCount; i++) {
            byte[] b = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(b);
            Files.write(many.resolve("entry with a longish name " + i + ".dat"), b);
        }
        Files.createDirectory(dir.resolve("emptydir"));
        return dir;
    }
}
