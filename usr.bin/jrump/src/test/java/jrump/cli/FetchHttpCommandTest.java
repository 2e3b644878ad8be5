package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrump server --http} in another process and {@code jrump fetch} in this one on a shmif bus: a
 * multi-MiB file arrives byte-identical, a 404 is exit 1, a refused port exit 2, and the bus's pcap dump
 * opens in tshark with HTTP in it and nothing malformed.
 */
@Timeout(180)
class FetchHttpCommandTest {
    static Process startServer(List<String> args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String mp = System.getProperty("jdk.module.path");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (mp != null && !mp.isEmpty()) cmd.addAll(List.of("-p", mp, "-m", "jrump.cli/jrump.cli.Jrump"));
        else cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jrump.cli.Jrump"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void fetchFromAServerInAnotherProcess_byteIdentical_404_refused_andTheDumpInTshark(@TempDir Path dir) throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        byte[] big = new byte[6 << 20];
        new SplittableRandom(9).nextBytes(big);
        Files.write(docs.resolve("big.bin"), big);
        String bus = dir.resolve("bus").toString();
        Process server = startServer(List.of("server", "--if", "shmif0=" + bus, "--addr", "shmif0=10.66.0.1/24", "--http", docs.toString()));
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String l = log.readLine(); l != null; l = log.readLine()) {
                        seen.append(l).append('\n');
                        if (l.contains("ready")) return seen.toString();
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
                return seen.toString();
            });
            assertThat(ready.get(60, TimeUnit.SECONDS)).contains("ready");

            Path got = dir.resolve("got.bin");
            StringWriter err = new StringWriter();
            int rc = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "fetch",
                    "--if", "shmif0=" + bus, "--addr", "shmif0=10.66.0.2/24", "http://10.66.0.1/big.bin", got.toString());
            assertThat(rc).as("%s", err).isZero();
            assertThat(Files.readAllBytes(got)).isEqualTo(big);

            Path missing = dir.resolve("missing.out");
            StringWriter err404 = new StringWriter();
            int rc404 = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err404, true), "fetch",
                    "--if", "shmif0=" + bus, "--addr", "shmif0=10.66.0.3/24", "http://10.66.0.1/missing", missing.toString());
            assertThat(rc404).isEqualTo(1);
            assertThat(err404.toString().strip()).isEqualTo("jrump fetch: http://10.66.0.1/missing: HTTP 404 Not Found");
            assertThat(missing).doesNotExist();
            assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".part"));

            StringWriter errRefused = new StringWriter();
            int rcRefused = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(errRefused, true), "fetch",
                    "--if", "shmif0=" + bus, "--addr", "shmif0=10.66.0.4/24", "http://10.66.0.1:81/", dir.resolve("r").toString());
            assertThat(rcRefused).isEqualTo(2);
            assertThat(errRefused.toString()).contains("Connection refused").hasLineCount(1);

            Path pcap = dir.resolve("bus.pcap");
            assertThat(Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                    "shmif-dump", bus, pcap.toString())).isZero();
            String frames = HostTools.tool("tshark", "-r", pcap.toString());
            assertThat(frames.lines().count()).isGreaterThan(20);
            // tshark's warning about running as root goes to the same stream: only frame lines count. The bus
            // ring holds only the last thousand or so frames, so the dump starts inside the 6 MiB body: with
            // TCP reassembly on, tshark takes body bytes after the first PSH for an HTTP message and calls
            // them malformed (now and then, by where the ring starts); each segment alone, as here,
            // is what the wire check is about
            assertThat(HostTools.tool("tshark", "-r", pcap.toString(), "-o", "tcp.desegment_tcp_streams:FALSE", "-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number")
                    .lines().filter(l -> l.matches("\\d+"))).isEmpty();
            assertThat(HostTools.tool("tshark", "-r", pcap.toString(), "-o", "tcp.desegment_tcp_streams:FALSE", "-Y", "http.request", "-T", "fields", "-e", "http.request.uri"))
                    .contains("/missing");
            assertThat(HostTools.tool("tshark", "-r", pcap.toString(), "-o", "tcp.desegment_tcp_streams:FALSE", "-Y", "http.response.code == 404", "-T", "fields",
                    "-e", "http.response.code")).contains("404");
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
            if (server.isAlive()) server.destroyForcibly();
        }
    }

    @Test
    void badArguments_areOneLineErrors() {
        StringWriter err = new StringWriter();
        int rc = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "fetch", "http://example.org/", "x");
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("IPv4 address").hasLineCount(1);
        StringWriter err2 = new StringWriter();
        assertThat(Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), "server", "--http", "/nonexistent-dir"))
                .isEqualTo(1);
        assertThat(err2.toString()).contains("--http /nonexistent-dir").hasLineCount(1);
    }
}
