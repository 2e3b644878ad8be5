package jrump.net.virtif;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Linux side of the interop tests: a network namespace of this test's own ({@code jrvt-XXXXXX}) into
 * which the tap that jrump's virtif opened is moved, with an address and the real tools (ping, socat,
 * tshark) run inside it with {@code ip netns exec}. {@link #close} removes the namespace (and with it the
 * tap) even after a failure. Needs root and /dev/net/tun: the tests fail, never skip, without them.
 */
final class LinuxNet implements AutoCloseable {
    final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    final String ns = "jrvt-" + id;
    final String tap = "jrvt" + id;
    /** A /24 of 10.213.0.0/16 (the namespace is private, so any would do). */
    final String net = "10.213." + (Integer.parseInt(id.substring(4), 16) % 250 + 1);
    final String linuxAddr = net + ".1";
    final String jrumpAddr = net + ".2";

    LinuxNet() throws Exception {
        requireHost();
        run("ip", "netns", "add", ns);
    }

    static void requireHost() {
        assertThat(ProcessHandle.current().info().user().orElse("")).as("the tap interop tests run as root").isEqualTo("root");
        assertThat(Path.of("/dev/net/tun")).as("the tun driver").exists();
        for (String tool : List.of("ip", "ping", "socat", "tshark")) {
            assertThat(which(tool)).as(tool + " (scripts/apt-packages.txt)").isTrue();
        }
    }

    private static boolean which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Moves the tap (attached by jrump already) into the namespace and gives it the Linux address. */
    void adoptTap() throws Exception {
        run("ip", "link", "set", tap, "netns", ns);
        run("ip", "-n", ns, "addr", "add", linuxAddr + "/24", "dev", tap);
        run("ip", "-n", ns, "link", "set", tap, "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /** A command inside the namespace. */
    List<String> inNs(String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c;
    }

    record Result(int exit, String output) {
    }

    static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        t.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }

    /** Runs {@code cmd}; it must succeed. Its output. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(List.of(cmd), 120);
        assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
        return r.output();
    }

    /** Runs {@code cmd} inside the namespace; it must succeed. */
    String runNs(String... cmd) throws IOException, InterruptedException {
        Result r = exec(inNs(cmd), 300);
        assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
        return r.output();
    }

    /** Waits until a TCP socket in the namespace listens on {@code port} (a server just started). */
    void awaitListening(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            Result r = exec(inNs("ss", "-Hltn", "sport = :" + port), 10);
            if (r.exit() == 0 && !r.output().isBlank()) return;
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on port " + port + " in " + ns);
    }

    /** Starts {@code cmd} inside the namespace, output to {@code log}. */
    Process startNs(Path log, String... cmd) throws IOException {
        return new ProcessBuilder(inNs(cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    public void close() throws Exception {
        exec(List.of("ip", "netns", "del", ns), 30);
        exec(List.of("ip", "link", "del", tap), 30); // still in our namespace when the test failed early
    }
}
