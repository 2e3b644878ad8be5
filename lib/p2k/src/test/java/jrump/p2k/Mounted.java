package jrump.p2k;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.ukfs.Ukfs;

/**
 * A rump kernel's file system mounted on a fresh host directory through p2k, for tests: a tmpfs or an image
 * through ukfs. Closing unmounts from the host (waiting for p2k's threads), then unmounts the rump kernel's
 * file system (which syncs the image) and halts the kernel; it runs even when the test failed.
 */
final class Mounted implements AutoCloseable {
    final Path mnt;
    final P2k.Session session;
    private final Ukfs ukfs;
    private final RumpKernel kernel;

    private Mounted(Path mnt, P2k.Session session, Ukfs ukfs, RumpKernel kernel) {
        this.mnt = mnt;
        this.session = session;
        this.ukfs = ukfs;
        this.kernel = kernel;
    }

    /** A unique mount point under {@code parent} (other helpers mount on this machine too). */
    private static Path mountpoint(Path parent) throws IOException {
        return Files.createDirectories(parent.resolve("p2k-mnt-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
    }

    static Mounted tmpfs(Path parent, P2k.Options o) throws IOException {
        RumpKernel k = RumpKernel.boot(RumpConfig.builder().build());
        try {
            k.syscalls().mkdir("/mnt", 0755);
            k.syscalls().mount("tmpfs", "/mnt", 0, "size=256m");
            Path mnt = mountpoint(parent);
            return new Mounted(mnt, P2k.mount(k.syscalls(), "/mnt", mnt, o), null, k);
        } catch (IOException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    static Mounted image(Path parent, Path image, Ukfs.Options uo, P2k.Options o) throws IOException {
        Ukfs u = Ukfs.mount(image, uo);
        try {
            Path mnt = mountpoint(parent);
            return new Mounted(mnt, P2k.mount(u.syscalls(), u.kernelPath("/"), mnt, o.withReadOnly(uo.readOnly())), u, null);
        } catch (IOException | RuntimeException e) {
            u.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            session.unmount();
        } finally {
            try {
                if (ukfs != null) ukfs.close();
                if (kernel != null) kernel.close();
            } finally {
                Files.deleteIfExists(mnt);
            }
        }
    }

    /** Runs a host program; its output, asserting exit status 0. */
    static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(170, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    static String sh(Path dir, String script) throws IOException, InterruptedException {
        return run(dir, List.of("bash", "-euo", "pipefail", "-c", script));
    }
}
