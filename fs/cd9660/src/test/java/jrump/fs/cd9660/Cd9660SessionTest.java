package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;

/**
 * Multi-session images: a second session appended with genisoimage -M/-C after the first (as on a
 * multi-session disc, here one file). The last session is found by itself; session=0 reads the first.
 */
class Cd9660SessionTest {
    @TempDir
    Path tmp;

    @Test
    void appendedSession_isReadByDefault_andTheFirstOnRequest() throws Exception {
        Path one = Files.createDirectory(tmp.resolve("one"));
        Files.writeString(one.resolve("first.txt"), "from session one");
        Path two = Files.createDirectory(tmp.resolve("two"));
        Files.writeString(two.resolve("second.txt"), "from session two");
        Path s1 = tmp.resolve("s1.iso");
        IsoTools.run(tmp, "genisoimage", "-quiet", "-R", "-o", s1.toString(), one.toString());
        long next = Files.size(s1) / 2048;
        Path s2 = tmp.resolve("s2.iso");
        IsoTools.run(tmp, "genisoimage", "-quiet", "-R", "-C", "0," + next, "-M", s1.toString(), "-o", s2.toString(), two.toString());
        Path multi = tmp.resolve("multi.iso");
        Files.copy(s1, multi);
        try (OutputStream out = Files.newOutputStream(multi, StandardOpenOption.APPEND)) {
            Files.copy(s2, out);
        }
        try (RumpKernel rk = IsoMount.mount(multi, null)) {
            assertThat(TreeWalk.names(rk.syscalls(), "/mnt")).contains("first.txt", "second.txt");
            assertThat(Content.read(rk.syscalls(), "/mnt/second.txt")).isEqualTo("from session two");
            assertThat(Content.read(rk.syscalls(), "/mnt/first.txt")).isEqualTo("from session one");
        }
        try (RumpKernel rk = IsoMount.mount(multi, "session=0")) {
            assertThat(TreeWalk.names(rk.syscalls(), "/mnt")).contains("first.txt").doesNotContain("second.txt");
        }
        try (RumpKernel rk = IsoMount.mount(multi, "session=" + next)) {
            assertThat(TreeWalk.names(rk.syscalls(), "/mnt")).contains("first.txt", "second.txt");
        }
    }
}
