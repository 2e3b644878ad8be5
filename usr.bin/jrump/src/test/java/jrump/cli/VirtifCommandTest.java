package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jrump server --if virt0=tap:NAME} and {@code jrump ping} with the same option against the Linux
 * kernel: the tap goes into a network namespace of the test's, which is removed afterwards. Needs root and
 * /dev/net/tun (as in CI); fails without them.
 */
@Timeout(120)
class VirtifCommandTest {
    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    private final String ns = "jrvc-" + id;
    private final String tap = "jrvc" + id;
    private final String tap2 = "jrvd" + id;

    @AfterEach
    void cleanUp() throws Exception {
        exec(List.of("ip", "netns", "del", ns));
        exec(List.of("ip", "link", "del", tap));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + o;
    }

    private static void ok(String... cmd) throws Exception {
        assertThat(exec(List.of(cmd))).as(String.join(" ", cmd)).startsWith("0:");
    }

    private List<String> inNs(String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c;
    }

    @Test
    void linuxPingsTheServer_usesItsChargenAndDiscard_andJrumpPingPingsLinux() throws Exception {
        assertThat(Path.of("/dev/net/tun")).as("the tun driver (root and /dev/net/tun are needed)").exists();
        ok("ip", "netns", "add", ns);
        StringWriter serverOut = new StringWriter();
        StringWriter serverErr = new StringWriter();
        int[] serverExit = {-1};
        Thread server = Thread.ofPlatform().start(() -> serverExit[0] = Jrump.run(new PrintWriter(serverOut, true),
                new PrintWriter(serverErr, true), "server", "--if", "virt0=tap:" + tap, "--addr", "virt0=10.214.1.2/24",
                "--echo", "--discard"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!serverOut.toString().contains("ready") && System.nanoTime() < deadline && server.isAlive()) Thread.sleep(10);
        assertThat(serverOut.toString()).as(serverErr.toString()).contains("ready");
        try {
            ok("ip", "link", "set", tap, "netns", ns);
            ok("ip", "-n", ns, "addr", "add", "10.214.1.1/24", "dev", tap);
            ok("ip", "-n", ns, "link", "set", tap, "up");
            assertThat(exec(inNs("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.214.1.2"))).startsWith("0:").contains("3 received");
            // chargen: RFC 864's first line, then 1 MB of lines
            String chargen = exec(inNs("sh", "-c", "socat -u TCP:10.214.1.2:19 - 2>/dev/null | head -c 1000000 | tee /dev/null | head -c 74"));
            StringBuilder first = new StringBuilder();
            for (int k = 0; k < 72; k++) first.append((char) (' ' + k));
            assertThat(chargen).isEqualTo("0:" + first + "\r\n");
            String counted = exec(inNs("sh", "-c", "socat -u TCP:10.214.1.2:19 - 2>/dev/null | head -c 4000000 | wc -c"));
            assertThat(counted.strip()).isEqualTo("0:4000000");
            // discard: 4 MB accepted and the connection closed cleanly
            assertThat(exec(inNs("sh", "-c", "head -c 4000000 /dev/zero | socat -u - TCP:10.214.1.2:9"))).startsWith("0:");

            // jrump ping in the namespace, on a second tap made there with ip tuntap
            ok("ip", "-n", ns, "tuntap", "add", "dev", tap2, "mode", "tap");
            ok("ip", "-n", ns, "addr", "add", "10.214.2.1/24", "dev", tap2);
            ok("ip", "-n", ns, "link", "set", tap2, "up");
            String java = ProcessHandle.current().info().command().orElse("java");
            String out = exec(inNs(java, "--enable-native-access=ALL-UNNAMED,jrump.rumpuser,jrump.cli,jrump.p2k",
                    "--module-path", System.getProperty("jdk.module.path"), "-m", "jrump.cli/jrump.cli.Jrump",
                    "ping", "-c", "3", "-i", "0.2", "--if", "virt0=tap:" + tap2, "--addr", "virt0=10.214.2.2/24", "10.214.2.1"));
            assertThat(out).as(out).startsWith("0:").contains("3 packets transmitted, 3 packets received, 0.0% packet loss")
                    .doesNotContain("WARNING");
            // the tap is in use: a second server gets a one-line error
            StringWriter err = new StringWriter();
            String busy = exec(inNs(java, "--enable-native-access=ALL-UNNAMED,jrump.rumpuser,jrump.cli,jrump.p2k",
                    "--module-path", System.getProperty("jdk.module.path"), "-m", "jrump.cli/jrump.cli.Jrump",
                    "ping", "-c", "1", "--if", "virt0=tap:lo", "10.214.2.1"));
            assertThat(busy).startsWith("1:").contains("--if virt0=tap:lo").contains("not a tap").doesNotContain("Exception");
            assertThat(err.toString()).isEmpty();
        } finally {
            server.interrupt();
            server.join(30_000);
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(serverExit[0]).isZero();
    }
}
