package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * Neighbor Discovery (RFC 4861) and address autoconfiguration (RFC 4862) between two stacks on the virtual
 * clock: duplicate address detection, router advertisements giving a prefix, an address and a default
 * route, the neighbour cache's NUD states, and a neighbour that never answers.
 */
class Nd6Test {
    static final IpAddr LL_A = IpAddr.parse6("fe80::ff:fe00:1");
    static final IpAddr LL_B = IpAddr.parse6("fe80::ff:fe00:2");
    static final byte[] MAC_B = SimNet.mac(1);

    @Test
    void dad_secondNodeWithTheSameAddress_findsItDuplicate_rfc4862_5_4() {
        SimNet net = new SimNet(11);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, "fd00::5", b, null, 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(a.isLocalAddress(IpAddr.parse6("fd00::5"))).isTrue();
        assertThat(b.addAddress6(ifs[1], IpAddr.parse6("fd00::5"), 64)).isZero();
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(state(b, "fd00::5")).isEqualTo(In6Ifaddr.State.DUPLICATE);
        assertThat(b.nd6().duplicatesDetected).isEqualTo(1);
        assertThat(b.isLocalAddress(IpAddr.parse6("fd00::5"))).as("a duplicate is never used").isFalse();
        assertThat(state(a, "fd00::5")).as("the first owner keeps it").isEqualTo(In6Ifaddr.State.PREFERRED);
        assertThat(a.nd6().duplicatesDetected).isZero();
        // a unique address on the same link passes
        assertThat(b.addAddress6(ifs[1], IpAddr.parse6("fd00::6"), 64)).isZero();
        assertThat(state(b, "fd00::6")).isEqualTo(In6Ifaddr.State.TENTATIVE);
        assertThat(b.isLocalAddress(IpAddr.parse6("fd00::6"))).as("tentative is not usable (RFC 4862 5.4)").isFalse();
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(state(b, "fd00::6")).isEqualTo(In6Ifaddr.State.PREFERRED);
    }

    static In6Ifaddr.State state(Inet s, String addr) {
        return s.addresses6().stream().filter(ia -> ia.addr().equals(IpAddr.parse6(addr))).findFirst().orElseThrow().state();
    }

    /** A router advertisement from B's link-local address (RFC 4861 4.2) with SLLA, MTU and one prefix. */
    static byte[] routerAdvertisement(int lifetime, String prefix, long valid, long preferred, int mtu) {
        byte[] ra = new byte[16 + 8 + 8 + 32];
        Mbuf m = Mbuf.wrap(ra);
        m.put8(0, 134);
        m.put8(4, 64);
        m.put16(6, lifetime);
        m.put8(16, 1);
        m.put8(17, 1);
        System.arraycopy(MAC_B, 0, ra, 18, 6);
        m.put8(24, 5);
        m.put8(25, 1);
        m.put32(28, mtu);
        m.put8(32, 3);
        m.put8(33, 4);
        m.put8(34, 64);
        m.put8(35, 0xc0); // L and A
        m.put32(36, (int) valid);
        m.put32(40, (int) preferred);
        IpAddr.parse6(prefix).write(m, 48);
        Frames6.icmp6(LL_B, IpAddr.ALL_NODES, ra);
        return Frames6.ether(IpAddr.ALL_NODES.multicastMac(), MAC_B, Frames6.ip6(LL_B, IpAddr.ALL_NODES, 58, 255, ra));
    }

    @Test
    void routerAdvertisement_givesPrefixAddressDefaultRouteAndMtu_rfc4861_6_3_4_rfc4862_5_5_3() {
        SimNet net = new SimNet(12);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, null, b, "2001:db8:1::1", 64);
        b.addAddress6(ifs[1], IpAddr.parse6("2001:db8:99::1"), 64);
        net.capture = true;
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(a.nd6().routerSolicitationsSent).as("RFC 4861 6.3.7: a host solicits routers").isGreaterThanOrEqualTo(1);
        assertThat(net.captured).anySatisfy(f -> {
            assertThat(f.from()).isEqualTo("sim0");
            assertThat(f.bytes()[54] & 0xff).isEqualTo(133);
            assertThat(java.util.Arrays.copyOf(f.bytes(), 6)).isEqualTo(IpAddr.ALL_ROUTERS.multicastMac());
        });
        IpAddr offLink = IpAddr.parse6("2001:db8:99::1");
        assertThat(a.icmp6().echo(offLink, 1, 1, new byte[8])).as("no route before the RA").isEqualTo(Errno.EHOSTUNREACH.number());

        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(1800, "2001:db8:1::", 86400, 14400, 1400)));
        IpAddr slaac = IpAddr.parse6("2001:db8:1::ff:fe00:1");
        assertThat(state(a, "2001:db8:1::ff:fe00:1")).isEqualTo(In6Ifaddr.State.TENTATIVE);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(a.addresses6()).anySatisfy(ia -> {
            assertThat(ia.addr()).isEqualTo(slaac);
            assertThat(ia.autoconf()).isTrue();
            assertThat(ia.state()).isEqualTo(In6Ifaddr.State.PREFERRED);
        });
        assertThat(a.routes6Text()).contains("::/0 fe80::ff:fe00:2 sim0", "2001:db8:1::/64 link sim0");
        assertThat(a.pathMtu(offLink)).as("the RA's MTU option").isEqualTo(1400);
        assertThat(a.sourceAddress(offLink)).as("a global source for a global destination (RFC 6724)").isEqualTo(slaac);
        int[] replies = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, hops) -> {
            assertThat(from).isEqualTo(offLink);
            replies[0]++;
        });
        assertThat(a.icmp6().echo(offLink, 1, 2, new byte[8])).isZero();
        net.advance(100_000_000L);
        assertThat(replies[0]).as("through the default router").isEqualTo(1);

        // a router lifetime of 0 removes the default router (RFC 4861 6.3.4)
        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(0, "2001:db8:1::", 86400, 14400, 1400)));
        assertThat(a.routes6Text()).noneMatch(r -> r.startsWith("::/0"));
        assertThat(a.icmp6().echo(offLink, 1, 3, new byte[8])).isEqualTo(Errno.EHOSTUNREACH.number());
    }

    @Test
    void slaacAddress_deprecatedThenRemoved_byItsLifetimes_rfc4862_5_5_4() {
        SimNet net = new SimNet(13);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, null, b, null, 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(600, "2001:db8:2::", 30, 20, 1500)));
        net.advance(Inet6NetsimTest.DAD_WAIT);
        assertThat(state(a, "2001:db8:2::ff:fe00:1")).isEqualTo(In6Ifaddr.State.PREFERRED);
        net.advance(20_000_000_000L);
        assertThat(state(a, "2001:db8:2::ff:fe00:1")).isEqualTo(In6Ifaddr.State.DEPRECATED);
        assertThat(a.isLocalAddress(IpAddr.parse6("2001:db8:2::ff:fe00:1"))).as("deprecated still receives").isTrue();
        net.advance(10_000_000_000L);
        assertThat(a.addresses6()).noneMatch(ia -> ia.addr().equals(IpAddr.parse6("2001:db8:2::ff:fe00:1")));
        // RFC 4862 5.5.3 (e): an RA cannot shorten a long lifetime below two hours
        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(600, "2001:db8:3::", 0xffffffffL, 0xffffffffL, 1500)));
        net.advance(Inet6NetsimTest.DAD_WAIT);
        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(600, "2001:db8:3::", 10, 5, 1500)));
        net.advance(60_000_000_000L);
        assertThat(a.isLocalAddress(IpAddr.parse6("2001:db8:3::ff:fe00:1"))).isTrue();
    }

    @Test
    void stableAddresses_opaqueIdentifier_andAnotherAfterACollision_rfc7217() {
        SimNet net = new SimNet(17);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, null, b, null, 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        a.tunables().stableAddresses = true;
        IpAddr prefix = IpAddr.parse6("2001:db8:5::");
        long iid0 = a.nd6().stableIid(prefix, ifs[0], 0);
        assertThat(a.nd6().stableIid(prefix, ifs[0], 0)).as("stable").isEqualTo(iid0);
        assertThat(a.nd6().stableIid(IpAddr.parse6("2001:db8:6::"), ifs[0], 0)).as("another prefix, another id").isNotEqualTo(iid0);
        assertThat(iid0).as("not the MAC's EUI-64").isNotEqualTo(Nd6.eui64(ifs[0].lladdr()));
        // B already holds the first identifier: A's DAD fails and it forms the next (section 6)
        IpAddr first = new IpAddr(prefix.hi(), iid0);
        assertThat(b.addAddress6(ifs[1], first, 64)).isZero();
        net.advance(Inet6NetsimTest.DAD_WAIT);
        ifs[0].deliver(Mbuf.wrap(routerAdvertisement(600, "2001:db8:5::", 86400, 14400, 1500)));
        net.advance(2 * Inet6NetsimTest.DAD_WAIT);
        IpAddr second = new IpAddr(prefix.hi(), a.nd6().stableIid(prefix, ifs[0], 1));
        assertThat(state(a, first.toString())).isEqualTo(In6Ifaddr.State.DUPLICATE);
        assertThat(state(a, second.toString())).isEqualTo(In6Ifaddr.State.PREFERRED);
        assertThat(a.isLocalAddress(second)).isTrue();
        assertThat(state(b, first.toString())).isEqualTo(In6Ifaddr.State.PREFERRED);
    }

    @Test
    void mldQuery_answeredWithAReportOfTheSolicitedNodeGroups_rfc3810_6_2() {
        SimNet net = new SimNet(18);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, "fd00::5", b, null, 64);
        net.capture = true;
        net.advance(Inet6NetsimTest.DAD_WAIT);
        long unsolicited = a.mld6().reportsSent;
        assertThat(unsolicited).as("two solicited-node groups (ff02::1:ff00:1, ff02::1:ff00:5), each reported twice (RFC 3810 6.1)")
                .isEqualTo(4);
        net.captured.clear();
        for (int hops : new int[] {64, 1}) {
            byte[] q = new byte[28];
            Mbuf m = Mbuf.wrap(q);
            m.put8(0, 130);
            m.put16(4, 1000); // Maximum Response Code: 1000 ms
            Frames6.icmp6(LL_B, IpAddr.ALL_NODES, q);
            ifs[0].deliver(Mbuf.wrap(Frames6.ether(IpAddr.ALL_NODES.multicastMac(), MAC_B, Frames6.ip6(LL_B, IpAddr.ALL_NODES, 58, hops, q))));
        }
        assertThat(a.mld6().queriesReceived).as("hop limit 64 ignored").isEqualTo(1);
        net.advance(1_100_000_000L);
        assertThat(a.mld6().reportsSent).isEqualTo(unsolicited + 1);
        byte[] report = net.captured.stream().filter(f -> f.from().equals("sim0") && (f.bytes()[62] & 0xff) == 143)
                .findFirst().orElseThrow().bytes();
        java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(report);
        assertThat(r.get(20)).as("hop-by-hop header first").isEqualTo((byte) 0);
        assertThat(r.get(21) & 0xff).as("hop limit 1").isEqualTo(1);
        assertThat(r.getShort(68)).as("records").isEqualTo((short) 2);
        java.util.Set<IpAddr> groups = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            assertThat(r.get(70 + 20 * i)).as("MODE_IS_EXCLUDE").isEqualTo((byte) 2);
            groups.add(IpAddr.read(Mbuf.wrap(report), 74 + 20 * i));
        }
        assertThat(groups).containsExactlyInAnyOrder(IpAddr.parse6("fd00::5").solicitedNode(), LL_A.solicitedNode());
    }

    @Test
    void neighbourCache_goesThroughNudStates_rfc4861_7_3() {
        SimNet net = new SimNet(14);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, "fd00::1", b, "fd00::2", 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        IpAddr nb = IpAddr.parse6("fd00::2");
        assertThat(a.icmp6().echo(nb, 1, 1, new byte[8])).isZero();
        assertThat(a.nd6().neighborState(ifs[0], nb)).isEqualTo(Nd6.State.INCOMPLETE);
        net.advance(50_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nb)).as("a solicited advertisement").isEqualTo(Nd6.State.REACHABLE);
        assertThat(a.nd6().neighborMac(ifs[0], nb)).isEqualTo(MAC_B);
        net.advance(50_000_000_000L); // beyond 1.5 x REACHABLE_TIME
        assertThat(a.nd6().neighborState(ifs[0], nb)).isEqualTo(Nd6.State.STALE);
        long ns = a.nd6().solicitationsSent;
        assertThat(a.icmp6().echo(nb, 1, 2, new byte[8])).isZero();
        assertThat(a.nd6().neighborState(ifs[0], nb)).isEqualTo(Nd6.State.DELAY);
        net.advance(4_900_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nb)).as("DELAY_FIRST_PROBE_TIME").isEqualTo(Nd6.State.DELAY);
        assertThat(a.nd6().solicitationsSent).isEqualTo(ns);
        net.advance(200_000_000L);
        assertThat(a.nd6().solicitationsSent).as("one unicast probe").isEqualTo(ns + 1);
        assertThat(a.nd6().neighborState(ifs[0], nb)).isEqualTo(Nd6.State.REACHABLE);

        // the neighbour goes silent: STALE, DELAY, PROBE three times, then the entry is gone
        ifs[1].faults.loss = 1.0;
        net.advance(50_000_000_000L);
        assertThat(a.icmp6().echo(nb, 1, 3, new byte[8])).isZero();
        net.advance(5_100_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nb)).isEqualTo(Nd6.State.PROBE);
        net.advance(3_000_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nb)).isNull();
        assertThat(a.nd6().solicitationsSent).isEqualTo(ns + 1 + 3);
    }

    @Test
    void unansweredResolution_dropsHeldPackets_withAddressUnreachable_rfc4861_7_2_2() {
        SimNet net = new SimNet(15);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, "fd00::1", b, "fd00::2", 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        IpAddr nobody = IpAddr.parse6("fd00::77");
        long ns = a.nd6().solicitationsSent;
        for (int i = 0; i < 3; i++) assertThat(a.icmp6().echo(nobody, 1, i, new byte[8])).isZero();
        assertThat(a.nd6().neighborState(ifs[0], nobody)).isEqualTo(Nd6.State.INCOMPLETE);
        net.advance(2_500_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nobody)).isEqualTo(Nd6.State.INCOMPLETE);
        net.advance(1_000_000_000L);
        assertThat(a.nd6().neighborState(ifs[0], nobody)).isNull();
        assertThat(a.nd6().solicitationsSent - ns).as("MAX_MULTICAST_SOLICIT").isEqualTo(3);
        assertThat(a.icmp6().errorsSent).as("one address unreachable per held packet").isEqualTo(3);
    }

    @Test
    void neighbourSolicitation_notFromTheLink_isIgnored_rfc4861_7_1_1() {
        SimNet net = new SimNet(16);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link6(a, "fd00::1", b, null, 64);
        net.advance(Inet6NetsimTest.DAD_WAIT);
        IpAddr target = IpAddr.parse6("fd00::1");
        long na = a.nd6().advertisementsSent;
        for (int hops : new int[] {64, 255}) {
            byte[] ns = new byte[32];
            Mbuf m = Mbuf.wrap(ns);
            m.put8(0, 135);
            target.write(m, 8);
            m.put8(24, 1);
            m.put8(25, 1);
            System.arraycopy(MAC_B, 0, ns, 26, 6);
            Frames6.icmp6(LL_B, target.solicitedNode(), ns);
            ifs[0].deliver(Mbuf.wrap(Frames6.ether(target.solicitedNode().multicastMac(), MAC_B,
                    Frames6.ip6(LL_B, target.solicitedNode(), 58, hops, ns))));
        }
        assertThat(a.nd6().invalid).as("hop limit 64").isEqualTo(1);
        assertThat(a.nd6().advertisementsSent - na).as("the valid one answered").isEqualTo(1);
        // learnt from the SLLA as STALE (RFC 4861 7.2.3), then DELAY as the advertisement went to it (7.3.3)
        assertThat(a.nd6().neighborState(ifs[0], LL_B)).isEqualTo(Nd6.State.DELAY);
        assertThat(a.nd6().neighborMac(ifs[0], LL_B)).isEqualTo(MAC_B);
    }

    static List<SimNet.Frame> from(SimNet net, String ifname) {
        return net.captured.stream().filter(f -> f.from().equals(ifname)).toList();
    }
}
