package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * newfs, makefs and fsck for ext2fs through the command line, checked with e2fsprogs: the label and UUID
 * asked for are what dumpe2fs reports, the image is e2fsck-clean, and a bad argument is one line on
 * stderr with the usage exit status, never a stack trace.
 */
class Ext2CommandsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void newfs_withLabelAndUuid_isWhatDumpe2fsReports() throws Exception {
        Path img = tmp.resolve("new.img");
        assertThat(run("newfs", "-t", "ext2fs", "-O", "ext4", "-L", "data", "-U", "0123e4a5-6789-4abc-8def-0123456789ab", "-s", "32m", img.toString()))
                .as(err.toString()).isZero();
        String header = tool("dumpe2fs", "-h", img.toString());
        assertThat(header).contains("Filesystem volume name:   data").contains("Filesystem UUID:          0123e4a5-6789-4abc-8def-0123456789ab");
        tool("e2fsck", "-fn", img.toString());
        assertThat(run("fsck", img.toString())).isZero();
    }

    @Test
    void makefs_ofATree_isCleanAndHoldsIt() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(tree.resolve("file"), "in the image");
        Path img = tmp.resolve("tree.img");
        assertThat(run("makefs", "-t", "ext2fs", img.toString(), tmp.resolve("tree").toString())).as(err.toString()).isZero();
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "cat /sub/file", img.toString())).contains("in the image");
    }

    /**
     * cat of a large file goes by sendfile: its bytes arrive whole (checked against the source), and a
     * reader that went away is cat's one line "write error: Broken pipe", exit status 1.
     */
    @Test
    void cat_ofALargeFile_isWhole_andABrokenPipeIsOneLine() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        byte[] big = new byte[(3 << 20) + 77];
        new java.util.SplittableRandom(11).nextBytes(big);
        Files.write(tree.resolve("big"), big);
        Path img = tmp.resolve("big.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), img.toString(), "16M");
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        assertThat(Jrump.run(got, new PrintWriter(out, true), new PrintWriter(err, true), "cat", img + ":/big")).as(err.toString()).isZero();
        assertThat(got.toByteArray()).isEqualTo(big);
        java.io.OutputStream gone = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        assertThat(Jrump.run(gone, new PrintWriter(out, true), new PrintWriter(err, true), "cat", img + ":/big")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jrump: write error: Broken pipe" + System.lineSeparator());
    }

    @Test
    void badUuid_isOneLineUsageError() {
        assertThat(run("newfs", "-t", "ext2fs", "-U", "not-a-uuid", "-s", "8m", tmp.resolve("x.img").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not-a-uuid").doesNotContain("Exception");
    }
}
