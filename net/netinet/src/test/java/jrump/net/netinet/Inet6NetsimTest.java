package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * IPv6 between two stacks on the virtual clock over the seeded faulty link: TCP over IPv6 (RFC 8200 8.1
 * checksums) with every byte checked under loss, dual-stack sockets (RFC 3493 3.7, 5.3), link-local
 * addresses from the MAC (RFC 4291 appendix A), ICMPv6 echo (RFC 4443 4), and UDP over IPv6.
 */
class Inet6NetsimTest {
    static final String A6 = "fd00::1";
    static final String B6 = "fd00::2";
    static final long DAD_WAIT = 3_000_000_000L;

    static SockaddrIn6 sa(String a, int port) {
        return SockaddrIn6.of(a, port);
    }

    /** Moves {@code size} bytes from A to B over IPv6 at {@code loss}; returns virtual seconds. */
    static double transfer6(SimNet net, long seed, double loss, int size) {
        return transfer6(net, seed, SimNet.Faults.lossy(loss), size);
    }

    static double transfer6(SimNet net, long seed, SimNet.Faults faults, int size) {
        double loss = faults.loss;
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, A6, b, B6, 64);
        net.advance(DAD_WAIT);
        ifs[0].faults = faults;
        ifs[1].faults = faults;
        for (Inet s : new Inet[] {a, b}) s.tcp().tunables().maxRetransmits = 40;
        SimSocket listener = SimSocket.tcp6(b, 64 * 1024);
        assertThat(listener.pcb.bind(sa("::", 80))).isZero();
        assertThat(listener.pcb.listen(5)).isZero();
        SimSocket client = SimSocket.tcp6(a, 64 * 1024);
        assertThat(client.pcb.connect(sa(B6, 80))).isZero();
        byte[] data = new byte[size];
        new SplittableRandom(seed ^ 0x6eed).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer dst = ByteBuffer.allocate(size + 1);
        SimSocket[] server = new SimSocket[1];
        boolean[] shut = new boolean[1];
        long start = net.now();
        net.runUntil(() -> server[0] != null && server[0].cantRcvMore && server[0].rcv.cc() == 0, () -> {
            if (client.error != 0) throw new AssertionError("client error " + client.error + " (seed " + seed + ")");
            if (client.connected && src.hasRemaining()) {
                int n = Math.min(client.pcb.sendSpace(), src.remaining());
                if (n > 0) client.pcb.send(Mbuf.copyFrom(src, n), null, 0);
            }
            if (!src.hasRemaining() && !shut[0]) {
                shut[0] = true;
                client.pcb.shutdownOutput();
            }
            if (server[0] == null) {
                server[0] = listener.accept();
                if (server[0] != null) {
                    assertThat(server[0].pcb.peeraddr()).isEqualTo(new SockaddrIn6(IpAddr.parse6(A6).hi(), IpAddr.parse6(A6).lo(),
                            ((SockaddrIn6) client.pcb.sockaddr()).port()));
                }
            }
            if (server[0] != null && server[0].rcv.cc() > 0) {
                server[0].rcv.read(dst, Math.min(server[0].rcv.cc(), dst.remaining()), false);
                server[0].pcb.rcvd();
            }
        }, 3600_000_000_000L);
        assertThat(dst.position()).as("bytes received (seed %d, loss %.2f)", seed, loss).isEqualTo(size);
        for (int i = 0; i < size; i++) {
            if (dst.get(i) != data[i]) throw new AssertionError("byte " + i + " differs (seed " + seed + ", loss " + loss + ")");
        }
        assertThat(client.pcb.sockaddr()).isInstanceOf(SockaddrIn6.class);
        return (net.now() - start) / 1e9;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.05, 0.10, 0.20})
    void tcpOverIpv6_everyByteArrives_underLoss(double loss) {
        long seed = 6_2026L + (long) (loss * 1000);
        int size = loss >= 0.2 ? 256 * 1024 : 1024 * 1024;
        double s = transfer6(new SimNet(seed), seed, loss, size);
        System.out.printf("netsim6: %d KiB at %.0f%% loss: %.3f virtual s%n", size / 1024, loss * 100, s);
    }

    @Test
    void linkLocalAddress_isModifiedEui64OfTheMac_rfc4291AppendixA() {
        SimNet net = new SimNet(1);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link6(a, null, b, null, 64);
        assertThat(a.addresses6()).anySatisfy(ia -> {
            assertThat(ia.addr()).isEqualTo(IpAddr.parse6("fe80::ff:fe00:1")); // 02:00:00:00:00:01, U/L bit flipped
            assertThat(ia.state()).isEqualTo(In6Ifaddr.State.TENTATIVE);
        });
        assertThat(a.addresses6()).anySatisfy(ia -> assertThat(ia.addr()).isEqualTo(IpAddr.LOOPBACK6));
        net.advance(DAD_WAIT);
        assertThat(a.isLocalAddress(IpAddr.parse6("fe80::ff:fe00:1"))).as("preferred after DAD").isTrue();
        // ping between the link-local addresses (RFC 4443 4.1/4.2)
        int[] replies = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, hops) -> {
            assertThat(from).isEqualTo(IpAddr.parse6("fe80::ff:fe00:2"));
            replies[0]++;
        });
        assertThat(a.icmp6().echo(IpAddr.parse6("fe80::ff:fe00:2"), 7, 1, new byte[56])).isZero();
        net.advance(100_000_000L);
        assertThat(replies[0]).isEqualTo(1);
        assertThat(a.nd6().neighborState(a.interfaces().get(1), IpAddr.parse6("fe80::ff:fe00:2"))).isEqualTo(Nd6.State.REACHABLE);
    }

    @Test
    void loopback_pingsAndConnectsOverColonColon1() {
        SimNet net = new SimNet(2);
        Inet a = net.stack();
        int[] replies = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, hops) -> replies[0]++);
        assertThat(a.icmp6().echo(IpAddr.LOOPBACK6, 1, 1, new byte[8])).isZero();
        net.advance(1_000_000L);
        assertThat(replies[0]).isEqualTo(1);
        SimSocket l = SimSocket.tcp6(a, 8192);
        assertThat(l.pcb.bind(sa("::1", 9))).isZero();
        assertThat(l.pcb.listen(1)).isZero();
        SimSocket c = SimSocket.tcp6(a, 8192);
        assertThat(c.pcb.connect(sa("::1", 9))).isZero();
        net.advance(10_000_000L);
        assertThat(c.connected).isTrue();
        assertThat(c.pcb.sockaddr().toString()).startsWith("[::1]:");
    }

    @Test
    void dualStack_v4PeerOfV6Listener_isV4Mapped_unlessV6only_rfc3493() {
        SimNet net = new SimNet(3);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link(a, NetsimTest.A, b, NetsimTest.B, 24);
        SimSocket l = SimSocket.tcp6(b, 8192);
        assertThat(l.pcb.bind(sa("::", 80))).isZero();
        assertThat(l.pcb.listen(4)).isZero();
        SimSocket c = SimSocket.tcp(a, 8192);
        assertThat(c.pcb.connect(new SockaddrIn(NetsimTest.B, 80))).isZero();
        net.advance(100_000_000L);
        SimSocket s = l.accept();
        assertThat(s).isNotNull();
        assertThat(s.pcb.peeraddr()).isEqualTo(SockaddrIn6.mapped(NetsimTest.A, ((SockaddrIn) c.pcb.sockaddr()).port()));
        assertThat(((SockaddrIn6) s.pcb.sockaddr()).address()).isEqualTo("::ffff:10.0.0.2");

        SimSocket only = SimSocket.tcp6(b, 8192);
        assertThat(only.pcb.setopt(Sys.IPPROTO_IPV6, Sys.IPV6_V6ONLY, intOpt(1))).isZero();
        assertThat(only.pcb.bind(sa("::", 81))).isZero();
        assertThat(only.pcb.listen(4)).isZero();
        SimSocket c2 = SimSocket.tcp(a, 8192);
        assertThat(c2.pcb.connect(new SockaddrIn(NetsimTest.B, 81))).isZero();
        net.advance(100_000_000L);
        assertThat(c2.error).as("a v6-only listener takes no IPv4 connection").isEqualTo(Errno.ECONNREFUSED.number());
        assertThat(only.accept()).isNull();
        // and a v6-only socket refuses a v4-mapped address outright
        SimSocket c3 = SimSocket.tcp6(a, 8192);
        assertThat(c3.pcb.setopt(Sys.IPPROTO_IPV6, Sys.IPV6_V6ONLY, intOpt(1))).isZero();
        assertThat(c3.pcb.connect(SockaddrIn6.mapped(NetsimTest.B, 80))).isEqualTo(Errno.EAFNOSUPPORT.number());
        // a PF_INET6 client reaches an IPv4 server through a mapped address
        SimSocket c4 = SimSocket.tcp6(a, 8192);
        assertThat(c4.pcb.connect(SockaddrIn6.mapped(NetsimTest.B, 80))).isZero();
        net.advance(100_000_000L);
        assertThat(c4.connected).isTrue();
        assertThat(c4.pcb.peeraddr()).isEqualTo(SockaddrIn6.mapped(NetsimTest.B, 80));
    }

    @Test
    void synCookies_answerIpv6Peers_andTheConnectionCarriesData_rfc4987() {
        SimNet net = new SimNet(8);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link6(a, A6, b, B6, 64);
        net.advance(DAD_WAIT);
        b.tcp().tunables().synCacheListenerLimit = 0; // every SYN answered by cookie
        SimSocket l = SimSocket.tcp6(b, 64 * 1024);
        assertThat(l.pcb.bind(sa("::", 80))).isZero();
        assertThat(l.pcb.listen(4)).isZero();
        SimSocket c = SimSocket.tcp6(a, 64 * 1024);
        assertThat(c.pcb.connect(sa(B6, 80))).isZero();
        net.advance(100_000_000L);
        assertThat(c.connected).isTrue();
        assertThat(b.tcp().synCacheStats().cookiesSent()).isEqualTo(1);
        assertThat(b.tcp().synCacheStats().cookiesReceived()).isEqualTo(1);
        SimSocket s = l.accept();
        assertThat(s).isNotNull();
        byte[] data = new byte[100_000];
        new SplittableRandom(8).nextBytes(data);
        assertThat(c.pcb.send(Mbuf.wrap(data.clone()), null, 0)).isZero();
        ByteBuffer got = ByteBuffer.allocate(data.length);
        net.runUntil(() -> !got.hasRemaining(), () -> {
            if (s.rcv.cc() > 0) {
                s.rcv.read(got, Math.min(s.rcv.cc(), got.remaining()), false);
                s.pcb.rcvd();
            }
        }, 10_000_000_000L);
        assertThat(got.array()).isEqualTo(data);
        // TCP's acknowledgements keep the neighbour REACHABLE (RFC 4861 7.3.1)
        assertThat(a.nd6().neighborState(a.interfaces().get(1), IpAddr.parse6(B6))).isEqualTo(Nd6.State.REACHABLE);
    }

    static ByteBuffer intOpt(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v);
    }

    @Test
    void udpOverIpv6_largeDatagramIsFragmentedAndReassembled_rfc8200_4_5() {
        SimNet net = new SimNet(4);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link6(a, A6, b, B6, 64);
        net.advance(DAD_WAIT);
        SimSocket rx = SimSocket.udp6(b, 256 * 1024);
        assertThat(rx.pcb.bind(sa("::", 5000))).isZero();
        SimSocket tx = SimSocket.udp6(a, 256 * 1024);
        byte[] data = new byte[20000];
        new SplittableRandom(4).nextBytes(data);
        net.capture = true;
        assertThat(tx.pcb.send(Mbuf.wrap(data.clone()), sa(B6, 5000), 0)).isZero();
        net.advance(100_000_000L);
        assertThat(rx.rcv.cc()).isEqualTo(data.length);
        var d = rx.rcv.takeDatagram();
        assertThat(d.length()).isEqualTo(data.length);
        assertThat(d.from()).isEqualTo(((SockaddrIn6) tx.pcb.sockaddr()).port() > 0
                ? new SockaddrIn6(IpAddr.parse6(A6).hi(), IpAddr.parse6(A6).lo(), ((SockaddrIn6) tx.pcb.sockaddr()).port()) : null);
        assertThat(Mbuf.toArray(d.data())).isEqualTo(data);
        long fragments = net.captured.stream().filter(f -> f.bytes().length > 20 && (f.bytes()[20] & 0xff) == Sys.IPPROTO_FRAGMENT).count();
        assertThat(fragments).as("20000 bytes over a 1500-byte MTU").isEqualTo(14);
        assertThat(net.captured).allSatisfy(f -> assertThat(f.bytes().length).isLessThanOrEqualTo(1514));
        assertThat(b.ip6().frag6().queueCount()).isZero();
        assertThat(b.ip6().frag6().heldBytes()).isZero();
    }

    @Test
    void udpToClosedPort_icmp6PortUnreachable_isEconnrefused_rfc4443_3_1() {
        SimNet net = new SimNet(5);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link6(a, A6, b, B6, 64);
        net.advance(DAD_WAIT);
        SimSocket tx = SimSocket.udp6(a, 8192);
        assertThat(tx.pcb.connect(sa(B6, 9999))).isZero();
        assertThat(tx.pcb.send(Mbuf.wrap(new byte[10]), null, 0)).isZero();
        net.advance(100_000_000L);
        assertThat(tx.error).isEqualTo(Errno.ECONNREFUSED.number());
        assertThat(b.icmp6().errorsSent).isEqualTo(1);
    }

    @Test
    void icmp6Errors_areRateLimited_rfc4443_2_4f() {
        SimNet net = new SimNet(6);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link6(a, A6, b, B6, 64);
        net.advance(DAD_WAIT);
        SimSocket tx = SimSocket.udp6(a, 1 << 20);
        assertThat(a.icmp6().echo(IpAddr.parse6(B6), 1, 1, new byte[4])).isZero(); // resolve the neighbours first
        net.advance(100_000_000L);
        for (int i = 0; i < 500; i++) assertThat(tx.pcb.send(Mbuf.wrap(new byte[4]), sa(B6, 9999), 0)).isZero();
        net.advance(100_000_000L);
        assertThat(b.icmp6().errorsSent).as("a burst of at most the bucket").isEqualTo(100);
        assertThat(b.icmp6().errorsRateLimited).isEqualTo(400);
        net.advance(1_000_000_000L);
        for (int i = 0; i < 50; i++) assertThat(tx.pcb.send(Mbuf.wrap(new byte[4]), sa(B6, 9999), 0)).isZero();
        net.advance(100_000_000L);
        assertThat(b.icmp6().errorsSent).as("refilled after a second").isEqualTo(150);
    }

}
