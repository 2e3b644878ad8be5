package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: jrump demo builds its three images, runs the tour, and leaves images the
 * real tools accept (e2fsck, fsck.fat, bsdtar) holding the sample tree; a second run works too.
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    private String demo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int status = Jrump.run(raw, new PrintWriter(out, true), new PrintWriter(err, true), "demo", tmp.resolve("demo").toString());
        assertThat(status).as(err.toString()).isZero();
        return out + raw.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void demo_showsTheTour_andLeavesImagesTheRealToolsAccept() throws Exception {
        String o = demo();
        assertThat(o).contains("$ jrump info").containsPattern("UUID: +6a726d70-0000-4000-8000-000000000001")
                .contains("Welcome to a file system that lives in a file.")
                .contains("Notes with spaces and ünïcødé.txt").contains("motd -> etc/motd")
                .contains("/home/guest/notes/docs/manual.txt");
        Path d = tmp.resolve("demo");
        tool("e2fsck", "-fn", d.resolve("ext4.img").toString());
        tool("fsck.fat", "-n", d.resolve("fat.img").toString());
        assertThat(tool("debugfs", "-R", "cat /home/guest/notes/docs/README.txt", d.resolve("ext4.img").toString()))
                .contains("without root");
        assertThat(tool("bsdtar", "-tf", d.resolve("disc.iso").toString())).contains("docs/manual.txt");
        assertThat(Files.readString(d.resolve("copied-out/manual.txt"))).startsWith("line 1 of a file").contains("line 2000 of");
        assertThat(demo()).contains("$ jrump diff"); // again over its own leftovers
    }
}
