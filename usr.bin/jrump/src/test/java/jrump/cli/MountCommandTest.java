package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrump mount -f}: an ext2 image mke2fs made, served in the foreground until the host's umount, after
 * which the command returns 0 and e2fsck finds the image clean with what was written; bad options and
 * missing images are one-line errors. (The detached mode re-runs the installed launcher; bench-fuse uses it.)
 */
class MountCommandTest {
    @TempDir
    Path tmp;

    private static boolean mounted(Path mnt) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(mnt.toString()));
    }

    @Test
    void foregroundMountUntilUmount() throws Exception {
        Path img = tmp.resolve("m.img");
        tool("mke2fs", "-q", "-F", "-t", "ext2", img.toString(), "16M");
        Path mnt = Files.createDirectory(tmp.resolve("mnt-" + ProcessHandle.current().pid()));
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() ->
                Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "mount", "-f", img.toString(), mnt.toString()));
        try {
            for (int i = 0; i < 300 && !mounted(mnt) && !daemon.isDone(); i++) Thread.sleep(20);
            assertThat(mounted(mnt)).as(err.toString()).isTrue();
            Files.createDirectories(mnt.resolve("a/b"));
            Files.writeString(mnt.resolve("a/b/note"), "through jrump mount\n");
        } finally {
            if (mounted(mnt)) tool("umount", mnt.toString());
        }
        assertThat(daemon.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "cat /a/b/note", img.toString())).contains("through jrump mount");
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("m2"));
        StringWriter err = new StringWriter();
        int rc = Jrump.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "mount", "-f", tmp.resolve("absent.img").toString(), mnt.toString());
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jrump: " + tmp.resolve("absent.img") + ": No such file or directory" + System.lineSeparator());
        err.getBuffer().setLength(0);
        Path img = tmp.resolve("x.img");
        tool("mke2fs", "-q", "-F", "-t", "ext2", img.toString(), "4M");
        rc = Jrump.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "mount", "-o", "ro,nonsense", img.toString(), mnt.toString());
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).startsWith("jrump: -o nonsense: unknown mount option").doesNotContain("Exception");
        assertThat(mounted(mnt)).isFalse();
    }
}
