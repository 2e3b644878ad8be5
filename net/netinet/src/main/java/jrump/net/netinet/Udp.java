package jrump.net.netinet;

import java.util.ArrayList;
import java.util.List;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.net.netinet.wire.UdpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/** UDP (RFC 768, RFC 1122 4.1): its control blocks, input demultiplexing and output. */
final class Udp {
    private final Inet inet;
    final List<UdpPcb> pcbs = new ArrayList<>();
    long received;
    long badChecksum;
    long noPort;
    long fullSocket;

    Udp(Inet inet) {
        this.inet = inet;
    }

    Inet inet() {
        return inet;
    }

    boolean portInUse(int port, IpAddr addr, boolean reuse) {
        for (UdpPcb p : pcbs) {
            if (p.lport == port && (p.laddr.isAny() || addr.isAny() || p.laddr.equals(addr)) && !(reuse && p.reuse())) return true;
        }
        return false;
    }

    /** udp_input from IPv4. */
    void input(Mbuf m, int hlen) {
        m = Mbuf.pullup(m, hlen);
        if (m == null) return;
        input(m, hlen, IpAddr.v4(m.i32(Ipv4Header.SRC)), IpAddr.v4(m.i32(Ipv4Header.DST)));
    }

    private boolean broadcast(IpAddr dst) {
        return dst.isV4() ? inet.isBroadcast(dst.v4()) : dst.isMulticast();
    }

    /** udp_input / udp6_input: the datagram at {@code hlen} of {@code m} (its IP header in front). */
    void input(Mbuf m, int hlen, IpAddr src, IpAddr dst) {
        received++;
        m = Mbuf.pullup(m, hlen + UdpHeader.LEN);
        if (m == null) return;
        int sport = m.u16(hlen + UdpHeader.SRC_PORT);
        int dport = m.u16(hlen + UdpHeader.DST_PORT);
        int ulen = m.u16(hlen + UdpHeader.LENGTH);
        int avail = Mbuf.length(m) - hlen;
        if (ulen < UdpHeader.LEN || ulen > avail) return;
        if (m.u16(hlen + UdpHeader.CKSUM) == 0 && !src.isV4()) return; // RFC 8200 8.1: mandatory over IPv6
        if (m.u16(hlen + UdpHeader.CKSUM) != 0) {
            long sum = InPorts.pseudoSum(src, dst, Sys.IPPROTO_UDP, ulen);
            if (InCksum.fold(InCksum.add(sum, m, hlen, ulen)) != 0) {
                badChecksum++;
                return;
            }
        }
        UdpPcb best = null;
        int bestScore = -1;
        for (UdpPcb p : pcbs) {
            if (p.lport != dport) continue;
            if (!p.accepts(dst)) continue;
            if (!p.laddr.isAny() && !p.laddr.equals(dst) && !broadcast(dst)) continue;
            if (p.fport != 0 && (!p.faddr.equals(src) || p.fport != sport)) continue;
            int score = (!p.laddr.isAny() ? 1 : 0) + (p.fport != 0 ? 2 : 0);
            if (score > bestScore) {
                best = p;
                bestScore = score;
            }
        }
        if (best == null) {
            noPort++;
            if (!broadcast(dst)) {
                if (src.isV4()) inet.icmp().error(m, IcmpHeader.UNREACH, IcmpHeader.UNREACH_PORT, 0);
                else inet.icmp6().error(m, Icmp6Header.DST_UNREACH, Icmp6Header.UNREACH_PORT, 0);
            }
            return;
        }
        Mbuf data = Mbuf.reference(m, hlen + UdpHeader.LEN, ulen - UdpHeader.LEN);
        if (!best.deliver(src.sockaddr(best.v6, sport), data, ulen - UdpHeader.LEN)) fullSocket++;
    }

    int output(UdpPcb p, Mbuf data, IpAddr dst, int dport) {
        int len = Mbuf.length(data) + UdpHeader.LEN;
        if (len > Ipv4Header.MAX_PACKET - Ipv4Header.MIN_LEN) return Errno.EMSGSIZE.number();
        IpAddr src = !p.laddr.isAny() ? p.laddr : inet.sourceAddress(dst);
        if (src.isAny() && !(dst.isV4() && dst.v4() == -1)) return Errno.EHOSTUNREACH.number();
        Mbuf m = Mbufs.prepend(data, UdpHeader.LEN);
        m.put16(UdpHeader.SRC_PORT, p.lport);
        m.put16(UdpHeader.DST_PORT, dport);
        m.put16(UdpHeader.LENGTH, len);
        m.put16(UdpHeader.CKSUM, 0);
        int ck = InCksum.fold(InCksum.add(InPorts.pseudoSum(src, dst, Sys.IPPROTO_UDP, len), m, 0, len));
        m.put16(UdpHeader.CKSUM, ck == 0 ? 0xffff : ck); // RFC 768: a computed zero is sent as all ones
        if (dst.isV4()) return inet.ip().output(m, src.v4(), dst.v4(), Sys.IPPROTO_UDP, p.ttl, p.tos, false);
        return inet.output(m, src, dst, Sys.IPPROTO_UDP, p.hops >= 0 ? p.hops : inet.tunables().hopLimit, p.tclass);
    }

    /** An ICMP error about a datagram we sent: a connected socket learns ECONNREFUSED (RFC 1122 4.1.3.3). */
    void ctlinput(int type, int code, Mbuf inner, int ihl) {
        if (type != IcmpHeader.UNREACH || code != IcmpHeader.UNREACH_PORT) return;
        refused(IpAddr.v4(inner.i32(Ipv4Header.DST)), inner.u16(ihl + UdpHeader.SRC_PORT), inner.u16(ihl + UdpHeader.DST_PORT));
    }

    /** Port unreachable (ICMP or ICMPv6) for a datagram we sent from {@code sport} to {@code dst:dport}. */
    void refused(IpAddr dst, int sport, int dport) {
        for (UdpPcb p : pcbs) {
            if (p.lport == sport && p.fport == dport && p.faddr.equals(dst)) p.so.setError(Errno.ECONNREFUSED.number());
        }
    }
}
