package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * cp -r keeps FIFOs and device nodes, both ways: the host's (made with mknod(1), numbers beyond 8 bits
 * too) arrive in an ext4 image as debugfs reads them, and come back out with the same type and numbers
 * as stat(1) shows them; FAT, which cannot hold them, refuses them and copies the rest (exit 1).
 */
@Timeout(120) // a FIFO opened by mistake blocks forever: fail instead
class SpecialFilesTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Jrump.run(new ByteArrayOutputStream(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void fifosAndDevices_travelBothWays() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("plain"), "x");
        tool("mkfifo", tree.resolve("fifo").toString());
        tool("mknod", tree.resolve("null").toString(), "c", "1", "3");
        tool("mknod", tree.resolve("big").toString(), "b", "300", "70000");
        Path img = tmp.resolve("ext4.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", img.toString(), "16M");
        assertThat(run("cp", "-r", tree.toString(), img + ":/t")).as("%s", err).isZero();
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "stat /t/fifo", img.toString())).contains("Type: FIFO");
        String nul = tool("debugfs", "-R", "stat /t/null", img.toString());
        assertThat(nul).contains("Type: character special").containsPattern("Device major/minor number: 0*1:0*3");
        String big = tool("debugfs", "-R", "stat /t/big", img.toString());
        assertThat(big).contains("Type: block special").containsPattern("Device major/minor number: 0*300:0*70000");

        Path back = tmp.resolve("back");
        assertThat(run("cp", "-rp", img + ":/t", back.toString())).as("%s", err).isZero();
        assertThat(tool("stat", "-c", "%F %t:%T", back.resolve("null").toString()).strip()).isEqualTo("character special file 1:3");
        assertThat(tool("stat", "-c", "%F %Hr:%Lr", back.resolve("big").toString()).strip()).isEqualTo("block special file 300:70000");
        assertThat(tool("stat", "-c", "%F", back.resolve("fifo").toString()).strip()).isEqualTo("fifo");
        assertThat(Files.readString(back.resolve("plain"))).isEqualTo("x");
    }

    @Test
    void fat_refusesSpecialFiles_butCopiesTheRest() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("plain"), "x");
        tool("mkfifo", tree.resolve("fifo").toString());
        Path img = tmp.resolve("fat.img");
        tool("mkfs.fat", "-C", img.toString(), "8192");
        assertThat(run("cp", "-r", tree.toString(), img + ":/t")).isEqualTo(1);
        assertThat(err.toString()).contains("/t/fifo: ");
        assertThat(run("cat", img + ":/t/plain")).isZero();
        tool("fsck.fat", "-n", img.toString());
    }
}
