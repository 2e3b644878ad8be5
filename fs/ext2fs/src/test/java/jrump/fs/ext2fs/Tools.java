package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** What the ext2fs tests share: running the reference tools, and reading a whole file through a kernel. */
final class Tools {
    private Tools() {
    }

    /** Runs a tool that must succeed; its output (stdout and stderr). */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finishes").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    /** Runs a tool whatever its exit status: its output, then a line "exit N". */
    static String runAnyExit(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finishes").isTrue();
        return out + "\nexit " + p.exitValue();
    }

    /** The whole content of {@code path} through the kernel's read(2). */
    static byte[] readAll(Syscalls sys, String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate((int) sys.fstat(fd).size() + 1);
            while (sys.read(fd, b) > 0) {
                // to the end
            }
            return java.util.Arrays.copyOf(b.array(), b.position());
        } finally {
            sys.close(fd);
        }
    }
}
