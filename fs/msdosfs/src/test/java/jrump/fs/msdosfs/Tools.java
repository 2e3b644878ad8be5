package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference tools the tests check against: dosfstools (mkfs.fat, fsck.fat) and mtools (mcopy, mdir).
 * A missing tool fails the test that needs it (scripts/apt-packages.txt lists them), never skips it.
 */
final class Tools {
    private Tools() {
    }

    record Result(int exit, String output) {
    }

    static Result run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(cmd.getFirst() + " is not installed (apt-get install dosfstools mtools): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** Runs {@code cmd} and asserts it succeeded; its output. */
    static String ok(String... cmd) throws IOException, InterruptedException {
        Result r = run(null, List.of(cmd));
        assertThat(r.exit()).as("%s:\n%s", String.join(" ", cmd), r.output()).isZero();
        return r.output();
    }

    /** fsck.fat -n finds nothing to fix (exit 0 and no complaint). */
    static void fsckClean(Path image) throws IOException, InterruptedException {
        Result r = run(null, List.of("fsck.fat", "-n", "-V", image.toString()));
        assertThat(r.exit()).as("fsck.fat -n -V %s:\n%s", image, r.output()).isZero();
    }

    /** mkfs.fat with {@code args} on a new image of {@code mib} MiB. */
    static Path mkfs(Path image, int mib, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(List.of("mkfs.fat", "-C", "-i", "12345678"));
        cmd.addAll(List.of(args));
        cmd.add(image.toString());
        cmd.add(Integer.toString(mib * 1024));
        ok(cmd.toArray(String[]::new));
        return image;
    }
}
