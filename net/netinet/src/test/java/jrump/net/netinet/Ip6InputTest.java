package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * IPv6 input against packets built by hand, keyed to RFC 8200: the extension header chain (4, 4.2-4.4),
 * its limit, fragment reassembly with RFC 5722's overlap rule, exact duplicates, atomic fragments (RFC
 * 6946), the timeout with its time exceeded, the cap on datagrams held; and packet too big lowering
 * TCP's MSS (RFC 8201 4, 5).
 */
class Ip6InputTest {
    static final IpAddr A = IpAddr.parse6("fd00::1");
    static final IpAddr B = IpAddr.parse6("fd00::2");
    static final byte[] MAC_A = SimNet.mac(0);
    static final byte[] MAC_B = SimNet.mac(1);

    SimNet net;
    Inet a;
    Inet b;
    SimNet.SimIf[] ifs;
    SimSocket rx;

    @BeforeEach
    void setUp() {
        net = new SimNet(21);
        a = net.stack();
        b = net.stack();
        ifs = net.link6(a, "fd00::1", b, "fd00::2", 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        // let both learn each other's link address
        assertThat(a.icmp6().echo(B, 1, 1, new byte[8])).isZero();
        net.advance(10_000_000L);
        rx = SimSocket.udp6(b, 1 << 20);
        assertThat(rx.pcb.bind(SockaddrIn6.of("::", 7000))).isZero();
        net.capture = true;
    }

    /** Delivers an IPv6 packet (header with {@code next}, then {@code payload}) from A to B's interface. */
    void toB(int next, byte[] payload) {
        ifs[1].deliver(Mbuf.wrap(Frames6.ether(MAC_B, MAC_A, Frames6.ip6(A, B, next, 64, payload))));
        net.advance(10_000_000L);
    }

    byte[] udp(byte[] data) {
        return Frames6.udp(A, B, 1234, 7000, data);
    }

    /** B's ICMPv6 messages on the wire: {type, code, 32-bit parameter}. */
    List<int[]> icmpFromB() {
        return net.captured.stream().filter(f -> f.from().equals("sim1") && (f.bytes()[20] & 0xff) == 58)
                .map(f -> {
                    ByteBuffer x = ByteBuffer.wrap(f.bytes());
                    return new int[] {x.get(54) & 0xff, x.get(55) & 0xff, x.getInt(58)};
                }).filter(t -> t[0] < 128).toList();
    }

    /** A destination options header (RFC 8200 4.6) with one option of {@code type} and 4 bytes of data. */
    static byte[] dstOpts(int next, int type) {
        return new byte[] {(byte) next, 0, (byte) type, 4, 0, 0, 0, 0};
    }

    @Test
    void udpBehindPaddingOptionsAndAZeroSegmentsLeftRoutingHeader_isDelivered_rfc8200_4_2_4_4() {
        byte[] hbh = {(byte) Sys.IPPROTO_ROUTING, 0, 0, 1, 3, 0, 0, 0}; // Pad1, PadN(3)
        byte[] rh = {(byte) Sys.IPPROTO_DSTOPTS, 0, 4, 0, 0, 0, 0, 0}; // type 4, segments left 0
        byte[] dst = dstOpts(Sys.IPPROTO_UDP, 0x1e); // an unknown option whose top bits say skip it
        toB(Sys.IPPROTO_HOPOPTS, Frames6.concat(hbh, rh, dst, udp(new byte[] {1, 2, 3})));
        assertThat(rx.rcv.cc()).isEqualTo(3);
        assertThat(icmpFromB()).isEmpty();
    }

    @Test
    void unknownNextHeader_parameterProblemCode1PointingAtIt_rfc8200_4() {
        toB(253, new byte[8]);
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(4, 1, 6));
        toB(Sys.IPPROTO_DSTOPTS, Frames6.concat(dstOpts(254, 1), new byte[8]));
        assertThat(icmpFromB()).hasSize(2).last().satisfies(t -> assertThat(t).containsExactly(4, 1, 40));
    }

    @Test
    void hopByHopNotFirst_parameterProblem_rfc8200_4_3() {
        toB(Sys.IPPROTO_DSTOPTS, Frames6.concat(dstOpts(Sys.IPPROTO_HOPOPTS, 1), dstOpts(Sys.IPPROTO_UDP, 1), udp(new byte[4])));
        assertThat(rx.rcv.cc()).isZero();
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(4, 1, 40));
    }

    @Test
    void unknownOptions_actByTheirHighBits_rfc8200_4_2() {
        toB(Sys.IPPROTO_DSTOPTS, Frames6.concat(dstOpts(Sys.IPPROTO_UDP, 0x5e), udp(new byte[4]))); // 01: discard
        assertThat(rx.rcv.cc()).isZero();
        assertThat(icmpFromB()).isEmpty();
        toB(Sys.IPPROTO_DSTOPTS, Frames6.concat(dstOpts(Sys.IPPROTO_UDP, 0x9e), udp(new byte[4]))); // 10: discard, tell
        assertThat(rx.rcv.cc()).isZero();
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(4, 2, 42));
    }

    @Test
    void routingHeaderWithSegmentsLeft_parameterProblemAtItsType_rfc8200_4_4_rfc5095() {
        toB(Sys.IPPROTO_ROUTING, Frames6.concat(new byte[] {(byte) Sys.IPPROTO_UDP, 0, 0, 1, 0, 0, 0, 0}, udp(new byte[4])));
        assertThat(rx.rcv.cc()).isZero();
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(4, 0, 42));
    }

    @Test
    void tooManyExtensionHeaders_dropped() {
        byte[] chain = udp(new byte[4]);
        for (int i = 0; i < 12; i++) chain = Frames6.concat(dstOpts(i == 0 ? Sys.IPPROTO_UDP : Sys.IPPROTO_DSTOPTS, 1), chain);
        toB(Sys.IPPROTO_DSTOPTS, chain);
        assertThat(rx.rcv.cc()).isZero();
        assertThat(b.ip6().tooManyHeaders).isEqualTo(1);
    }

    byte[] datagram(int n, long seed) {
        byte[] d = new byte[n];
        new SplittableRandom(seed).nextBytes(d);
        return udp(d);
    }

    void fragment(int id, byte[] whole, int off, int len, boolean more) {
        toB(Sys.IPPROTO_FRAGMENT, Frames6.fragment(Sys.IPPROTO_UDP, off, more, id, whole, off, len));
    }

    @Test
    void fragmentsOutOfOrderWithAnExactDuplicate_reassemble_rfc8200_4_5() {
        byte[] u = datagram(3000 - 8, 1);
        fragment(7, u, 2048, 952, false);
        fragment(7, u, 1024, 1024, true);
        fragment(7, u, 1024, 1024, true); // an exact duplicate is dropped alone
        assertThat(rx.rcv.cc()).isZero();
        fragment(7, u, 0, 1024, true);
        assertThat(rx.rcv.cc()).as("the UDP payload of the 3000-byte datagram").isEqualTo(3000 - 8);
        assertThat(b.ip6().frag6().reassembled).isEqualTo(1);
        assertThat(b.ip6().frag6().queueCount()).isZero();
        assertThat(b.ip6().frag6().heldBytes()).isZero();
    }

    @Test
    void overlappingFragments_discardTheDatagram_rfc5722() {
        byte[] u = datagram(2000, 2);
        fragment(8, u, 0, 1024, true);
        fragment(8, u, 1016, 992, false); // overlaps the first by 8 bytes
        assertThat(b.ip6().frag6().overlaps).isEqualTo(1);
        assertThat(b.ip6().frag6().queueCount()).isZero();
        fragment(8, u, 1024, 984, false);
        assertThat(rx.rcv.cc()).as("the datagram is gone, a later piece does not revive it").isZero();
        assertThat(icmpFromB()).isEmpty();
    }

    @Test
    void atomicFragment_isProcessedAtOnce_rfc6946() {
        byte[] u = datagram(100, 3);
        fragment(9, u, 0, u.length, false);
        assertThat(rx.rcv.cc()).isEqualTo(100);
        assertThat(b.ip6().frag6().atomic).isEqualTo(1);
        assertThat(b.ip6().frag6().queueCount()).isZero();
    }

    @Test
    void incompleteDatagram_timesOutAfter60s_withTimeExceeded_rfc8200_4_5() {
        byte[] u = datagram(3000, 4);
        fragment(10, u, 0, 1024, true);
        net.advance(59_000_000_000L);
        assertThat(b.ip6().frag6().queueCount()).isEqualTo(1);
        net.advance(2_000_000_000L);
        assertThat(b.ip6().frag6().queueCount()).isZero();
        assertThat(b.ip6().frag6().heldBytes()).isZero();
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(3, 1, 0));
        // a datagram whose first fragment never came times out silently
        fragment(11, u, 1024, 1024, true);
        net.advance(61_000_000_000L);
        assertThat(icmpFromB()).hasSize(1);
    }

    @Test
    void manyIncompleteDatagrams_heldUpToTheCap() {
        byte[] u = datagram(3000, 5);
        for (int id = 0; id < 250; id++) fragment(1000 + id, u, 0, 1024, true);
        assertThat(b.ip6().frag6().queueCount()).isEqualTo(b.tunables().maxFrag6Packets).isEqualTo(200);
        assertThat(b.ip6().frag6().dropped).isEqualTo(50);
        assertThat(b.ip6().frag6().heldBytes()).isEqualTo(200 * 1024);
    }

    @Test
    void badFragments_parameterProblem_rfc8200_4_5() {
        byte[] u = datagram(3000, 6);
        fragment(12, u, 0, 1020, true); // M set but not a multiple of 8
        assertThat(icmpFromB()).singleElement().satisfies(t -> assertThat(t).containsExactly(4, 0, 4));
        toB(Sys.IPPROTO_FRAGMENT, Frames6.fragment(Sys.IPPROTO_UDP, 65528, false, 13, u, 0, 16)); // beyond 65535 bytes
        assertThat(icmpFromB()).hasSize(2).last().satisfies(t -> assertThat(t).containsExactly(4, 0, 42));
        assertThat(b.ip6().frag6().queueCount()).isZero();
    }

    @Test
    void packetTooBig_lowersPathMtuAndTcpMss_neverBelow1280_rfc8201() {
        SimSocket l = SimSocket.tcp6(b, 256 * 1024);
        assertThat(l.pcb.bind(SockaddrIn6.of("::", 80))).isZero();
        assertThat(l.pcb.listen(1)).isZero();
        SimSocket c = SimSocket.tcp6(a, 256 * 1024);
        assertThat(c.pcb.connect(SockaddrIn6.of("fd00::2", 80))).isZero();
        net.advance(10_000_000L);
        assertThat(c.connected).isTrue();
        assertThat(mss(c)).as("1500 - 40 - 20 - 12 (timestamps)").isEqualTo(1428);
        byte[] data = new byte[200_000];
        new SplittableRandom(8).nextBytes(data);
        assertThat(c.pcb.send(Mbuf.wrap(data.clone()), null, 0)).isZero();
        // a router on the path says 1280: quote A's first full segment in the error
        byte[] seg = net.captured.stream().filter(f -> f.from().equals("sim0") && f.bytes().length == 1514).findFirst().orElseThrow().bytes();
        byte[] quote = java.util.Arrays.copyOfRange(seg, 14, 14 + 1232);
        byte[] ptb = new byte[8 + quote.length];
        ByteBuffer.wrap(ptb).put(0, (byte) 2).putInt(4, 1280);
        System.arraycopy(quote, 0, ptb, 8, quote.length);
        IpAddr router = IpAddr.parse6("fd00::fe");
        Frames6.icmp6(router, A, ptb);
        int before = net.captured.size();
        ifs[0].deliver(Mbuf.wrap(Frames6.ether(MAC_A, MAC_B, Frames6.ip6(router, A, 58, 64, ptb))));
        assertThat(a.icmp6().packetTooBigReceived).isEqualTo(1);
        assertThat(a.pathMtu(B)).isEqualTo(1280);
        assertThat(mss(c)).as("1280 - 40 - 20 - 12").isEqualTo(1208);
        // a forged smaller MTU is raised to the minimum (RFC 8201 4)
        ByteBuffer.wrap(ptb).putInt(4, 600);
        Frames6.icmp6(router, A, ptb);
        ifs[0].deliver(Mbuf.wrap(Frames6.ether(MAC_A, MAC_B, Frames6.ip6(router, A, 58, 64, ptb))));
        assertThat(a.pathMtu(B)).isEqualTo(1280);
        assertThat(mss(c)).isEqualTo(1208);
        SimSocket[] s = new SimSocket[1];
        ByteBuffer got = ByteBuffer.allocate(data.length);
        net.runUntil(() -> !got.hasRemaining(), () -> {
            if (s[0] == null) s[0] = l.accept();
            if (s[0] != null && s[0].rcv.cc() > 0) {
                s[0].rcv.read(got, Math.min(s[0].rcv.cc(), got.remaining()), false);
                s[0].pcb.rcvd();
            }
        }, 60_000_000_000L);
        assertThat(got.array()).isEqualTo(data);
        assertThat(net.captured.subList(before, net.captured.size())).filteredOn(f -> f.from().equals("sim0"))
                .allSatisfy(f -> assertThat(f.bytes().length).isLessThanOrEqualTo(14 + 1280));
        // RFC 8201 5.3: the lowered MTU is tried again after 10 minutes
        net.advance(Ip6.PMTU_AGE_NANOS + 1);
        assertThat(a.pathMtu(B)).isEqualTo(1500);
    }

    static int mss(SimSocket s) {
        ByteBuffer out = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        assertThat(s.pcb.getopt(Sys.IPPROTO_TCP, Sys.TCP_MAXSEG, out)).isZero();
        return out.getInt(0);
    }
}
