package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * Three stacks, A - R - B, with R forwarding IPv6 (RFC 8200): pings through the router with the hop limit
 * lowered, time exceeded at hop limit 1 (RFC 4443 3.3), destination unreachable without a route (3.1),
 * and path MTU discovery end to end: R's link towards B carries only 1280 bytes, R answers A's full-size
 * TCP segments with packet too big (3.2) and A's TCP lowers its MSS so that every byte arrives (RFC 8201).
 */
class Ip6ForwardTest {
    static final IpAddr A = IpAddr.parse6("fd00:1::1");
    static final IpAddr B = IpAddr.parse6("fd00:2::1");

    SimNet net;
    Inet a;
    Inet r;
    Inet b;
    SimNet.SimIf[] left;
    SimNet.SimIf[] right;

    @BeforeEach
    void setUp() {
        net = new SimNet(31);
        a = net.stack();
        r = net.stack();
        b = net.stack();
        left = net.link6(a, "fd00:1::1", r, "fd00:1::fe", 64);
        right = net.link6(r, "fd00:2::fe", b, "fd00:2::1", 64);
        r.tunables().forwarding6 = true;
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(a.addRoute6(IpAddr.ANY, 0, IpAddr.parse6("fd00:1::fe"), 0)).isZero();
        assertThat(b.addRoute6(IpAddr.ANY, 0, IpAddr.parse6("fd00:2::fe"), 0)).isZero();
        net.capture = true;
    }

    @Test
    void pingThroughTheRouter_hopLimitLowered() {
        int[] hops = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, h) -> {
            assertThat(from).isEqualTo(B);
            hops[0] = h;
        });
        assertThat(a.icmp6().echo(B, 1, 1, new byte[32])).isZero();
        net.advance(100_000_000L);
        assertThat(hops[0]).as("B's 64 less one hop").isEqualTo(63);
        assertThat(r.ip6().forwarded).isEqualTo(2);
    }

    @Test
    void hopLimitOne_timeExceededFromTheRouter_rfc4443_3_3() {
        a.tunables().hopLimit = 1;
        assertThat(a.icmp6().echo(B, 1, 1, new byte[32])).isZero();
        net.advance(100_000_000L);
        assertThat(r.ip6().hopLimitExceeded).isEqualTo(1);
        assertThat(net.captured).anySatisfy(f -> {
            assertThat(java.util.Arrays.copyOf(f.bytes(), 6)).isEqualTo(SimNet.mac(0)); // to A
            assertThat(f.bytes()[54]).isEqualTo((byte) 3);
            assertThat(f.bytes()[55]).isEqualTo((byte) 0);
        });
        assertThat(r.ip6().forwarded).isZero();
    }

    @Test
    void noRoute_destinationUnreachableFromTheRouter_rfc4443_3_1() {
        assertThat(a.icmp6().echo(IpAddr.parse6("fd00:3::1"), 1, 1, new byte[32])).isZero();
        net.advance(100_000_000L);
        assertThat(r.ip6().noRoute).isEqualTo(1);
        assertThat(net.captured).anySatisfy(f -> {
            assertThat(java.util.Arrays.copyOf(f.bytes(), 6)).isEqualTo(SimNet.mac(0));
            assertThat(f.bytes()[54]).isEqualTo((byte) 1);
            assertThat(f.bytes()[55]).isEqualTo((byte) 0);
        });
    }

    @Test
    void smallerLinkBeyondTheRouter_packetTooBig_lowersTcpMss_everyByteArrives_rfc8201() {
        right[0].setMtu(1280); // R's side only: a tunnel-like link B does not know about
        SimSocket l = SimSocket.tcp6(b, 256 * 1024);
        assertThat(l.pcb.bind(SockaddrIn6.of("::", 80))).isZero();
        assertThat(l.pcb.listen(1)).isZero();
        SimSocket c = SimSocket.tcp6(a, 256 * 1024);
        assertThat(c.pcb.connect(SockaddrIn6.of("fd00:2::1", 80))).isZero();
        byte[] data = new byte[300_000];
        new SplittableRandom(31).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer got = ByteBuffer.allocate(data.length);
        SimSocket[] s = new SimSocket[1];
        net.runUntil(() -> !got.hasRemaining(), () -> {
            if (c.connected && src.hasRemaining()) {
                int n = Math.min(c.pcb.sendSpace(), src.remaining());
                if (n > 0) c.pcb.send(Mbuf.copyFrom(src, n), null, 0);
            }
            if (s[0] == null) s[0] = l.accept();
            if (s[0] != null && s[0].rcv.cc() > 0) {
                s[0].rcv.read(got, Math.min(s[0].rcv.cc(), got.remaining()), false);
                s[0].pcb.rcvd();
            }
        }, 60_000_000_000L);
        assertThat(got.array()).isEqualTo(data);
        assertThat(a.icmp6().packetTooBigReceived).isPositive();
        assertThat(a.pathMtu(B)).isEqualTo(1280);
        assertThat(Ip6InputTest.mss(c)).isEqualTo(1280 - 60 - 12);
        assertThat(r.ip6().forwarded).isPositive();
    }
}
