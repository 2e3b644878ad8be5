package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP between jrump and the Linux kernel's stack over taps in a network namespace of the test's (removed
 * afterwards), over IPv4 and IPv6: curl downloads from {@code jrump server --http} (one dual-stack
 * listener; its echo, chargen and discard answer both families too), and {@code jrump fetch} downloads from Python's http.server. Needs root and /dev/net/tun (as
 * in CI); fails without them.
 */
@Timeout(240)
class HttpInteropTest {
    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    private final String ns = "jrhi-" + id;
    private final String tap = "jrhi" + id;
    private final String tap2 = "jrhj" + id;
    /** Private subnets for this test's namespace. */
    private final int sub = Integer.parseInt(id.substring(4), 16) % 250 + 1;
    private final String v4 = "10.215." + sub + ".";
    /** The subnet's third group as RFC 5952 writes it (no leading zeros), so that logs of Linux's programs match. */
    private final String group = Integer.toHexString(Integer.parseInt(id.substring(0, 4), 16));
    private final String v6 = "fd00:215:" + group + "::";
    private final String v4b = "10.216." + sub + ".";
    private final String v6b = "fd00:216:" + group + "::";

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        exec(List.of("ip", "netns", "del", ns));
        exec(List.of("ip", "link", "del", tap));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
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

    private String curl(String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of("curl", "-g", "-sS", "--max-time", "60"));
        c.addAll(List.of(args));
        String out = exec(inNs(c.toArray(String[]::new)));
        assertThat(out).as(String.join(" ", c)).startsWith("0:");
        return out.substring(2);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void curlDownloadsFromJrumpServerHttp_overIpv4AndIpv6_byteIdentical_headAnd404() throws Exception {
        assertThat(Path.of("/dev/net/tun")).as("the tun driver (root and /dev/net/tun are needed)").exists();
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("hello.txt"), "hello, world\n");
        Files.write(docs.resolve("empty"), new byte[0]);
        Files.write(docs.resolve("mid.bin"), random(100_003, 1));
        Files.write(docs.resolve("big.bin"), random(6 << 20, 2));
        Files.createDirectories(docs.resolve("sub"));
        Files.writeString(docs.resolve("sub/one.txt"), "1");
        Files.writeString(docs.resolve("sub/two.txt"), "2");
        ok("ip", "netns", "add", ns);
        StringWriter serverOut = new StringWriter();
        StringWriter serverErr = new StringWriter();
        Thread server = Thread.ofPlatform().start(() -> Jrump.run(new PrintWriter(serverOut, true), new PrintWriter(serverErr, true),
                "server", "--if", "virt0=tap:" + tap, "--addr", "virt0=" + v4 + "2/24", "--addr", "virt0=" + v6 + "2/64",
                "--http", docs.toString(), "--echo", "--discard"));
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!serverOut.toString().contains("ready") && System.nanoTime() < deadline && server.isAlive()) Thread.sleep(10);
            assertThat(serverOut.toString()).as(serverErr.toString()).contains("ready");
            ok("ip", "link", "set", tap, "netns", ns);
            ok("ip", "-n", ns, "addr", "add", v4 + "1/24", "dev", tap);
            ok("ip", "-n", ns, "-6", "addr", "add", v6 + "1/64", "dev", tap, "nodad");
            ok("ip", "-n", ns, "link", "set", tap, "up");
            ok("ip", "-n", ns, "link", "set", "lo", "up");
            for (String host : List.of(v4 + "2", "[" + v6 + "2]")) {
                String base = "http://" + host;
                for (String f : List.of("hello.txt", "empty", "mid.bin", "big.bin", "sub/one.txt")) {
                    Path got = dir.resolve("got-" + f.replace('/', '_'));
                    Files.deleteIfExists(got);
                    curl("-f", "-o", got.toString(), base + "/" + f);
                    assertThat(Files.mismatch(docs.resolve(f), got)).as(base + "/" + f + " byte-identical").isEqualTo(-1L);
                }
                String listing = curl("-f", base + "/sub/");
                assertThat(listing).contains("one.txt").contains("two.txt");
                String head = curl("-I", base + "/big.bin");
                assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + (6 << 20));
                assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", base + "/missing")).isEqualTo("404");
                assertThat(curl("-I", "-o", "/dev/null", "-w", "%{http_code}", base + "/missing")).isEqualTo("404");
            }
            // the other services listen dual-stack too: echo (TCP and UDP), chargen and discard over both families
            for (String host : List.of(v4 + "2", "[" + v6 + "2]")) {
                String fam = host.startsWith("[") ? "6" : "4";
                assertThat(exec(inNs("sh", "-c", "echo hello-" + fam + " | socat -t 2 - TCP" + fam + ":" + host + ":7")))
                        .isEqualTo("0:hello-" + fam + "\n");
                assertThat(exec(inNs("sh", "-c", "echo dgram-" + fam + " | socat -t 2 - UDP" + fam + ":" + host + ":7")))
                        .isEqualTo("0:dgram-" + fam + "\n");
                assertThat(exec(inNs("sh", "-c", "socat -u TCP" + fam + ":" + host + ":19 - 2>/dev/null | head -c 1000000 | wc -c")).strip())
                        .isEqualTo("0:1000000");
                assertThat(exec(inNs("sh", "-c", "head -c 1000000 /dev/zero | socat -u - TCP" + fam + ":" + host + ":9"))).startsWith("0:");
            }
            // the v6 client's requests really came over IPv6: Linux's neighbour table has jrump's v6 address
            assertThat(exec(inNs("ip", "-6", "neigh", "show", "dev", tap))).contains(v6 + "2");
        } finally {
            server.interrupt();
            server.join(30_000);
        }
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    void jrumpFetchDownloadsFromLinuxPythonHttpServer_overIpv4AndIpv6_andPingsItOverIpv6() throws Exception {
        assertThat(Path.of("/dev/net/tun")).as("the tun driver (root and /dev/net/tun are needed)").exists();
        Path docs = Files.createDirectories(dir.resolve("linux-docs"));
        byte[] big = random(5 << 20, 3);
        Files.write(docs.resolve("big.bin"), big);
        ok("ip", "netns", "add", ns);
        ok("ip", "-n", ns, "tuntap", "add", "dev", tap2, "mode", "tap");
        ok("ip", "-n", ns, "addr", "add", v4b + "1/24", "dev", tap2);
        ok("ip", "-n", ns, "-6", "addr", "add", v6b + "1/64", "dev", tap2, "nodad");
        ok("ip", "-n", ns, "link", "set", tap2, "up");
        ok("ip", "-n", ns, "link", "set", "lo", "up");
        // http.server bound to "::" is dual-stack (IPV6_V6ONLY 0): one server for both families
        Process py = new ProcessBuilder(inNs("/usr/bin/python3", "-m", "http.server", "--bind", "::", "--directory", docs.toString(), "8080"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("py.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !exec(inNs("ss", "-Hltn", "sport = :8080")).contains("8080"); i++) Thread.sleep(100);
            String java = ProcessHandle.current().info().command().orElse("java");
            int n = 0;
            for (String url : List.of("http://" + v4b + "1:8080/big.bin", "http://[" + v6b + "1]:8080/big.bin")) {
                Path got = dir.resolve("fetched" + n++);
                String out = exec(inNs(java, "--enable-native-access=ALL-UNNAMED,jrump.rumpuser,jrump.cli,jrump.p2k",
                        "--module-path", System.getProperty("jdk.module.path"), "-m", "jrump.cli/jrump.cli.Jrump", "fetch",
                        "--if", "virt0=tap:" + tap2, "--addr", "virt0=" + v4b + "2/24", "--addr", "virt0=" + v6b + "2/64",
                        url, got.toString()));
                assertThat(out).as(url + ": " + out).startsWith("0:");
                assertThat(Files.readAllBytes(got)).as(url).isEqualTo(big);
            }
            // jrump ping over the tap to Linux's IPv6 address (after jrump's DAD)
            String ping = exec(inNs(java, "--enable-native-access=ALL-UNNAMED,jrump.rumpuser,jrump.cli,jrump.p2k",
                    "--module-path", System.getProperty("jdk.module.path"), "-m", "jrump.cli/jrump.cli.Jrump", "ping", "-c", "3", "-i", "0.2",
                    "--if", "virt0=tap:" + tap2, "--addr", "virt0=" + v6b + "2/64", v6b + "1"));
            assertThat(ping).as(ping).startsWith("0:").contains("3 packets transmitted, 3 packets received, 0.0% packet loss");
            String missing = exec(inNs(java, "--enable-native-access=ALL-UNNAMED,jrump.rumpuser,jrump.cli,jrump.p2k",
                    "--module-path", System.getProperty("jdk.module.path"), "-m", "jrump.cli/jrump.cli.Jrump", "fetch",
                    "--if", "virt0=tap:" + tap2, "--addr", "virt0=" + v6b + "2/64", "http://[" + v6b + "1]:8080/nope", dir.resolve("nope").toString()));
            assertThat(missing).startsWith("1:").contains("HTTP 404");
            // the server's log has both clients: an IPv4 one (as ::ffff:) and an IPv6 one
            String log = Files.readString(dir.resolve("py.log"));
            assertThat(log).contains("::ffff:" + v4b + "2").contains(v6b + "2").contains("\"GET /big.bin HTTP/1.1\" 200");
        } finally {
            py.destroy();
            py.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
