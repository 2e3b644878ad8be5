package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference tools: Debian's makefs (NetBSD's, writes UFS1 and UFS2) and sleuthkit (fls, icat, tsk_recover read UFS1). */
final class Tools {
    private Tools() {
    }

    /** Runs {@code cmd}; a missing tool or a failure fails the test (never a skip). Returns its output. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is missing (scripts/apt-packages.txt lists its package): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /** makefs -t ffs with {@code options} (as -o), big-endian on request, {@code extra} flags before the names. */
    static Path makefs(Path image, Path dir, boolean bigEndian, String options, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("makefs", "-t", "ffs"));
        if (bigEndian) cmd.addAll(List.of("-B", "be"));
        if (options != null) cmd.addAll(List.of("-o", options));
        cmd.addAll(List.of(extra));
        cmd.add(image.toString());
        cmd.add(dir.toString());
        run(cmd.toArray(String[]::new));
        return image;
    }
}
