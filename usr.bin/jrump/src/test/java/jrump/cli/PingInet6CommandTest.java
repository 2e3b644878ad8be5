package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jrump ping} to an IPv6 address: a server and a pinger on one shmif bus, each with an {@code --addr} prefix of fd00::/64. */
@Timeout(120)
class PingInet6CommandTest {
    @Test
    void ping6ReachesAServerOnTheBus_andAnUnusedAddressDoesNot(@TempDir Path dir) throws Exception {
        String bus = dir.resolve("bus").toString();
        StringWriter serverOut = new StringWriter();
        StringWriter serverErr = new StringWriter();
        int[] serverExit = {-1};
        Thread server = Thread.ofPlatform().start(() -> serverExit[0] = Jrump.run(new PrintWriter(serverOut, true),
                new PrintWriter(serverErr, true), "server", "--if", "shmif0=" + bus, "--addr", "shmif0=fd00::1/64"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!serverOut.toString().contains("ready") && System.nanoTime() < deadline && server.isAlive()) Thread.sleep(10);
        assertThat(serverOut.toString()).as(serverErr.toString()).contains("ready");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), "ping", "-c", "3", "-i", "0.2",
                "--if", "shmif0=" + bus, "--addr", "shmif0=fd00::2/64", "fd00::1");
        assertThat(rc).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("PING fd00::1").contains("bytes from fd00::1: icmp_seq=0").contains("icmp_seq=2")
                .contains("3 packets transmitted, 3 packets received, 0.0% packet loss").contains("round-trip min/avg/max/stddev");

        StringWriter out2 = new StringWriter();
        int rc2 = Jrump.run(new PrintWriter(out2, true), new PrintWriter(new StringWriter(), true), "ping", "-c", "1", "-W", "0.5",
                "--if", "shmif0=" + bus, "--addr", "shmif0=fd00::3/64", "fd00::77");
        assertThat(rc2).isEqualTo(2);
        assertThat(out2.toString()).contains("1 packets transmitted, 0 packets received, 100.0% packet loss");

        // the same address twice on the bus: duplicate address detection refuses it (RFC 4862 5.4)
        StringWriter err3 = new StringWriter();
        int rc3 = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err3, true), "ping", "-c", "1",
                "--if", "shmif0=" + bus, "--addr", "shmif0=fd00::1/64", "fd00::2");
        assertThat(rc3).isEqualTo(1);
        assertThat(err3.toString()).contains("duplicate address");

        server.interrupt();
        server.join(30_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(serverExit[0]).isZero();
    }

    @Test
    void badIpv6Host_isAOneLineError() {
        StringWriter err = new StringWriter();
        int rc = Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "ping", "fd00:::1");
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("unknown host fd00:::1").doesNotContain("Exception");
    }
}
