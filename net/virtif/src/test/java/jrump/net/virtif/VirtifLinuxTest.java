package jrump.net.virtif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.security.MessageDigest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrump against the Linux kernel's own stack over a tap: a kernel in this JVM with virt0 on a tap that
 * is moved into a network namespace of the test's, where ping and socat run. Needs root (as in CI).
 */
@Timeout(240)
class VirtifLinuxTest {
    /** Bytes moved each way by the bulk test (scripts/virtif-interop moves 1 GiB). */
    static final long BULK = Long.getLong("jrump.virtif.bulk", 64L << 20);

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private LinuxNet net;
    private JrumpNode node;

    private void up(String options) throws Exception {
        net = new LinuxNet();
        node = new JrumpNode("tap:" + net.tap + options, net.jrumpAddr + "/24");
        net.adoptTap();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (node != null) node.close();
        } finally {
            if (net != null) net.close();
        }
    }

    @Test
    void linuxPingsJrump_andJrumpPingsLinux() throws Exception {
        up("");
        String out = net.runNs("ping", "-c", "5", "-i", "0.2", "-W", "2", net.jrumpAddr);
        assertThat(out).contains("5 packets transmitted, 5 received");
        for (int seq = 1; seq <= 3; seq++) {
            assertThat(node.ping(net.linuxAddr, seq)).as("jrump's echo " + seq + " answered by Linux").isPositive();
        }
        // a large ping: fragmented by Linux, reassembled and answered (fragmented) by jrump
        assertThat(net.runNs("ping", "-c", "2", "-s", "4000", "-W", "2", net.jrumpAddr)).contains("2 received");
    }

    /** IPv6 over the tap: Linux pings jrump (after jrump's DAD) and echoes 1 MiB through it over TCP. */
    @Test
    void linuxPingsJrump_andTcpEchoes_overIpv6() throws Exception {
        up("");
        String v6 = upIpv6();
        // TCP over v6: a Linux client through a jrump echo server on a PF_INET6 socket, 1 MiB byte for byte
        int ls = node.sys.socket(jrump.rumpkern.Sys.PF_INET6, jrump.rumpkern.Sys.SOCK_STREAM, 0);
        node.sys.bind(ls, jrump.rumpkern.SockaddrIn6.of("::", 7));
        node.sys.listen(ls, 8);
        Thread echo = node.echoOnce(ls);
        Path in = randomFile("echo6.in", 1 << 20, 6);
        Path out = dir.resolve("echo6.out");
        net.runNs("sh", "-c", "socat -t 10 -T 30 - TCP6:[" + v6 + "2]:7 < " + in + " > " + out);
        echo.join(30_000);
        assertThat(Files.mismatch(in, out)).as("the echoed bytes over IPv6").isEqualTo(-1L);
    }

    /**
     * Gives jrump fd00:213:ID::2/64 and Linux ::1 of it on the tap, and waits until Linux's pings are
     * answered (jrump answers once its duplicate address detection is over); the prefix.
     */
    private String upIpv6() throws Exception {
        String v6 = "fd00:213:" + net.id.substring(0, 4) + "::";
        node.rk.pub().netifAddr("virt0", v6 + "2/64");
        LinuxNet.run("ip", "-n", net.ns, "-6", "addr", "add", v6 + "1/64", "dev", net.tap, "nodad");
        LinuxNet.Result r = null;
        for (int i = 0; i < 10; i++) {
            r = LinuxNet.exec(net.inNs("ping", "-6", "-c", "3", "-i", "0.2", "-W", "1", v6 + "2"), 30);
            if (r.output().contains(" 3 received")) break;
            Thread.sleep(500);
        }
        assertThat(r.output()).contains("3 packets transmitted, 3 received");
        return v6;
    }

    /**
     * IPv6 through the damaged link: 4 MiB each way between Linux's socat (TCP6) and jrump's PF_INET6
     * sockets arrive intact, and a capture of it has nothing malformed and no bad checksum.
     */
    @Test
    void lossReorderingDuplication_overIpv6_tcp6StillDeliversIntact() throws Exception {
        up(",loss=0.05,reorder=0.05,dup=0.02,seed=43");
        String v6 = upIpv6();
        Path pcap = capture("faulty6", () -> transferBothWays(4L << 20, 43, v6 + "2", v6 + "1"));
        String bad = tshark(pcap, VALIDATE, "-Y", "(_ws.malformed || tcp.checksum.status == 0 || icmpv6.checksum.status == 0"
                + " || _ws.expert.severity == error) && !" + linuxNegativeZero("ipv6.src", v6 + "1"),
                "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message");
        assertThat(bad).as("malformed frames or bad checksums over IPv6 under faults").isEmpty();
        assertThat(count(tshark(pcap, VALIDATE, "-Y", "tcp.checksum.status == 1 && ipv6.src == " + v6 + "2",
                "-T", "fields", "-e", "frame.number"))).as("jrump's TCP6 segments with a good checksum").isGreaterThan(1000);
        assertThat(count(tshark(pcap, VALIDATE, "-Y", "tcp.analysis.retransmission || tcp.analysis.fast_retransmission",
                "-T", "fields", "-e", "frame.number"))).as("retransmissions seen on the wire").isPositive();
        for (long k : faults()) assertThat(k).isPositive();
    }

    /**
     * A clean IPv6 capture: pings and 4 MiB each way over TCP6, read with checksum validation on: nothing
     * malformed, no bad checksum, no expert note of warning level or above beyond the flow-control ones
     * the IPv4 capture test tolerates.
     */
    @Test
    void captureOverIpv6_tsharkFindsNoMalformedPacketsOrBadChecksums() throws Exception {
        up("");
        String v6 = upIpv6();
        Path pcap = capture("clean6", () -> {
            assertThat(net.runNs("ping", "-6", "-c", "3", "-i", "0.2", v6 + "2")).contains("3 received");
            assertThat(net.runNs("ping", "-6", "-c", "1", "-s", "3000", v6 + "2")).contains("1 received");
            transferBothWays(4L << 20, 44, v6 + "2", v6 + "1");
        });
        String bad = tshark(pcap, VALIDATE, "-Y", "(_ws.malformed || _ws.expert.severity >= warning"
                + " || tcp.checksum.status == 0 || icmpv6.checksum.status == 0)"
                + " && !(tcp.analysis.window_full || tcp.analysis.zero_window) && !" + linuxNegativeZero("ipv6.src", v6 + "1")
                + (captureDropped ? " && !(tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment)" : ""),
                "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message");
        assertThat(bad).as("frames tshark finds fault with (IPv6)").isEmpty();
        int echo = count(tshark(pcap, VALIDATE, "-Y", "icmpv6.type == 129 && ipv6.src == " + v6 + "2 && icmpv6.checksum.status == 1",
                "-T", "fields", "-e", "frame.number"));
        int requests = count(tshark(pcap, VALIDATE, "-Y", "icmpv6.type == 128 && ipv6.dst == " + v6 + "2", "-T", "fields", "-e", "frame.number"));
        // every request captured has its good reply (the first ping can go before the capture really starts)
        assertThat(echo).as("jrump's echo replies with good checksums").isEqualTo(requests).isGreaterThanOrEqualTo(2);
        assertThat(count(tshark(pcap, VALIDATE, "-Y", "ipv6.src == " + v6 + "2 && ipv6.fragment",
                "-T", "fields", "-e", "frame.number"))).as("jrump fragments the 3000-byte reply").isPositive();
        assertThat(count(tshark(pcap, VALIDATE, "-Y", "tcp.checksum.status == 1 && ipv6.src == " + v6 + "2",
                "-T", "fields", "-e", "frame.number"))).as("jrump's TCP6 segments with a good checksum").isGreaterThan(1000);
    }

    @Test
    void linuxTcpClient_talksToJrumpsEchoServer() throws Exception {
        up("");
        int s = node.listen(7);
        Thread echo = node.echoOnce(s);
        Path in = randomFile("echo.in", 1 << 20, 7);
        Path out = dir.resolve("echo.out");
        net.runNs("sh", "-c", "socat -t 10 -T 30 - TCP:" + net.jrumpAddr + ":7 < " + in + " > " + out);
        echo.join(30_000);
        assertThat(Files.mismatch(in, out)).as("the echoed bytes").isEqualTo(-1L);
    }

    @Test
    void jrumpTcpClient_talksToLinuxSocatServer() throws Exception {
        up("");
        Path out = dir.resolve("from-jrump");
        Process server = net.startNs(dir.resolve("socat.log"), "socat", "-u", "TCP-LISTEN:5001,reuseaddr", "CREATE:" + out);
        try {
            net.awaitListening(5001);
            int c = node.connect(net.linuxAddr, 5001);
            JrumpNode.Digest sent = node.source(c, 3 << 20, 11);
            node.sys.close(c);
            assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(sha256(out)).isEqualTo(sent.sha256());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void bulk_bothWays_intact() throws Exception {
        up("");
        transferBothWays(BULK, 21);
    }

    /** The same over IPv6: socat's TCP6 and jrump's PF_INET6 sockets (scripts/virtif-interop: 1 GiB each way). */
    @Test
    void bulk_bothWays_intact_overIpv6() throws Exception {
        up("");
        String v6 = upIpv6();
        transferBothWays(BULK, 22, v6 + "2", v6 + "1");
    }

    @Test
    void lossReorderingDuplication_linuxTcpStillDeliversIntact() throws Exception {
        up(",loss=0.05,reorder=0.05,dup=0.02,seed=42");
        Path pcap = capture("faulty", () -> transferBothWays(4L << 20, 42));
        // what Linux saw of the damaged link: retransmissions, duplicates and out-of-order segments galore,
        // which tshark's sequence analysis notes as it should, but nothing malformed and no bad checksum
        String bad = tshark(pcap, VALIDATE, "-Y", "(_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0"
                + " || _ws.expert.severity == error) && !" + linuxNegativeZero(), "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message");
        assertThat(bad).as("malformed frames or bad checksums under faults").isEmpty();
        assertThat(count(tshark(pcap, VALIDATE, "-Y", "tcp.analysis.retransmission || tcp.analysis.fast_retransmission",
                "-T", "fields", "-e", "frame.number"))).as("retransmissions seen on the wire").isPositive();
        long[] f = faults();
        // each direction's generator made every kind of fault
        for (long k : f) assertThat(k).isPositive();
    }

    @Test
    void jumboFrames_withTheMtuOption() throws Exception {
        up(",mtu=9000");
        LinuxNet.run("ip", "-n", net.ns, "link", "set", net.tap, "mtu", "9000");
        // 8000 bytes of ICMP data with DF set: one 8028-byte datagram each way, no fragments
        assertThat(net.runNs("ping", "-c", "2", "-M", "do", "-s", "8000", "-W", "2", net.jrumpAddr)).contains("2 received");
        transferBothWays(8L << 20, 9);
        assertThat(node.virtif().mtu()).isEqualTo(9000);
    }

    /**
     * tshark captures the tap (inside the namespace) during pings, a fragmented ping, and 8 MiB each way,
     * then reads the capture with checksum validation on: no malformed packet, no bad checksum, no expert
     * note of warning level or above (bad options, sequence trouble, resets), and the traffic is all there.
     */
    @Test
    void capture_tsharkFindsNoMalformedPacketsOrBadChecksums() throws Exception {
        up("");
        Path pcap = capture("clean", () -> {
            assertThat(net.runNs("ping", "-c", "3", "-i", "0.2", net.jrumpAddr)).contains("3 received");
            assertThat(net.runNs("ping", "-c", "1", "-s", "3000", net.jrumpAddr)).contains("1 received");
            assertThat(node.ping(net.linuxAddr, 9)).isPositive();
            transferBothWays(4L << 20, 5);
        });
        String[] validate = VALIDATE;
        // tolerated: "window full" and "zero window" (warnings) are flow control, jrump's 64 KiB receive buffer
        // filling while the reading thread catches up, which the probes and window updates after them resolve
        String bad = tshark(pcap, validate, "-Y", "(_ws.malformed || _ws.expert.severity >= warning || ip.checksum.status == 0"
                + " || tcp.checksum.status == 0 || icmp.checksum.status == 0)"
                + " && !(tcp.analysis.window_full || tcp.analysis.zero_window) && !" + linuxNegativeZero()
                // a capture that could not keep up (tshark says how many it dropped) misses segments the
                // peers still acknowledged: only then are those notes the capture's, not the link's
                + (captureDropped ? " && !(tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment)" : ""),
                "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info", "-e", "_ws.expert.message");
        assertThat(bad).as("frames tshark finds fault with").isEmpty();
        int tcp = count(tshark(pcap, validate, "-Y", "tcp.checksum.status == 1 && ip.src == " + net.jrumpAddr, "-T", "fields", "-e", "frame.number"));
        assertThat(tcp).as("jrump's TCP segments with a good checksum").isGreaterThan(2500);
        int echo = count(tshark(pcap, validate, "-Y", "icmp.type == 0 && ip.src == " + net.jrumpAddr + " && icmp.checksum.status == 1",
                "-T", "fields", "-e", "frame.number"));
        int requests = count(tshark(pcap, validate, "-Y", "icmp.type == 8 && ip.dst == " + net.jrumpAddr, "-T", "fields", "-e", "frame.number"));
        // every request captured has its reply with a good checksum (the fragmented one counted once; the
        // first pings, 0.2 s apart, can go before tshark's capture really starts on a loaded machine)
        assertThat(echo).as("jrump's echo replies").isEqualTo(requests).isGreaterThanOrEqualTo(2);
        int frags = count(tshark(pcap, validate, "-Y", "ip.src == " + net.jrumpAddr + " && ip.flags.mf == 1", "-T", "fields", "-e", "frame.number"));
        assertThat(frags).as("jrump fragments the 3000-byte reply").isPositive();
        String opts = tshark(pcap, validate, "-Y", "tcp.flags.syn == 1 && ip.src == " + net.jrumpAddr, "-T", "fields",
                "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift", "-e", "tcp.options.sack_perm", "-e", "tcp.options.timestamp.tsval");
        assertThat(opts.lines().toList()).as("jrump's SYNs carry MSS, window scale, SACK-permitted, timestamps")
                .isNotEmpty().allSatisfy(l -> assertThat(l.split("\t")).hasSize(4).doesNotContain(""));
    }

    /**
     * Tolerated everywhere: a TCP checksum of 0xFFFF from Linux. It is the other ones' complement zero and
     * valid for TCP (RFC 1624 section 3; only UDP reserves 0); Linux's incremental checksum update writes it
     * now and then, and tshark reports it as an error. jrump's frames get no such pass.
     */
    private String linuxNegativeZero() {
        return linuxNegativeZero("ip.src", net.linuxAddr);
    }

    private static String linuxNegativeZero(String srcField, String linux) {
        return "(tcp.checksum == 0xffff && tcp.checksum_calculated == 0x0000 && " + srcField + " == " + linux + ")";
    }

    /** tshark's checksum validation, and the random payload decoded as data (not as what a port suggests). */
    private static final String[] VALIDATE = {"-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE", "-d", "tcp.port==9000,data", "-d", "tcp.port==5002,data", "-d", "tcp.port==7,data"};

    /** Whether the last {@link #capture} lost frames (tshark reports "N packets dropped"). */
    private boolean captureDropped;

    private interface Traffic {
        void run() throws Exception;
    }

    /** Runs {@code traffic} while tshark captures the tap inside the namespace: the capture file. */
    private Path capture(String name, Traffic traffic) throws Exception {
        Path pcap = dir.resolve(name + ".pcapng");
        Path log = dir.resolve(name + ".tshark.log");
        // a large capture buffer: a capture that drops frames shows "ACKed unseen segment" notes of its own
        Process cap = net.startNs(log, "tshark", "-q", "-B", "128", "-i", net.tap, "-w", pcap.toString());
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(log).contains("Capturing on") && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(Files.readString(log)).contains("Capturing on");
            traffic.run();
            Thread.sleep(500); // the last ACKs and FINs
        } finally {
            cap.destroy(); // SIGTERM: tshark finishes the file
            cap.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        captureDropped = java.util.regex.Pattern.compile("[1-9][0-9]* packets? dropped").matcher(Files.readString(log)).find();
        return pcap;
    }

    private String tshark(Path pcap, String[] validate, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(java.util.List.of(validate));
        cmd.addAll(java.util.List.of(args));
        LinuxNet.Result r = LinuxNet.exec(cmd, 120);
        assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
        // tshark's warning about root goes to stderr, which exec merges
        return r.output().lines().filter(l -> !l.startsWith("Running as user")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static int count(String lines) {
        return (int) lines.lines().filter(l -> !l.isBlank()).count();
    }

    private long[] faults() {
        return node.virtif().faultCounts();
    }

    /**
     * Linux sends {@code n} bytes to jrump (socat from a file) and jrump sends {@code n} to Linux (socat
     * into a file), at the same time; both checked by SHA-256.
     */
    private void transferBothWays(long n, long seed) throws Exception {
        transferBothWays(n, seed, net.jrumpAddr, net.linuxAddr);
    }

    /** The same between the given addresses: IPv6 ones use socat's TCP6 and jrump's PF_INET6 sockets. */
    private void transferBothWays(long n, long seed, String jrumpAddr, String linuxAddr) throws Exception {
        boolean v6 = jrumpAddr.indexOf(':') >= 0;
        Path toJrump = randomFile("to-jrump", n, seed);
        Path fromJrump = dir.resolve("from-jrump");
        int ls = v6 ? node.listen6(9000) : node.listen(9000);
        Process server = net.startNs(dir.resolve("server.log"), "socat", "-u", (v6 ? "TCP6-LISTEN" : "TCP-LISTEN") + ":5002,reuseaddr", "CREATE:" + fromJrump);
        Process client = null;
        try {
            JrumpNode.Digest[] got = new JrumpNode.Digest[1];
            Thread sink = Thread.ofVirtual().start(() -> {
                int c = node.sys.accept(ls);
                try {
                    got[0] = node.drain(c);
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    node.sys.close(c);
                }
            });
            client = net.startNs(dir.resolve("client.log"), "socat", "-u", "OPEN:" + toJrump,
                    v6 ? "TCP6:[" + jrumpAddr + "]:9000" : "TCP:" + jrumpAddr + ":9000");
            net.awaitListening(5002);
            int c = node.connect(linuxAddr, 5002);
            JrumpNode.Digest sent = node.source(c, n, seed + 1);
            node.sys.close(c);
            assertThat(client.waitFor(200, java.util.concurrent.TimeUnit.SECONDS)).as("socat to jrump finished").isTrue();
            assertThat(client.exitValue()).as(Files.readString(dir.resolve("client.log"))).isZero();
            sink.join(60_000);
            assertThat(got[0]).isNotNull();
            assertThat(got[0].bytes()).isEqualTo(n);
            assertThat(got[0].sha256()).isEqualTo(sha256(toJrump));
            assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("socat from jrump finished").isTrue();
            assertThat(Files.size(fromJrump)).isEqualTo(n);
            assertThat(sha256(fromJrump)).isEqualTo(sent.sha256());
        } finally {
            server.destroyForcibly();
            if (client != null) client.destroyForcibly();
        }
    }

    private Path randomFile(String name, long n, long seed) throws Exception {
        Path p = dir.resolve(name);
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[1 << 20];
        try (var out = Files.newOutputStream(p)) {
            for (long left = n; left > 0; left -= b.length) {
                r.nextBytes(b);
                out.write(b, 0, (int) Math.min(b.length, left));
            }
        }
        return p;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] b = new byte[1 << 20];
            int n;
            while ((n = in.read(b)) > 0) md.update(b, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
