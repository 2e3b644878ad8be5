package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.fs.cd9660.ElTorito;

/** {@code jrump makefs -t cd9660}: NetBSD makefs' options, an image bsdtar lists with its Rock Ridge names. */
class Cd9660MakefsCommandTest {
    @TempDir
    Path tmp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void makefs_cd9660_writesAnImageTheToolsRead() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Files.writeString(dir.resolve("A Long Name, mixed case.txt"), "content");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("A Long Name, mixed case.txt"));
        Files.write(Files.createDirectory(dir.resolve("boot")).resolve("cd.img"), new byte[2048]);
        Path img = tmp.resolve("out.iso");
        assertThat(run("makefs", "-t", "cd9660", "-o", "rockridge,joliet,label=MYDISC,bootimage=i386;boot/cd.img", img.toString(), dir.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("cd9660,").contains("2 directories, 2 files");
        Process p = new ProcessBuilder("bsdtar", "-tvf", img.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(listing).isZero();
        assertThat(listing).contains("A Long Name, mixed case.txt").contains("link -> A Long Name, mixed case.txt").contains("boot/cd.img");
        try (FileChannel ch = FileChannel.open(img)) {
            assertThat(ElTorito.read(ch::read)).get().satisfies(c -> assertThat(c.entries().get(0).bootable()).isTrue());
        }
        // the image commands detect ISO 9660 and read it through cd9660
        out.getBuffer().setLength(0);
        assertThat(run("ls", img + ":/")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("A Long Name, mixed case.txt").contains("link").contains("boot");
        out.getBuffer().setLength(0);
        assertThat(run("ls", "-l", img + ":/link")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("link -> A Long Name, mixed case.txt");
        assertThat(run("makefs", "-t", "cd9660", "-o", "bogus", img.toString(), dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cd9660 option bogus");
    }
}
