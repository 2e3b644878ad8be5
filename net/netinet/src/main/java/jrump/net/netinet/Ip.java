package jrump.net.netinet;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Route;

/** IPv4 input, output and forwarding (RFC 791, RFC 1122 section 3, RFC 1812 section 5 for forwarding). */
final class Ip {
    private final Inet inet;
    private final IpReassembly reassembly;
    private int nextId;

    // counters (ipstat)
    long received;
    long badHeader;
    long delivered;
    long forwarded;
    long noRoute;
    long fragmentsSent;
    long cantFragment;

    Ip(Inet inet) {
        this.inet = inet;
        this.reassembly = new IpReassembly(inet);
        this.nextId = (int) inet.env().random();
    }

    IpReassembly reassembly() {
        return reassembly;
    }

    /** The source address a packet to {@code dst} gets (in_selectsrc), or 0 when there is no route. */
    int sourceFor(int dst) {
        if (inet.isLocal(dst)) return (dst >>> 24) == 127 ? 0x7f000001 : dst;
        Route r = inet.routes().lookup(dst);
        if (r == null) return 0;
        InIfaddr ia = inet.addressOf(r.ifp());
        return ia == null ? 0 : ia.addr();
    }

    /** The MTU of the path to {@code dst} as the routing table knows it (0: no route). */
    int mtuFor(int dst) {
        if (inet.isLocal(dst)) {
            Ifnet lo = loopback();
            return lo == null ? 0 : lo.mtu();
        }
        Route r = inet.routes().lookup(dst);
        return r == null ? 0 : r.effectiveMtu();
    }

    private Ifnet loopback() {
        for (Ifnet i : inet.interfaces()) {
            if (i.linkType() == Ifnet.LinkType.LOOPBACK && i.up()) return i;
        }
        return null;
    }

    /**
     * ip_output: prepends the header to {@code m} (a transport segment) and sends it, fragmenting when it
     * is larger than the path MTU and {@code df} is clear. Returns an errno (EHOSTUNREACH, EMSGSIZE).
     */
    int output(Mbuf m, int src, int dst, int proto, int ttl, int tos, boolean df) {
        Ifnet ifp;
        int nextHop;
        int mtu;
        if (inet.isLocal(dst)) {
            ifp = loopback();
            if (ifp == null) return Errno.EHOSTUNREACH.number();
            nextHop = dst;
            mtu = ifp.mtu();
        } else if (dst == -1) {
            InIfaddr ia = src == 0 ? null : addressWith(src);
            if (ia == null) return Errno.ENETUNREACH.number();
            ifp = ia.ifp();
            nextHop = dst;
            mtu = ifp.mtu();
        } else {
            Route r = inet.routes().lookup(dst);
            if (r == null) {
                noRoute++;
                return Errno.EHOSTUNREACH.number();
            }
            ifp = r.ifp();
            nextHop = r.nextHop(dst);
            mtu = r.effectiveMtu();
        }
        if (src == 0) src = sourceFor(dst);
        int len = Mbuf.length(m) + Ipv4Header.MIN_LEN;
        if (len > Ipv4Header.MAX_PACKET) return Errno.EMSGSIZE.number();
        int id = nextId++ & 0xffff;
        if (len <= mtu) {
            Mbuf p = Mbufs.prepend(m, Ipv4Header.MIN_LEN);
            writeHeader(p, len, id, df ? Ipv4Header.DF : 0, ttl, proto, tos, src, dst);
            inet.ifOutput(ifp, p, nextHop);
            return 0;
        }
        if (df) {
            cantFragment++;
            return Errno.EMSGSIZE.number();
        }
        return fragment(ifp, nextHop, mtu, m, id, ttl, proto, tos, src, dst, 0, false);
    }

    private InIfaddr addressWith(int a) {
        for (InIfaddr ia : inet.addresses()) {
            if (ia.addr() == a) return ia;
        }
        return null;
    }

    /**
     * ip_fragment (RFC 791 section 3.2, "an example fragmentation procedure"): pieces of a multiple of 8
     * bytes, each with its own header; the pieces reference the payload, nothing is copied.
     * {@code baseOffset} and {@code moreAfter} carry a fragment's own position when it is fragmented again.
     */
    private int fragment(Ifnet ifp, int nextHop, int mtu, Mbuf payload, int id, int ttl, int proto, int tos,
                         int src, int dst, int baseOffset, boolean moreAfter) {
        int total = Mbuf.length(payload);
        int per = (mtu - Ipv4Header.MIN_LEN) & ~7;
        if (per < 8) return Errno.EMSGSIZE.number();
        for (int off = 0; off < total; off += per) {
            int n = Math.min(per, total - off);
            boolean more = off + n < total || moreAfter;
            Mbuf piece = Mbufs.prepend(Mbuf.reference(payload, off, n), Ipv4Header.MIN_LEN);
            int frag = ((baseOffset + off) >>> 3) | (more ? Ipv4Header.MF : 0);
            writeHeader(piece, n + Ipv4Header.MIN_LEN, id, frag, ttl, proto, tos, src, dst);
            fragmentsSent++;
            inet.ifOutput(ifp, piece, nextHop);
        }
        return 0;
    }

    static void writeHeader(Mbuf p, int len, int id, int fragField, int ttl, int proto, int tos, int src, int dst) {
        p.put8(Ipv4Header.VER_IHL, 0x45);
        p.put8(Ipv4Header.TOS, tos);
        p.put16(Ipv4Header.TOTAL_LEN, len);
        p.put16(Ipv4Header.ID, id);
        p.put16(Ipv4Header.FLAGS_FRAG, fragField);
        p.put8(Ipv4Header.TTL, ttl);
        p.put8(Ipv4Header.PROTO, proto);
        p.put16(Ipv4Header.CKSUM, 0);
        p.put32(Ipv4Header.SRC, src);
        p.put32(Ipv4Header.DST, dst);
        p.put16(Ipv4Header.CKSUM, InCksum.of(p, 0, Ipv4Header.MIN_LEN));
    }

    /** ip_input: checks the header (RFC 1122 3.2.1), then delivers, reassembles or forwards. */
    void input(Ifnet ifp, Mbuf m) {
        received++;
        m = Mbuf.pullup(m, Ipv4Header.MIN_LEN);
        if (m == null) {
            badHeader++;
            return;
        }
        int vhl = m.u8(Ipv4Header.VER_IHL);
        int hlen = (vhl & 0xf) * 4;
        int total = m.u16(Ipv4Header.TOTAL_LEN);
        if ((vhl >>> 4) != 4 || hlen < Ipv4Header.MIN_LEN || total < hlen || Mbuf.length(m) < total) {
            badHeader++;
            return;
        }
        m = Mbuf.pullup(m, hlen);
        if (m == null || InCksum.of(m, 0, hlen) != 0) {
            badHeader++;
            return;
        }
        m = Mbuf.trimTo(m, total); // link padding
        int dst = m.i32(Ipv4Header.DST);
        int src = m.i32(Ipv4Header.SRC);
        if (src == -1 || (src >>> 28) == 0xe) { // RFC 1122 3.2.1.3: broadcast or multicast source
            badHeader++;
            return;
        }
        if (!inet.isLocal(dst) && !inet.isBroadcast(dst)) {
            forward(ifp, m, hlen);
            return;
        }
        int frag = m.u16(Ipv4Header.FLAGS_FRAG);
        if ((frag & (Ipv4Header.MF | Ipv4Header.OFFSET_MASK)) != 0) {
            m = reassembly.insert(m, hlen);
            if (m == null) return;
            inet.distrustInput(); // a reassembled packet's checksum is checked (see Inet.transportChecksumOmitted)
            hlen = (m.u8(Ipv4Header.VER_IHL) & 0xf) * 4;
        }
        delivered++;
        switch (m.u8(Ipv4Header.PROTO)) {
            case Sys.IPPROTO_ICMP -> inet.icmp().input(ifp, m, hlen);
            case Sys.IPPROTO_UDP -> inet.udp().input(m, hlen);
            case Sys.IPPROTO_TCP -> inet.tcp().input(m, hlen);
            default -> inet.icmp().error(m, IcmpHeader.UNREACH, IcmpHeader.UNREACH_PROTOCOL, 0);
        }
    }

    /** ip_forward (RFC 1812 5.2-5.3): TTL, route, fragmentation or "fragmentation needed". */
    private void forward(Ifnet inIf, Mbuf m, int hlen) {
        int dst = m.i32(Ipv4Header.DST);
        if (!inet.tunables().forwarding || inet.isBroadcast(dst) || (dst >>> 28) == 0xe || (dst >>> 24) == 127) return;
        int ttl = m.u8(Ipv4Header.TTL);
        if (ttl <= 1) { // RFC 1812 5.3.1
            inet.icmp().error(m, IcmpHeader.TIME_EXCEEDED, IcmpHeader.TIMXCEED_INTRANS, 0);
            return;
        }
        Route r = inet.routes().lookup(dst);
        if (r == null) {
            noRoute++;
            inet.icmp().error(m, IcmpHeader.UNREACH, IcmpHeader.UNREACH_HOST, 0);
            return;
        }
        // a fresh header: the received bytes may be shared with another holder of the frame
        byte[] h = new byte[hlen];
        Mbuf.copyOut(m, 0, h, 0, hlen);
        Mbuf header = Mbuf.wrap(h);
        header.put8(Ipv4Header.TTL, ttl - 1);
        header.put16(Ipv4Header.CKSUM, 0);
        header.put16(Ipv4Header.CKSUM, InCksum.of(header, 0, hlen));
        Mbuf payload = Mbuf.trimFront(m, hlen);
        int total = hlen + Mbuf.length(payload);
        int mtu = r.effectiveMtu();
        forwarded++;
        if (total <= mtu) {
            header.next = payload;
            inet.ifOutput(r.ifp(), header, r.nextHop(dst));
            return;
        }
        int frag = header.u16(Ipv4Header.FLAGS_FRAG);
        if ((frag & Ipv4Header.DF) != 0) { // RFC 1191 section 4: tell the sender the next-hop MTU
            header.next = payload;
            inet.icmp().error(header, IcmpHeader.UNREACH, IcmpHeader.UNREACH_NEEDFRAG, mtu);
            return;
        }
        fragment(r.ifp(), r.nextHop(dst), mtu, payload, header.u16(Ipv4Header.ID), ttl - 1, header.u8(Ipv4Header.PROTO),
                header.u8(Ipv4Header.TOS), header.i32(Ipv4Header.SRC), dst, (frag & Ipv4Header.OFFSET_MASK) << 3,
                (frag & Ipv4Header.MF) != 0);
    }
}
