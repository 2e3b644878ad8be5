package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrump newfs -t msdos}, {@code jrump makefs -t msdos} and {@code jrump fsck} on FAT, checked by fsck.fat -n. */
class MsdosCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** fsck.fat -n's exit status (dosfstools must be installed: scripts/apt-packages.txt). */
    private static int fsckFat(Path img) throws Exception {
        Process p = new ProcessBuilder("fsck.fat", "-n", img.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void newfsMakefsAndFsck_onFat() throws Exception {
        Path img = tmp.resolve("new.img");
        assertThat(run("newfs", "-t", "msdos", "-s", "64m", "-L", "NEWVOL", img.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("FAT16, ").contains("clusters of 2048 bytes");
        assertThat(Files.size(img)).isEqualTo(64L << 20);
        assertThat(fsckFat(img)).isZero();
        assertThat(run("fsck", img.toString())).as("detected as FAT").isZero();
        assertThat(out.toString()).contains("FAT16, ").contains("label NEWVOL");

        Path tree = Files.createDirectories(tmp.resolve("tree/sub dir"));
        Files.writeString(tree.resolve("a long file name.txt"), "content", StandardCharsets.UTF_8);
        Path made = tmp.resolve("made.img");
        assertThat(run("makefs", "-t", "msdos", "-F", "32", made.toString(), tmp.resolve("tree").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("FAT32, ");
        assertThat(fsckFat(made)).isZero();
        assertThat(run("fsck", "-t", "msdos", made.toString())).isZero();

        // damage: a FAT entry in use that no file reaches
        try (var ch = java.nio.channels.FileChannel.open(made, java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2);
            ch.read(b, 14);
            int reserved = (b.get(0) & 0xff) | (b.get(1) & 0xff) << 8;
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}), reserved * 512L + 4 * 1000);
        }
        assertThat(run("fsck", made.toString())).isEqualTo(4);
        assertThat(out.toString()).contains("lost clusters");
    }

    @Test
    void makefs_treeWithSymlink_oneLineErrorNamingIt() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(tree.resolve("f"), "x", StandardCharsets.UTF_8);
        Files.createSymbolicLink(tree.resolve("link"), Path.of("f"));
        assertThat(run("makefs", "-t", "msdos", tmp.resolve("l.img").toString(), tmp.resolve("tree").toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("jrump: /sub/link: FAT holds only directories and regular files");
    }
}
