package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * IPv6 on the wire as Wireshark reads it (dissectors nobody here wrote): a netsim run with DAD, router
 * solicitation, neighbour resolution, ping, a fragmented UDP datagram and a lossy TCP transfer is captured
 * to pcap; tshark, with checksum validation on for TCP, UDP and ICMPv6, must find nothing malformed and no
 * bad checksum. tshark is required (scripts/apt-packages.txt): without it this test fails.
 */
class Inet6WiresharkTest {
    @TempDir
    Path dir;

    @Test
    void ipv6Traffic_ndIcmp6FragmentsAndTcp_wellFormedWithGoodChecksums() throws Exception {
        SimNet net = new SimNet(6464);
        net.capture = true;
        SimNet.Faults f = SimNet.Faults.lossy(0.03);
        f.corrupt = 0; // corrupted frames would rightly show bad checksums
        Inet6NetsimTest.transfer6(net, 6464, f, 128 * 1024);
        Inet a = net.stacks.get(0);
        Inet b = net.stacks.get(1);
        int[] replies = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, hops) -> replies[0]++);
        for (int i = 0; i < 20 && replies[0] == 0; i++) {
            a.icmp6().echo(IpAddr.parse6(Inet6NetsimTest.B6), 0x77, i, "jrump ping6 payload".getBytes());
            net.advance(50_000_000L);
        }
        assertThat(replies[0]).isPositive();
        SimSocket rx = SimSocket.udp6(b, 1 << 20);
        assertThat(rx.pcb.bind(SockaddrIn6.of("::", 5353))).isZero();
        SimSocket tx = SimSocket.udp6(a, 1 << 20);
        for (int i = 0; i < 10 && rx.rcv.cc() == 0; i++) {
            assertThat(tx.pcb.send(Mbuf.wrap(new byte[4000]), SockaddrIn6.of(Inet6NetsimTest.B6, 5353), 0)).isZero();
            net.advance(50_000_000L);
        }
        assertThat(rx.rcv.cc()).isPositive();
        Path pcap = dir.resolve("v6.pcap");
        Files.write(pcap, TcpSackWiresharkTest.pcap(net.captured));

        String[] checks = {"-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"};
        assertThat(tshark(pcap, checks, "_ws.malformed || _ws.expert.severity >= error")).as("malformed or erroneous").isEmpty();
        assertThat(tshark(pcap, checks, "tcp.checksum.status == 0 || udp.checksum.status == 0 || icmpv6.checksum.status == 0"))
                .as("bad checksums").isEmpty();
        assertThat(tshark(pcap, checks, "icmpv6.checksum.status == 1")).as("ICMPv6 checksums verified").isNotEmpty();
        assertThat(tshark(pcap, checks, "tcp.checksum.status == 1 && ipv6")).as("TCP over IPv6 checksums verified").hasSizeGreaterThan(100);
        assertThat(tshark(pcap, checks, "icmpv6.type == 135 && ipv6.src == ::")).as("DAD solicitations (RFC 4862 5.4.2)").isNotEmpty();
        assertThat(tshark(pcap, checks, "icmpv6.type == 135 && icmpv6.opt.type == 1")).as("NS with a source link-layer option").isNotEmpty();
        assertThat(tshark(pcap, checks, "icmpv6.type == 136 && icmpv6.nd.na.flag.s == 1 && icmpv6.opt.type == 2"))
                .as("solicited NA with the target's link-layer address").isNotEmpty();
        assertThat(tshark(pcap, checks, "icmpv6.type == 133 && eth.dst == 33:33:00:00:00:02")).as("router solicitations").isNotEmpty();
        assertThat(tshark(pcap, checks, "icmpv6.type == 129 && icmpv6.echo.identifier == 0x77")).as("echo replies").isNotEmpty();
        assertThat(tshark(pcap, checks, "udp.port == 5353 && ipv6.fragment.count == 3")).as("the datagram reassembled by tshark").isNotEmpty();
        // RFC 3810: the solicited-node groups reported, to ff02::16 with hop limit 1 and a Router Alert
        assertThat(tshark(pcap, checks, "icmpv6.type == 143 && ipv6.dst == ff02::16 && ipv6.hlim == 1 && ipv6.opt.router_alert == 0"
                + " && icmpv6.mldr.mar.multicast_address == ff02::1:ff00:1")).as("MLDv2 reports").isNotEmpty();
        assertThat(tshark(pcap, checks, "tcp.flags.syn == 1 && tcp.options.mss_val == 1440 && ipv6"))
                .as("MSS of 1500 - 60 on both SYNs").hasSizeGreaterThanOrEqualTo(2);
    }

    static List<String> tshark(Path pcap, String[] opts, String filter) throws Exception {
        String[] args = new String[opts.length + 2];
        System.arraycopy(opts, 0, args, 0, opts.length);
        args[opts.length] = "-Y";
        args[opts.length + 1] = filter;
        return TcpSackWiresharkTest.tshark(pcap, args);
    }
}
