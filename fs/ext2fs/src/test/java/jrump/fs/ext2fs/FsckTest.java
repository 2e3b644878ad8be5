package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Fsck} against e2fsck: images mke2fs makes are clean for both; damage made with debugfs (a wrong
 * link count, a block marked free, a name removed without its inode, an inode cleared under its name) is
 * found by both, and named as e2fsck names it.
 */
class FsckTest {
    @TempDir
    Path tmp;

    static Fsck.Report fsck(Path img) throws IOException {
        try (FileChannel ch = FileChannel.open(img)) {
            return Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
    }

    private Path image(String... mke2fsArgs) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        if (!Files.exists(tree.resolve("a"))) {
            Files.writeString(tree.resolve("a"), "alpha");
            byte[] big = new byte[300_000];
            new java.util.SplittableRandom(3).nextBytes(big); // not zeros: mke2fs would leave a hole
            Files.write(tree.resolve("big"), big);
            Files.createDirectories(tree.resolve("d/e/f"));
            Files.writeString(tree.resolve("d/e/f/g"), "gamma");
            Files.createLink(tree.resolve("d/hard"), tree.resolve("a"));
            Files.createSymbolicLink(tree.resolve("link"), Path.of("a"));
            for (int i = 0; i < 300; i++) Files.writeString(tree.resolve("d/n" + i), "x");
        }
        Path img = tmp.resolve("img-" + String.join("", mke2fsArgs).replaceAll("[^a-z0-9]", "") + ".img");
        List<String> cmd = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-d", tree.toString()));
        cmd.addAll(List.of(mke2fsArgs));
        cmd.addAll(List.of(img.toString(), "16M"));
        assertThat(Tools.runAnyExit(cmd.toArray(String[]::new))).endsWith("exit 0");
        return img;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext2", "ext3", "ext4", "ext4:-b:1024", "ext4:-O:^metadata_csum", "ext4:-O:inline_data"})
    void imagesMke2fsMakes_areClean(String variant) throws Exception {
        String[] parts = variant.split(":");
        List<String> args = new ArrayList<>(List.of("-t", parts[0]));
        for (int i = 1; i < parts.length; i++) args.add(parts[i]);
        Path img = image(args.toArray(String[]::new));
        assertThat(Tools.runAnyExit("e2fsck", "-fn", img.toString())).endsWith("exit 0");
        Fsck.Report r = fsck(img);
        assertThat(r.problems()).as(String.join("\n", r.output())).isEmpty();
        assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_CLEAN);
        assertThat(r.output()).anyMatch(l -> l.startsWith("Pass 5"));
    }

    private void expectBothFind(Path img, String ours) throws Exception {
        assertThat(Tools.runAnyExit("e2fsck", "-fn", img.toString())).doesNotEndWith("exit 0");
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).as(String.join("\n", r.output())).isEqualTo(Fsck.EXIT_UNCORRECTED);
        assertThat(r.problems()).as(String.join("\n", r.output())).anyMatch(p -> p.contains(ours));
    }

    @Test
    void aWrongLinkCount() throws Exception {
        Path img = image("-t", "ext4");
        Tools.runAnyExit("debugfs", "-w", "-R", "sif /a links_count 5", img.toString());
        expectBothFind(img, "ref count is 5, should be 2");
    }

    @Test
    void aBlockInUseMarkedFree() throws Exception {
        Path img = image("-t", "ext2");
        String blocks = Tools.runAnyExit("debugfs", "-R", "blocks /big", img.toString());
        String first = blocks.lines().filter(l -> l.matches("[0-9 ]+")).findFirst().orElseThrow().trim().split(" +")[0];
        Tools.runAnyExit("debugfs", "-w", "-R", "freeb " + first, img.toString());
        expectBothFind(img, "Block bitmap differences: +" + first);
    }

    @Test
    void aNameRemovedWithoutItsInode() throws Exception {
        Path img = image("-t", "ext4");
        Tools.runAnyExit("debugfs", "-w", "-R", "unlink /d/e/f/g", img.toString());
        expectBothFind(img, "Unattached inode");
    }

    @Test
    void anInodeClearedUnderItsName() throws Exception {
        Path img = image("-t", "ext3");
        Tools.runAnyExit("debugfs", "-w", "-R", "clri /link", img.toString());
        expectBothFind(img, "has deleted/unused inode");
    }

    @Test
    void aDamagedSuperblock_isAnOperationalError() throws Exception {
        Path img = image("-t", "ext4");
        try (FileChannel ch = FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(2), 1024 + 0x38); // the magic number
        }
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_OPERATIONAL);
        assertThat(r.output()).anyMatch(l -> l.contains("bad superblock"));
    }
}
