package jrump.net.netinet;

import java.util.ArrayList;
import java.util.List;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.net.netinet.wire.UdpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.SockaddrIn;
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

    boolean portInUse(int port, int addr, boolean reuse) {
        for (UdpPcb p : pcbs) {
            if (p.lport == port && (p.laddr == 0 || addr == 0 || p.laddr == addr) && !(reuse && p.reuse())) return true;
        }
        return false;
    }

    void input(Mbuf m, int hlen) {
        received++;
        m = Mbuf.pullup(m, hlen + UdpHeader.LEN);
        if (m == null) return;
        int src = m.i32(Ipv4Header.SRC);
        int dst = m.i32(Ipv4Header.DST);
        int sport = m.u16(hlen + UdpHeader.SRC_PORT);
        int dport = m.u16(hlen + UdpHeader.DST_PORT);
        int ulen = m.u16(hlen + UdpHeader.LENGTH);
        int avail = Mbuf.length(m) - hlen;
        if (ulen < UdpHeader.LEN || ulen > avail) return;
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
            if (p.laddr != 0 && p.laddr != dst && !inet.isBroadcast(dst)) continue;
            if (p.fport != 0 && (p.faddr != src || p.fport != sport)) continue;
            int score = (p.laddr != 0 ? 1 : 0) + (p.fport != 0 ? 2 : 0);
            if (score > bestScore) {
                best = p;
                bestScore = score;
            }
        }
        if (best == null) {
            noPort++;
            if (!inet.isBroadcast(dst)) inet.icmp().error(m, IcmpHeader.UNREACH, IcmpHeader.UNREACH_PORT, 0);
            return;
        }
        Mbuf data = Mbuf.reference(m, hlen + UdpHeader.LEN, ulen - UdpHeader.LEN);
        if (!best.deliver(new SockaddrIn(src, sport), data, ulen - UdpHeader.LEN)) fullSocket++;
    }

    int output(UdpPcb p, Mbuf data, int dst, int dport) {
        int len = Mbuf.length(data) + UdpHeader.LEN;
        if (len > Ipv4Header.MAX_PACKET - Ipv4Header.MIN_LEN) return Errno.EMSGSIZE.number();
        int src = p.laddr != 0 ? p.laddr : inet.ip().sourceFor(dst);
        if (src == 0 && dst != -1) return Errno.EHOSTUNREACH.number();
        Mbuf m = Mbufs.prepend(data, UdpHeader.LEN);
        m.put16(UdpHeader.SRC_PORT, p.lport);
        m.put16(UdpHeader.DST_PORT, dport);
        m.put16(UdpHeader.LENGTH, len);
        m.put16(UdpHeader.CKSUM, 0);
        int ck = InCksum.fold(InCksum.add(InPorts.pseudoSum(src, dst, Sys.IPPROTO_UDP, len), m, 0, len));
        m.put16(UdpHeader.CKSUM, ck == 0 ? 0xffff : ck); // RFC 768: a computed zero is sent as all ones
        return inet.ip().output(m, src, dst, Sys.IPPROTO_UDP, p.ttl, p.tos, false);
    }

    /** An ICMP error about a datagram we sent: a connected socket learns ECONNREFUSED (RFC 1122 4.1.3.3). */
    void ctlinput(int type, int code, Mbuf inner, int ihl) {
        if (type != IcmpHeader.UNREACH || code != IcmpHeader.UNREACH_PORT) return;
        int dst = inner.i32(Ipv4Header.DST);
        int sport = inner.u16(ihl + UdpHeader.SRC_PORT);
        int dport = inner.u16(ihl + UdpHeader.DST_PORT);
        for (UdpPcb p : pcbs) {
            if (p.lport == sport && p.fport == dport && p.faddr == dst) p.so.setError(Errno.ECONNREFUSED.number());
        }
    }
}
