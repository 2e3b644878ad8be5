package jrump.net.netinet;

import jrump.net.netinet.tcp.Tcp;
import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.Ipv6Header;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * ICMPv6 (RFC 4443): echo, the errors (destination unreachable, packet too big, time exceeded, parameter
 * problem) sent under a token-bucket rate limit and received for the transport protocols, and the
 * dispatch of Neighbor Discovery messages to {@link Nd6}.
 */
public final class Icmp6 {
    /** An echo reply arrived (what ping6 listens for). */
    public interface EchoListener {
        void reply(IpAddr from, int id, int seq, int payloadLen, int hopLimit);
    }

    private final Inet inet;
    private EchoListener echoListener;
    final java.util.List<Icmp6Pcb> pcbs = new java.util.ArrayList<>();
    private double tokens;
    private long tokensAt;
    // counters (icmp6stat)
    public long errorsSent;
    public long errorsRateLimited;
    public long echoesAnswered;
    public long badChecksum;
    public long packetTooBigReceived;

    Icmp6(Inet inet) {
        this.inet = inet;
        this.tokens = inet.tunables().icmp6ErrorsPerSecond;
    }

    public void setEchoListener(EchoListener l) {
        echoListener = l;
    }

    /** The checksum of an ICMPv6 message {@code m} (RFC 4443 2.3: with the pseudo-header of RFC 8200 8.1). */
    static int checksum(Mbuf m, int off, int len, IpAddr src, IpAddr dst) {
        return InCksum.fold(InCksum.add(InPorts.pseudoSum(src, dst, Sys.IPPROTO_ICMPV6, len), m, off, len));
    }

    /**
     * Sends ICMPv6 message {@code msg} (checksum field zero) from {@code src} (ANY: chosen; null: ::) to
     * {@code dst}, out of {@code ifp} when given; returns an errno.
     */
    int send(Mbuf msg, IpAddr src, IpAddr dst, int hops, Ifnet ifp) {
        IpAddr s = src;
        if (s != null && s.isAny()) {
            s = inet.isLocal6(dst) ? dst : ifp != null ? inet.ip6().sourceOn(ifp, dst) : inet.ip6().sourceFor(dst);
            if (s.isAny()) return ifp == null && inet.ip6().pathMtu(dst) == 0 ? Errno.EHOSTUNREACH.number() : Errno.EADDRNOTAVAIL.number();
        }
        int len = Mbuf.length(msg);
        msg.put16(Icmp6Header.CKSUM, 0);
        msg.put16(Icmp6Header.CKSUM, checksum(msg, 0, len, s == null ? IpAddr.ANY : s, dst));
        return inet.ip6().output(msg, s, dst, Sys.IPPROTO_ICMPV6, hops, 0, ifp);
    }

    /** Sends an echo request carrying {@code payload} (ping6); returns an errno. */
    public int echo(IpAddr dst, int id, int seq, byte[] payload) {
        Mbuf m = Mbuf.header(Mbuf.MAX_HDR + Icmp6Header.LEN);
        m.prepend(Icmp6Header.LEN);
        m.put8(Icmp6Header.TYPE, Icmp6Header.ECHO_REQUEST);
        m.put8(Icmp6Header.CODE, 0);
        m.put16(Icmp6Header.ID, id);
        m.put16(Icmp6Header.SEQ, seq);
        m.next = Mbuf.wrap(payload.clone());
        return send(m, IpAddr.ANY, dst, inet.tunables().hopLimit, null);
    }

    /** icmp6_input: the message at {@code off} of {@code m} (its IPv6 header in front). */
    void input(Ifnet ifp, Mbuf m, int off, IpAddr src, IpAddr dst) {
        int len = Mbuf.length(m) - off;
        if (len < 4) return;
        m = Mbuf.pullup(m, off + Math.min(len, Icmp6Header.LEN));
        if (m == null) return;
        if (checksum(m, off, len, src, dst) != 0) {
            badChecksum++;
            return;
        }
        int type = m.u8(off + Icmp6Header.TYPE);
        int code = m.u8(off + Icmp6Header.CODE);
        switch (type) {
            case Icmp6Header.ECHO_REQUEST -> {
                if (len < Icmp6Header.LEN) return;
                Mbuf reply = Mbuf.header(Mbuf.MAX_HDR + Icmp6Header.LEN);
                reply.prepend(Icmp6Header.LEN);
                reply.put8(Icmp6Header.TYPE, Icmp6Header.ECHO_REPLY);
                reply.put8(Icmp6Header.CODE, 0);
                reply.put16(Icmp6Header.ID, m.u16(off + Icmp6Header.ID));
                reply.put16(Icmp6Header.SEQ, m.u16(off + Icmp6Header.SEQ));
                reply.next = Mbuf.reference(m, off + Icmp6Header.LEN, len - Icmp6Header.LEN);
                echoesAnswered++;
                // RFC 4443 4.2: the reply to a multicast echo comes from a unicast address of ours
                send(reply, dst.isMulticast() ? IpAddr.ANY : dst, src, inet.tunables().hopLimit,
                        dst.isMulticast() || src.isLinkLocal() ? ifp : null);
            }
            case Icmp6Header.ECHO_REPLY -> {
                if (len < Icmp6Header.LEN) return;
                int id = m.u16(off + Icmp6Header.ID);
                for (Icmp6Pcb p : pcbs) {
                    if (p.id == id) p.deliver(src, Mbuf.reference(m, off, len), len);
                }
                EchoListener l = echoListener;
                if (l != null) l.reply(src, id, m.u16(off + Icmp6Header.SEQ), len - Icmp6Header.LEN, m.u8(Ipv6Header.HOP_LIMIT));
            }
            case Icmp6Header.DST_UNREACH, Icmp6Header.PACKET_TOO_BIG, Icmp6Header.TIME_EXCEEDED, Icmp6Header.PARAM_PROB ->
                    ctlinput(m, off, len, type, code);
            case Mld6.QUERY -> {
                // RFC 3810 5.1.14: from a link-local source with hop limit 1
                if (src.isLinkLocal() && m.u8(Ipv6Header.HOP_LIMIT) == 1) inet.mld6().query(ifp, m, off, len);
            }
            case Icmp6Header.ROUTER_SOLICIT, Icmp6Header.ROUTER_ADVERT, Icmp6Header.NEIGHBOR_SOLICIT,
                 Icmp6Header.NEIGHBOR_ADVERT -> inet.nd6().input(ifp, m, off, len, type, src, dst);
            default -> {
                // RFC 4443 2.4 (b): unknown informational messages are dropped silently
            }
        }
    }

    /** An error about a packet we sent: the offending packet's header follows (RFC 4443 2.4 (c)). */
    private void ctlinput(Mbuf m, int off, int len, int type, int code) {
        int in = off + Icmp6Header.LEN;
        if (len < Icmp6Header.LEN + Ipv6Header.LEN) return;
        m = Mbuf.pullup(m, in + Ipv6Header.LEN);
        if (m == null) return;
        IpAddr isrc = IpAddr.read(m, in + Ipv6Header.SRC);
        IpAddr idst = IpAddr.read(m, in + Ipv6Header.DST);
        if (!inet.isLocal6(isrc)) return; // not about a packet of ours
        int param = m.i32(off + Icmp6Header.DATA);
        if (type == Icmp6Header.PACKET_TOO_BIG) {
            packetTooBigReceived++;
            inet.ip6().lowerPathMtu(idst, param);
        }
        // skip the quoted packet's extension headers to its upper-layer header
        int nxt = m.u8(in + Ipv6Header.NEXT_HEADER);
        int at = in + Ipv6Header.LEN;
        for (int i = 0; i < inet.tunables().maxExtensionHeaders; i++) {
            if (nxt != Sys.IPPROTO_HOPOPTS && nxt != Sys.IPPROTO_DSTOPTS && nxt != Sys.IPPROTO_ROUTING
                    && nxt != Sys.IPPROTO_FRAGMENT) {
                break;
            }
            m = Mbuf.pullup(m, at + 4);
            if (m == null) return;
            int next = m.u8(at);
            int hl = nxt == Sys.IPPROTO_FRAGMENT ? Ipv6Header.FRAG_LEN : (m.u8(at + 1) + 1) * 8;
            if (nxt == Sys.IPPROTO_FRAGMENT && (m.u16(at + Ipv6Header.FRAG_OFFLG) & Ipv6Header.FRAG_OFFSET_MASK) != 0) {
                return; // a later fragment: no transport header quoted
            }
            nxt = next;
            at += hl;
        }
        if (Mbuf.length(m) < at + 8) return;
        m = Mbuf.pullup(m, at + 8);
        if (m == null) return;
        int sport = m.u16(at);
        int dport = m.u16(at + 2);
        if (nxt == Sys.IPPROTO_TCP) {
            Tcp.Ctl kind = type == Icmp6Header.PACKET_TOO_BIG ? Tcp.Ctl.PACKET_TOO_BIG
                    : type == Icmp6Header.DST_UNREACH || type == Icmp6Header.PARAM_PROB && code == Icmp6Header.PARAMPROB_NEXTHEADER
                    ? Tcp.Ctl.UNREACH : Tcp.Ctl.OTHER;
            inet.tcp().ctlinput(kind, isrc, sport, idst, dport, m.i32(at + 4), inet.ip6().pathMtu(idst));
        } else if (nxt == Sys.IPPROTO_UDP && type == Icmp6Header.DST_UNREACH && code == Icmp6Header.UNREACH_PORT) {
            inet.udp().refused(idst, sport, dport);
        }
    }

    /** RFC 4443 2.4 (f): a token bucket of icmp6ErrorsPerSecond, refilled by the stack's clock. */
    private boolean rateAllows() {
        long now = inet.now();
        int rate = inet.tunables().icmp6ErrorsPerSecond;
        tokens = Math.min(rate, tokens + (now - tokensAt) / 1e9 * rate);
        tokensAt = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    /**
     * icmp6_error: reports a problem with packet {@code orig} (its IPv6 header first) to its source,
     * quoting as much of it as fits in the minimum MTU (RFC 4443 2.4 (c)). Never about an ICMPv6 error or
     * a redirect, nor to an unspecified or multicast source, nor (but for packet too big and unknown
     * options) about a packet sent to a multicast address (RFC 4443 2.4 (e)).
     */
    void error(Mbuf orig, int type, int code, int param) {
        orig = Mbuf.pullup(orig, Ipv6Header.LEN);
        if (orig == null) return;
        IpAddr src = IpAddr.read(orig, Ipv6Header.SRC);
        IpAddr dst = IpAddr.read(orig, Ipv6Header.DST);
        if (src.isAny() || src.isMulticast()) return;
        if (dst.isMulticast() && type != Icmp6Header.PACKET_TOO_BIG
                && !(type == Icmp6Header.PARAM_PROB && code == Icmp6Header.PARAMPROB_OPTION)) {
            return;
        }
        if (orig.u8(Ipv6Header.NEXT_HEADER) == Sys.IPPROTO_ICMPV6 && Mbuf.length(orig) > Ipv6Header.LEN) {
            Mbuf p = Mbuf.pullup(orig, Ipv6Header.LEN + 1);
            if (p == null) return;
            int t = p.u8(Ipv6Header.LEN);
            if (t < 128 || t == Icmp6Header.REDIRECT) return;
        }
        if (!rateAllows()) {
            errorsRateLimited++;
            return;
        }
        int quote = Math.min(Mbuf.length(orig), Ipv6Header.MIN_MTU - Ipv6Header.LEN - Icmp6Header.LEN);
        byte[] q = new byte[quote];
        Mbuf.copyOut(orig, 0, q, 0, quote);
        Mbuf m = Mbuf.header(Mbuf.MAX_HDR + Icmp6Header.LEN);
        m.prepend(Icmp6Header.LEN);
        m.put8(Icmp6Header.TYPE, type);
        m.put8(Icmp6Header.CODE, code);
        m.put32(Icmp6Header.DATA, param);
        m.next = Mbuf.wrap(q);
        errorsSent++;
        // from the address the packet was sent to, when it is ours and unicast
        IpAddr from = !dst.isMulticast() && inet.isLocal6(dst) ? dst : IpAddr.ANY;
        send(m, from, src, inet.tunables().hopLimit, null);
    }
}
