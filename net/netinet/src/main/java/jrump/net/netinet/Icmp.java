package jrump.net.netinet;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/** ICMP (RFC 792 with RFC 1122 3.2.2's rules): echo, and the errors unreachable and time exceeded. */
public final class Icmp {
    /** An echo reply arrived (what ping listens for). */
    public interface EchoListener {
        void reply(int from, int id, int seq, int payloadLen, int ttl);
    }

    private final Inet inet;
    private EchoListener echoListener;
    /** Echo sockets (SOCK_DGRAM, IPPROTO_ICMP). */
    final java.util.List<IcmpPcb> pcbs = new java.util.ArrayList<>();
    long errorsSent;
    long echoesAnswered;

    Icmp(Inet inet) {
        this.inet = inet;
    }

    public void setEchoListener(EchoListener l) {
        echoListener = l;
    }

    /** Sends an echo request carrying {@code payload} (ping); returns an errno. */
    public int echo(int dst, int id, int seq, byte[] payload) {
        Mbuf m = Mbuf.header(Mbuf.MAX_HDR + IcmpHeader.LEN);
        m.prepend(IcmpHeader.LEN);
        m.put8(IcmpHeader.TYPE, IcmpHeader.ECHO);
        m.put8(IcmpHeader.CODE, 0);
        m.put16(IcmpHeader.ID, id);
        m.put16(IcmpHeader.SEQ, seq);
        m.next = Mbuf.wrap(payload.clone());
        m.put16(IcmpHeader.CKSUM, InCksum.of(m, 0, Mbuf.length(m)));
        return inet.ip().output(m, 0, dst, Sys.IPPROTO_ICMP, inet.tunables().ttl, 0, false);
    }

    void input(Ifnet ifp, Mbuf m, int hlen) {
        m = Mbuf.pullup(m, hlen + IcmpHeader.LEN);
        if (m == null) return;
        int len = Mbuf.length(m) - hlen;
        if (InCksum.of(m, hlen, len) != 0) return;
        int type = m.u8(hlen + IcmpHeader.TYPE);
        int src = m.i32(Ipv4Header.SRC);
        int dst = m.i32(Ipv4Header.DST);
        switch (type) {
            case IcmpHeader.ECHO -> {
                // RFC 1122 3.2.2.6: reply with the same data; not to broadcasts we may ignore (we do)
                if (inet.isBroadcast(dst)) return;
                Mbuf reply = Mbuf.header(Mbuf.MAX_HDR + IcmpHeader.LEN);
                reply.prepend(IcmpHeader.LEN);
                reply.put8(IcmpHeader.TYPE, IcmpHeader.ECHO_REPLY);
                reply.put8(IcmpHeader.CODE, 0);
                reply.put16(IcmpHeader.ID, m.u16(hlen + IcmpHeader.ID));
                reply.put16(IcmpHeader.SEQ, m.u16(hlen + IcmpHeader.SEQ));
                reply.next = Mbuf.reference(m, hlen + IcmpHeader.LEN, len - IcmpHeader.LEN);
                reply.put16(IcmpHeader.CKSUM, InCksum.of(reply, 0, len));
                echoesAnswered++;
                inet.ip().output(reply, dst, src, Sys.IPPROTO_ICMP, inet.tunables().ttl, 0, false);
            }
            case IcmpHeader.ECHO_REPLY -> {
                int id = m.u16(hlen + IcmpHeader.ID);
                for (IcmpPcb p : pcbs) {
                    if (p.id == id) p.deliver(IpAddr.v4(src), Mbuf.reference(m, hlen, len), len);
                }
                EchoListener l = echoListener;
                if (l != null) {
                    l.reply(src, m.u16(hlen + IcmpHeader.ID), m.u16(hlen + IcmpHeader.SEQ), len - IcmpHeader.LEN,
                            m.u8(Ipv4Header.TTL));
                }
            }
            case IcmpHeader.UNREACH, IcmpHeader.TIME_EXCEEDED -> {
                // the offending datagram's header and first 8 bytes follow (RFC 792)
                Mbuf inner = Mbuf.pullup(Mbuf.trimFront(m, hlen + IcmpHeader.LEN), Ipv4Header.MIN_LEN + 8);
                if (inner == null) return;
                int ihl = (inner.u8(Ipv4Header.VER_IHL) & 0xf) * 4;
                inner = Mbuf.pullup(inner, ihl + 8);
                if (inner == null) return;
                int code = m.u8(hlen + IcmpHeader.CODE);
                int proto = inner.u8(Ipv4Header.PROTO);
                if (proto == Sys.IPPROTO_UDP) inet.udp().ctlinput(type, code, inner, ihl);
                else if (proto == Sys.IPPROTO_TCP) inet.tcp().ctlinput(type, code, inner, ihl, m.u16(hlen + IcmpHeader.SEQ));
            }
            default -> {
            }
        }
    }

    /**
     * icmp_error: reports a problem with datagram {@code orig} (its IP header first) to its sender, quoting
     * the header and 8 bytes. RFC 1122 3.2.2: never about an ICMP error, a broadcast or multicast, a
     * fragment other than the first, or a datagram from an address that is not a single host.
     */
    void error(Mbuf orig, int type, int code, int mtu) {
        orig = Mbuf.pullup(orig, Ipv4Header.MIN_LEN);
        if (orig == null) return;
        int ihl = (orig.u8(Ipv4Header.VER_IHL) & 0xf) * 4;
        int src = orig.i32(Ipv4Header.SRC);
        int dst = orig.i32(Ipv4Header.DST);
        int frag = orig.u16(Ipv4Header.FLAGS_FRAG);
        if ((frag & Ipv4Header.OFFSET_MASK) != 0) return;
        if (inet.isBroadcast(dst) || (dst >>> 28) == 0xe || src == 0 || inet.isBroadcast(src) || (src >>> 28) == 0xe) return;
        if (orig.u8(Ipv4Header.PROTO) == Sys.IPPROTO_ICMP) {
            Mbuf p = Mbuf.pullup(orig, ihl + 1);
            if (p == null) return;
            int t = p.u8(ihl);
            if (t != IcmpHeader.ECHO && t != IcmpHeader.ECHO_REPLY) return;
        }
        int quote = Math.min(Mbuf.length(orig), ihl + 8);
        Mbuf m = Mbuf.header(Mbuf.MAX_HDR + IcmpHeader.LEN);
        m.prepend(IcmpHeader.LEN);
        m.put8(IcmpHeader.TYPE, type);
        m.put8(IcmpHeader.CODE, code);
        m.put16(IcmpHeader.ID, 0);
        m.put16(IcmpHeader.SEQ, type == IcmpHeader.UNREACH && code == IcmpHeader.UNREACH_NEEDFRAG ? mtu : 0);
        byte[] q = new byte[quote];
        Mbuf.copyOut(orig, 0, q, 0, quote);
        m.next = Mbuf.wrap(q);
        m.put16(IcmpHeader.CKSUM, InCksum.of(m, 0, IcmpHeader.LEN + quote));
        errorsSent++;
        inet.ip().output(m, 0, src, Sys.IPPROTO_ICMP, inet.tunables().ttl, 0, false);
    }
}
