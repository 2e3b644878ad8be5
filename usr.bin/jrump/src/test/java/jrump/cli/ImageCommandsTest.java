package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fs-utils commands on an image mke2fs made: ls, cat, stat and df read it; cp copies trees out (symlinks
 * and hard links kept) and in (e2fsck clean afterwards, debugfs reading them back); mkdir and rm change it;
 * every failure is one line naming IMAGE:PATH with the C tools' message and exit status 1.
 */
class ImageCommandsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private Path img;
    private byte[] big;

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        raw.reset();
        return Jrump.run(raw, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @BeforeEach
    void image() throws Exception {
        Path tree = tmp.resolve("tree/docs");
        Files.createDirectories(tree.resolve("deeper"));
        Files.writeString(tree.resolve("readme"), "read me\n");
        big = new byte[3 << 20];
        new SplittableRandom(5).nextBytes(big);
        Files.write(tree.resolve("deeper/big.bin"), big);
        Files.createSymbolicLink(tree.resolve("link"), Path.of("readme"));
        Files.createLink(tree.resolve("hard"), tree.resolve("readme"));
        img = tmp.resolve("disk.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tmp.resolve("tree").toString(), img.toString(), "32M");
    }

    @Test
    void ls_cat_stat_df_readTheImage() {
        assertThat(run("ls", img + ":/docs")).isZero();
        assertThat(out.toString().lines()).containsExactly("deeper", "hard", "link", "readme");
        assertThat(run("ls", "-l", img + ":/docs")).isZero();
        assertThat(out.toString()).containsPattern("-rw-r--r-- +2 .* 8 .* hard").containsPattern("lrwxrwxrwx .* link -> readme")
                .containsPattern("drwxr-xr-x .* deeper");
        assertThat(run("ls", "-R", img.toString())).isZero();
        assertThat(out.toString()).contains(img + ":/docs/deeper:").contains("big.bin");
        assertThat(run("cat", img + ":/docs/readme", img + ":/docs/link")).isZero();
        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo("read me\nread me\n");
        assertThat(run("cat", img + ":/docs/deeper/big.bin")).isZero();
        assertThat(raw.toByteArray()).isEqualTo(big);
        assertThat(run("stat", img + ":/docs/link")).isZero();
        assertThat(out.toString()).contains("-> readme").contains("Links: 1");
        assertThat(run("df", img.toString())).isZero();
        assertThat(out.toString()).contains("ext2fs").containsPattern("\\d+%");
    }

    @Test
    void cp_outOfTheImage_keepsTheTree() throws Exception {
        Path dst = Files.createDirectory(tmp.resolve("out"));
        assertThat(run("cp", "-r", "-p", img + ":/docs", dst.toString())).as(err.toString()).isZero();
        Path docs = dst.resolve("docs");
        assertThat(Files.readAllBytes(docs.resolve("deeper/big.bin"))).isEqualTo(big);
        assertThat(Files.readSymbolicLink(docs.resolve("link"))).isEqualTo(Path.of("readme"));
        assertThat(Files.isSameFile(docs.resolve("hard"), docs.resolve("readme"))).as("hard links stay links").isTrue();
        assertThat(Files.getAttribute(docs.resolve("readme"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0100644);
        // a second copy onto the same files: never overwritten through, a clear error instead
        assertThat(run("cp", img + ":/docs/readme", docs.resolve("readme").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("File exists").doesNotContain("Exception");
    }

    @Test
    void cp_into_mkdir_rm_changeTheImage() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("in/sub"));
        Files.writeString(src.resolve("new.txt"), "new content");
        Files.createSymbolicLink(tmp.resolve("in/sl"), Path.of("sub/new.txt"));
        assertThat(run("mkdir", "-p", img + ":/a/b/c")).as(err.toString()).isZero();
        assertThat(run("cp", "-r", tmp.resolve("in").toString(), img + ":/a/b")).as(err.toString()).isZero();
        assertThat(run("rm", "-r", img + ":/docs/deeper")).as(err.toString()).isZero();
        assertThat(run("rm", img + ":/docs/hard")).isZero();
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "cat /a/b/in/sub/new.txt", img.toString())).contains("new content");
        assertThat(tool("debugfs", "-R", "ls -l /a/b/in", img.toString())).contains("sl");
        assertThat(tool("debugfs", "-R", "ls /docs", img.toString())).doesNotContain("deeper").doesNotContain("hard");
    }

    @Test
    void failures_areOneLineNamingThePath() throws Exception {
        assertThat(run("cat", img + ":/nothing")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jrump: " + img + ":/nothing: No such file or directory" + System.lineSeparator());
        assertThat(run("ls", tmp.resolve("absent.img") + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("absent.img: No such file or directory");
        Files.write(tmp.resolve("junk.img"), new byte[1 << 16]);
        assertThat(run("ls", tmp.resolve("junk.img").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no file system").doesNotContain("Exception");
        assertThat(run("rm", img + ":/docs")).isEqualTo(1);
        assertThat(err.toString()).contains("is a directory");
        assertThat(run("cp", tmp.resolve("a").toString(), tmp.resolve("b").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("must be IMAGE:PATH");
        assertThat(run("mkdir", "-o", "ro", img + ":/x")).isEqualTo(1);
        assertThat(err.toString()).contains("Read-only file system");
    }
}
