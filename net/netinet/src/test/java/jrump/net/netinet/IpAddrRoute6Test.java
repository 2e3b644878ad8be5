package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.LoopbackIf;

/** Addresses of both versions (RFC 4291) and the IPv6 routing table's longest prefix match. */
class IpAddrRoute6Test {
    static IpAddr a(String s) {
        return IpAddr.parse6(s);
    }

    @Test
    void solicitedNodeAndItsEthernetGroup_rfc4291_2_7_1_rfc2464_7() {
        // RFC 4291 2.7.1's example: 4037::01:800:200E:8C6C -> FF02::1:FF0E:8C6C
        assertThat(a("4037::01:800:200E:8C6C").solicitedNode()).isEqualTo(a("ff02::1:ff0e:8c6c"));
        assertThat(a("ff02::1:ff0e:8c6c").multicastMac()).containsExactly(0x33, 0x33, 0xff, 0x0e, 0x8c, 0x6c);
        assertThat(IpAddr.ALL_NODES.multicastMac()).containsExactly(0x33, 0x33, 0, 0, 0, 1);
    }

    @Test
    void kinds_andV4Mapping_rfc4291_2_5() {
        assertThat(a("fe80::1").isLinkLocal()).isTrue();
        assertThat(a("febf::1").isLinkLocal()).isTrue();
        assertThat(a("fec0::1").isLinkLocal()).isFalse();
        assertThat(a("ff02::1").isMulticast()).isTrue();
        assertThat(a("::1").isLoopback6()).isTrue();
        IpAddr m = IpAddr.v4(SockaddrIn.parse("192.0.2.1"));
        assertThat(m).isEqualTo(a("::ffff:192.0.2.1"));
        assertThat(m.isV4()).isTrue();
        assertThat(m.toString()).isEqualTo("192.0.2.1");
        assertThat(IpAddr.v4(0)).isEqualTo(IpAddr.ANY);
        assertThat(IpAddr.of(SockaddrIn6.of("::ffff:0.0.0.0", 1))).isEqualTo(IpAddr.ANY);
        assertThat(m.sockaddr(true, 80)).isEqualTo(SockaddrIn6.mapped(SockaddrIn.parse("192.0.2.1"), 80));
        assertThat(m.sockaddr(false, 80)).isEqualTo(SockaddrIn.of("192.0.2.1", 80));
    }

    @Test
    void prefixes() {
        IpAddr x = a("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
        assertThat(x.prefix(0)).isEqualTo(IpAddr.ANY);
        assertThat(x.prefix(32)).isEqualTo(a("2001:db8::"));
        assertThat(x.prefix(64)).isEqualTo(a("2001:db8:aaaa:bbbb::"));
        assertThat(x.prefix(72)).isEqualTo(a("2001:db8:aaaa:bbbb:cc00::"));
        assertThat(x.prefix(127)).isEqualTo(a("2001:db8:aaaa:bbbb:cccc:dddd:eeee:fffe"));
        assertThat(x.prefix(128)).isEqualTo(x);
        assertThat(x.commonPrefix(a("2001:db8:aaaa:bbbb:4000::"))).isEqualTo(64);
        assertThat(x.commonPrefix(a("2001:db8:aaaa:bbbb:8000::"))).isEqualTo(65);
        assertThat(x.commonPrefix(a("2001:db9::"))).isEqualTo(31);
        assertThat(x.commonPrefix(x)).isEqualTo(128);
    }

    @Test
    void longestPrefixMatch_andExpiry() {
        Route6 t = new Route6();
        Ifnet i1 = new LoopbackIf("t1");
        Ifnet i2 = new LoopbackIf("t2");
        t.add(new Route6.Entry(IpAddr.ANY, 0, a("fe80::1"), i1, 0, Long.MAX_VALUE));
        t.add(new Route6.Entry(a("2001:db8::"), 32, null, i1, 0, Long.MAX_VALUE));
        t.add(new Route6.Entry(a("2001:db8:1::"), 48, a("fe80::2"), i2, 1400, Long.MAX_VALUE));
        t.add(new Route6.Entry(a("2001:db8:1:2::"), 64, null, i2, 0, 1000));
        assertThat(t.lookup(a("2001:db8:1:2::5"), 0).prefixLen()).isEqualTo(64);
        assertThat(t.lookup(a("2001:db8:1:2::5"), 1000).prefixLen()).as("expired").isEqualTo(48);
        assertThat(t.lookup(a("2001:db8:1:3::5"), 0).nextHop(a("2001:db8:1:3::5"))).isEqualTo(a("fe80::2"));
        assertThat(t.lookup(a("2001:db8:1:3::5"), 0).effectiveMtu()).isEqualTo(1400);
        assertThat(t.lookup(a("2001:db8:9::1"), 0).prefixLen()).isEqualTo(32);
        assertThat(t.lookup(a("2001:db9::1"), 0).gateway()).isEqualTo(a("fe80::1"));
        t.remove(IpAddr.ANY, 0, a("fe80::1"), i1);
        assertThat(t.lookup(a("2001:db9::1"), 0)).isNull();
        t.deleteInterface(i2);
        assertThat(t.lookup(a("2001:db8:1:3::5"), 0).prefixLen()).isEqualTo(32);
    }
}
