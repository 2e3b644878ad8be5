package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrump server --sockin --echo}: the kernel's echo service on the host's network, driven by host sockets and socat. */
@Timeout(120)
class ServerSockinCommandTest {
    private static final long SEED = 0x50c1;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void echoOverTheHostNetwork_tcpUdpAndSocat(@TempDir Path dir) throws Exception {
        int port = freePort();
        StringWriter serverOut = new StringWriter();
        StringWriter serverErr = new StringWriter();
        int[] serverExit = {-1};
        Thread server = Thread.ofPlatform().start(() -> serverExit[0] = Jrump.run(new PrintWriter(serverOut, true),
                new PrintWriter(serverErr, true), "server", "--sockin", "--echo", "--echo-port", Integer.toString(port)));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!serverOut.toString().contains("ready") && System.nanoTime() < deadline && server.isAlive()) Thread.sleep(10);
        assertThat(serverOut.toString()).as(serverErr.toString()).contains("ready");

        // a host TCP client: 4 MiB out and back, byte for byte
        byte[] data = random(4 << 20, SEED);
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
                try {
                    c.getOutputStream().write(data);
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            byte[] back = c.getInputStream().readAllBytes();
            w.get(30, TimeUnit.SECONDS);
            assertThat(back.length).isEqualTo(data.length);
            assertThat(Arrays.equals(back, data)).isTrue();
        }

        // a host UDP client
        try (DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            u.setSoTimeout(10_000);
            byte[] d = random(1200, SEED + 1);
            u.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket p = new DatagramPacket(new byte[2000], 2000);
            u.receive(p);
            assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(d);
        }

        // socat, a client nobody here wrote: 1 MiB through it, then a datagram
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        byte[] file = random(1 << 20, SEED + 2);
        Files.write(in, file);
        Process p = new ProcessBuilder("socat", "-t", "5", "-", "TCP:127.0.0.1:" + port)
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectErrorStream(false).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        assertThat(Files.mismatch(in, out)).isEqualTo(-1L);
        Process pu = new ProcessBuilder("socat", "-t", "2", "-", "UDP:127.0.0.1:" + port).start();
        pu.getOutputStream().write("ping over udp\n".getBytes());
        pu.getOutputStream().close();
        String echoed = new String(pu.getInputStream().readAllBytes());
        assertThat(pu.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(echoed).isEqualTo("ping over udp\n");

        server.interrupt();
        server.join(30_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(serverExit[0]).isZero();
        // halted: the port is the host's again
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void portInUse_andInterfacesWithSockin_areOneLineErrors() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            StringWriter err = new StringWriter();
            int rc = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "server", "--sockin",
                    "--echo", "--echo-port", Integer.toString(taken.getLocalPort()));
            assertThat(rc).isEqualTo(1);
            assertThat(err.toString()).contains("--echo on port " + taken.getLocalPort()).contains("EADDRINUSE")
                    .doesNotContain("Exception");
        }
        StringWriter err = new StringWriter();
        int rc = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "server", "--sockin",
                "--if", "shmif0=/tmp/nothing");
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("--sockin").doesNotContain("Exception");
    }
}
