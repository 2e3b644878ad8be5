package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.SockaddrIn;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * A handshake by SYN cookie on the wire as Wireshark reads it: the server keeps no SYN cache entry (its
 * listener limit is 0), so its SYN-ACK carries a cookie, and tshark must find that SYN-ACK well formed with
 * the options the client offered (MSS, window scale, SACK-permitted, timestamps echoing the SYN's), the
 * client's ACK acknowledging the cookie, and the transfer that follows without anything malformed. tshark is
 * required (scripts/apt-packages.txt); without it this test fails rather than skips.
 */
class TcpSynCookieWiresharkTest {
    static final int A = SockaddrIn.parse("10.0.0.1");
    static final int B = SockaddrIn.parse("10.0.0.2");

    @TempDir
    Path dir;

    @Test
    void cookieHandshake_isWellFormed_andTheTransferFollows_asTsharkReadsIt() throws Exception {
        SimNet net = new SimNet(77);
        net.capture = true;
        Inet a = net.stack();
        Inet b = net.stack();
        net.link(a, A, b, B, 24);
        b.tcp().tunables().synCacheListenerLimit = 0;
        SimSocket listener = SimSocket.tcp(b, 65536);
        listener.pcb.bind(new SockaddrIn(B, 80));
        listener.pcb.listen(5);
        SimSocket client = SimSocket.tcp(a, 65536);
        client.pcb.connect(new SockaddrIn(B, 80));
        ByteBuffer src = ByteBuffer.allocate(64 * 1024);
        SimSocket[] server = new SimSocket[1];
        int[] got = new int[1];
        net.runUntil(() -> got[0] == src.capacity(), () -> {
            if (client.connected && src.hasRemaining()) {
                int n = Math.min(client.pcb.sendSpace(), src.remaining());
                if (n > 0) client.pcb.send(Mbuf.copyFrom(src, n), null, 0);
            }
            if (server[0] == null) server[0] = listener.accept();
            if (server[0] != null && server[0].rcv.cc() > 0) {
                int n = server[0].rcv.cc();
                server[0].rcv.read(ByteBuffer.allocate(n), n, false);
                server[0].pcb.rcvd();
                got[0] += n;
            }
        }, 60_000_000_000L);
        assertThat(b.tcp().synCacheStats().cookiesReceived()).isEqualTo(1);
        assertThat(b.tcp().synCacheStats().highWater()).isZero();
        Path pcap = dir.resolve("cookie.pcap");
        Files.write(pcap, TcpSackWiresharkTest.pcap(net.captured));

        assertThat(TcpSackWiresharkTest.tshark(pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error"))
                .as("malformed or erroneous frames").isEmpty();
        String[] fields = {"-o", "tcp.relative_sequence_numbers:FALSE", "-T", "fields", "-e", "tcp.seq", "-e", "tcp.ack",
                "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift", "-e", "tcp.options.sack_perm",
                "-e", "tcp.options.timestamp.tsval", "-e", "tcp.options.timestamp.tsecr"};
        List<String> syn = TcpSackWiresharkTest.tshark(pcap, concat(new String[] {"-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0"}, fields));
        List<String> synAck = TcpSackWiresharkTest.tshark(pcap, concat(new String[] {"-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 1"}, fields));
        assertThat(syn).hasSize(1);
        assertThat(synAck).as("one SYN-ACK, never retransmitted").hasSize(1);
        String[] s = syn.getFirst().split("\t", -1);
        String[] sa = synAck.getFirst().split("\t", -1);
        System.out.println("tshark: cookie SYN-ACK " + synAck.getFirst());
        assertThat(Long.parseLong(sa[1])).as("the SYN acknowledged").isEqualTo((Long.parseLong(s[0]) + 1) & 0xffffffffL);
        assertThat(sa[2]).as("MSS").isNotEmpty();
        assertThat(sa[3]).as("window scale").isNotEmpty();
        assertThat(sa[4]).as("SACK-permitted").isNotEmpty();
        assertThat(sa[6]).as("the SYN's TSval echoed").isEqualTo(s[5]);
        long cookie = Long.parseLong(sa[0]);
        List<String> ack = TcpSackWiresharkTest.tshark(pcap, "-o", "tcp.relative_sequence_numbers:FALSE", "-Y",
                "ip.src == 10.0.0.1 && tcp.flags.syn == 0", "-T", "fields", "-e", "tcp.ack", "-e", "tcp.options.timestamp.tsecr");
        assertThat(ack.getFirst().split("\t")[0]).as("the client's ACK acknowledges the cookie").isEqualTo(Long.toString((cookie + 1) & 0xffffffffL));
        assertThat(ack.getFirst().split("\t")[1]).as("and echoes the SYN-ACK's TSval, which carries the options").isEqualTo(sa[5]);
        List<String> data = TcpSackWiresharkTest.tshark(pcap, "-Y", "ip.src == 10.0.0.1 && tcp.len > 0", "-T", "fields", "-e", "tcp.len");
        assertThat(data.stream().mapToInt(Integer::parseInt).sum()).as("the payload tshark sees").isGreaterThanOrEqualTo(64 * 1024);
        List<String> wnd = TcpSackWiresharkTest.tshark(pcap, "-Y", "ip.src == 10.0.0.2 && tcp.flags.syn == 0", "-T", "fields",
                "-e", "tcp.window_size");
        assertThat(wnd).allSatisfy(w -> assertThat(Long.parseLong(w)).as("the server's scaled window within its 64 KiB buffer")
                .isBetween(0L, 65536L));
    }

    private static String[] concat(String[] x, String[] y) {
        String[] r = new String[x.length + y.length];
        System.arraycopy(x, 0, r, 0, x.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
