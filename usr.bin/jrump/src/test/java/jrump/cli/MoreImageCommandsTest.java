package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mv, ln, chmod, chown, touch, write, du and find on an image mke2fs made, each change read back with
 * debugfs and the image e2fsck-clean afterwards; bad arguments are one-line errors.
 */
class MoreImageCommandsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path img;

    private int runWithInput(String stdin, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Jrump.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int run(String... args) {
        return runWithInput("", args);
    }

    @BeforeEach
    void image() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("dir/sub"));
        Files.writeString(tree.resolve("notes.txt"), "notes\n");
        byte[] blob = new byte[40_000];
        new java.util.SplittableRandom(3).nextBytes(blob);
        Files.write(tree.resolve("dir/blob.bin"), blob);
        img = tmp.resolve("disk.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tmp.resolve("tree").toString(), img.toString(), "16M");
    }

    @Test
    void changes_readBackWithDebugfs() throws Exception {
        assertThat(runWithInput("hello from stdin\n", "write", img + ":/dir/new.txt")).as(err.toString()).as("%s", err).isZero();
        assertThat(runWithInput("and more\n", "write", "-a", img + ":/dir/new.txt")).as("%s", err).isZero();
        assertThat(run("mv", img + ":/dir/new.txt", img + ":/dir/sub")).as(err.toString()).as("%s", err).isZero();
        assertThat(run("ln", img + ":/dir/sub/new.txt", img + ":/hard")).as(err.toString()).as("%s", err).isZero();
        assertThat(run("ln", "-s", "dir/sub/new.txt", img + ":/soft")).as("%s", err).isZero();
        assertThat(run("chmod", "0600", img + ":/hard")).as("%s", err).isZero();
        assertThat(run("chown", "1000:100", img + ":/notes.txt")).as("%s", err).isZero();
        assertThat(run("touch", img + ":/empty", img + ":/notes.txt")).as("%s", err).isZero();
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "cat /dir/sub/new.txt", img.toString())).contains("hello from stdin\nand more\n");
        String hard = tool("debugfs", "-R", "stat /hard", img.toString());
        assertThat(hard).contains("Links: 2").containsPattern("Mode: +0600");
        assertThat(tool("debugfs", "-R", "stat /notes.txt", img.toString())).contains("User:  1000").contains("Group:   100");
        assertThat(tool("debugfs", "-R", "stat /soft", img.toString())).contains("Fast link dest: \"dir/sub/new.txt\"");
        assertThat(tool("debugfs", "-R", "stat /empty", img.toString())).contains("Size: 0");
    }

    @Test
    void du_and_find_read() {
        assertThat(run("du", img + ":/dir")).as("%s", err).isZero();
        long kib = Long.parseLong(out.toString().split("\t")[0]);
        assertThat(kib).as("40 KB of blob plus directories").isBetween(40L, 80L);
        assertThat(run("find", img + ":/", "-name", "*.bin")).as("%s", err).isZero();
        assertThat(out.toString().lines()).containsExactly(img + ":/dir/blob.bin");
        assertThat(run("find", img + ":/dir", "-type", "d")).as("%s", err).isZero();
        assertThat(out.toString().lines()).containsExactlyInAnyOrder(img + ":/dir", img + ":/dir/sub");
    }

    @Test
    void diff_saysWhatDiffers_andExitsAsDiff() throws Exception {
        Path tree = tmp.resolve("tree");
        assertThat(run("diff", img.toString(), tree.toString())).as("%s%s", out, err).isEqualTo(1);
        assertThat(out.toString()).contains("Only in " + img + ":/: lost+found");
        assertThat(run("diff", img + ":/dir", tree.resolve("dir").toString())).as("%s%s", out, err).isZero();
        Files.writeString(tree.resolve("dir/blob.bin"), "changed");
        Files.writeString(tree.resolve("dir/extra"), "x");
        assertThat(run("diff", img + ":/dir", tree.resolve("dir").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("Files " + img + ":/dir/blob.bin and").contains("Only in " + tree.resolve("dir") + ": extra");
    }

    @Test
    void mistakes_areOneLine() {
        assertThat(run("chmod", "9z9", img + ":/notes.txt")).isEqualTo(1);
        assertThat(err.toString()).contains("not an octal mode");
        assertThat(run("chown", "root", img + ":/notes.txt")).isEqualTo(1);
        assertThat(err.toString()).contains("as numbers");
        assertThat(run("mv", img + ":/notes.txt", tmp.resolve("other.img") + ":/x")).isEqualTo(1);
        assertThat(err.toString()).contains("different images");
        assertThat(run("ln", img + ":/nothing", img + ":/x")).isEqualTo(1);
        assertThat(err.toString()).contains(img + ":/x: No such file or directory");
        assertThat(run("find", img + ":/", "-type", "q")).isEqualTo(1);
        assertThat(err.toString()).doesNotContain("Exception");
    }
}
