package jrump.net.netinet;

import java.util.HashMap;
import java.util.Map;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.Ipv6Header;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * IPv6 input, output and forwarding (RFC 8200): header checks, the extension header chain walked with a
 * limit, fragmentation and reassembly ({@link Frag6}), source address selection, the path MTU cache that
 * ICMPv6 packet too big fills (RFC 8201). Packets for others are forwarded only when
 * {@code forwarding6} is on (a router), else dropped.
 */
final class Ip6 {
    /** RFC 8201 section 5.3: a lowered path MTU is tried again after at least 5 minutes (10 here). */
    static final long PMTU_AGE_NANOS = 10L * 60 * 1_000_000_000L;

    private record Pmtu(int mtu, long expires) {
    }

    private final Inet inet;
    private final Frag6 frag6;
    private final Map<IpAddr, Pmtu> pmtu = new HashMap<>();

    // counters (ip6stat)
    long received;
    long badHeader;
    long delivered;
    long notForUs;
    long tooManyHeaders;
    long fragmentsSent;
    long noRoute;
    long forwarded;
    long hopLimitExceeded;

    Ip6(Inet inet) {
        this.inet = inet;
        this.frag6 = new Frag6(inet);
    }

    Frag6 frag6() {
        return frag6;
    }

    // --- path MTU --------------------------------------------------------------------------------------

    /** RFC 8201 section 4: a packet too big for {@code dst}; never below the IPv6 minimum MTU (RFC 8201 4). */
    void lowerPathMtu(IpAddr dst, int mtu) {
        mtu = Math.max(mtu, Ipv6Header.MIN_MTU);
        int now = pathMtu(dst);
        if (now != 0 && mtu >= now) return;
        pmtu.put(dst, new Pmtu(mtu, inet.now() + PMTU_AGE_NANOS));
    }

    /** The MTU of the path to {@code dst}: the route's, lowered by a cached packet too big (0: no route). */
    int pathMtu(IpAddr dst) {
        if (inet.isLocal6(dst)) {
            Ifnet lo = inet.loopback();
            return lo == null ? 0 : lo.mtu();
        }
        Route6.Entry r = inet.routes6().lookup(dst, inet.now());
        if (r == null) return 0;
        int mtu = r.effectiveMtu();
        int linkMtu = inet.nd6().linkMtu(r.ifp());
        if (linkMtu > 0) mtu = Math.min(mtu, linkMtu);
        Pmtu p = pmtu.get(dst);
        if (p != null) {
            if (p.expires <= inet.now()) pmtu.remove(dst);
            else mtu = Math.min(mtu, p.mtu);
        }
        return mtu;
    }

    // --- source selection ------------------------------------------------------------------------------

    /**
     * in6_selectsrc, a reduced RFC 6724 section 5: a usable address of the outgoing interface, of the
     * destination's scope (link-local for link-local destinations), the longest common prefix winning;
     * ANY when there is none.
     */
    IpAddr sourceFor(IpAddr dst) {
        if (inet.isLocal6(dst)) return dst;
        Route6.Entry r = inet.routes6().lookup(dst, inet.now());
        if (r == null) return IpAddr.ANY;
        return sourceOn(r.ifp(), dst);
    }

    IpAddr sourceOn(Ifnet ifp, IpAddr dst) {
        boolean wantLinkLocal = dst.isLinkLocal() || (dst.isMulticast() && ((dst.hi() >>> 48) & 0xf) <= 2);
        In6Ifaddr best = null;
        for (In6Ifaddr ia : inet.addresses6()) {
            if (ia.ifp != ifp || !ia.usable()) continue;
            if (best == null) {
                best = ia;
                continue;
            }
            boolean scopeBest = best.addr.isLinkLocal() == wantLinkLocal;
            boolean scopeThis = ia.addr.isLinkLocal() == wantLinkLocal;
            if (scopeThis != scopeBest) {
                if (scopeThis) best = ia;
                continue;
            }
            boolean prefBest = best.state == In6Ifaddr.State.PREFERRED;
            boolean prefThis = ia.state == In6Ifaddr.State.PREFERRED;
            if (prefThis != prefBest) {
                if (prefThis) best = ia;
                continue;
            }
            if (ia.addr.commonPrefix(dst) > best.addr.commonPrefix(dst)) best = ia;
        }
        return best == null ? IpAddr.ANY : best.addr;
    }

    // --- output ------------------------------------------------------------------------------------

    /**
     * ip6_output: prepends the header to {@code m} (an upper-layer message) and sends it, fragmenting by
     * the path MTU (RFC 8200 4.5). {@code ifp} names the interface for link-scope destinations (ND);
     * null looks the route up. A {@code src} of ANY is chosen here; null sends from :: (DAD). Returns an
     * errno.
     */
    int output(Mbuf m, IpAddr src, IpAddr dst, int proto, int hops, int tclass, Ifnet ifp) {
        IpAddr nextHop = dst;
        int mtu;
        if (inet.isLocal6(dst)) {
            ifp = inet.loopback();
            if (ifp == null) return Errno.EHOSTUNREACH.number();
            mtu = ifp.mtu();
        } else if (ifp != null) {
            mtu = dst.isMulticast() ? ifp.mtu() : Math.min(ifp.mtu(), Math.max(pathMtu(dst), Ipv6Header.MIN_MTU));
        } else {
            Route6.Entry r = inet.routes6().lookup(dst, inet.now());
            if (r == null) {
                noRoute++;
                return Errno.EHOSTUNREACH.number();
            }
            ifp = r.ifp();
            nextHop = r.nextHop(dst);
            mtu = pathMtu(dst);
        }
        if (src == null) {
            src = IpAddr.ANY; // DAD's solicitations (RFC 4862 5.4.2): the unspecified source on purpose
        } else if (src.isAny()) {
            src = ifp.linkType() == Ifnet.LinkType.LOOPBACK ? dst : sourceOn(ifp, dst);
            if (src.isAny()) return Errno.EADDRNOTAVAIL.number();
        }
        int plen = Mbuf.length(m);
        if (plen > 0xffff) return Errno.EMSGSIZE.number(); // jumbograms (RFC 2675) are not done
        if (plen + Ipv6Header.LEN <= mtu) {
            Mbuf p = Mbufs.prepend(m, Ipv6Header.LEN);
            writeHeader(p, tclass, plen, proto, hops, src, dst);
            inet.ifOutput6(ifp, p, nextHop);
            return 0;
        }
        return fragment(ifp, nextHop, mtu, m, src, dst, proto, hops, tclass);
    }

    static void writeHeader(Mbuf p, int tclass, int plen, int next, int hops, IpAddr src, IpAddr dst) {
        p.put32(Ipv6Header.VER_TC_FLOW, (6 << 28) | ((tclass & 0xff) << 20));
        p.put16(Ipv6Header.PAYLOAD_LEN, plen);
        p.put8(Ipv6Header.NEXT_HEADER, next);
        p.put8(Ipv6Header.HOP_LIMIT, hops);
        src.write(p, Ipv6Header.SRC);
        dst.write(p, Ipv6Header.DST);
    }

    /**
     * RFC 8200 4.5: the fragmentable part (here the whole upper-layer message: we add no extension
     * headers) in pieces of a multiple of 8 bytes, each behind the header and a fragment header with one
     * random identification (RFC 7739); the pieces reference the payload.
     */
    private int fragment(Ifnet ifp, IpAddr nextHop, int mtu, Mbuf payload, IpAddr src, IpAddr dst, int proto,
                         int hops, int tclass) {
        int total = Mbuf.length(payload);
        int per = (mtu - Ipv6Header.LEN - Ipv6Header.FRAG_LEN) & ~7;
        if (per < 8) return Errno.EMSGSIZE.number();
        int id = (int) inet.env().random();
        for (int off = 0; off < total; off += per) {
            int n = Math.min(per, total - off);
            boolean more = off + n < total;
            Mbuf piece = Mbufs.prepend(Mbuf.reference(payload, off, n), Ipv6Header.LEN + Ipv6Header.FRAG_LEN);
            writeHeader(piece, tclass, n + Ipv6Header.FRAG_LEN, Sys.IPPROTO_FRAGMENT, hops, src, dst);
            int f = Ipv6Header.LEN;
            piece.put8(f + Ipv6Header.FRAG_NEXT, proto);
            piece.put8(f + 1, 0);
            piece.put16(f + Ipv6Header.FRAG_OFFLG, off | (more ? Ipv6Header.FRAG_MORE : 0));
            piece.put32(f + Ipv6Header.FRAG_ID, id);
            fragmentsSent++;
            inet.ifOutput6(ifp, piece, nextHop);
        }
        return 0;
    }

    // --- input -------------------------------------------------------------------------------------

    /** ip6_input: checks the header (RFC 8200 section 3), walks the extension headers, delivers. */
    void input(Ifnet ifp, Mbuf m) {
        received++;
        m = Mbuf.pullup(m, Ipv6Header.LEN);
        if (m == null) {
            badHeader++;
            return;
        }
        int plen = m.u16(Ipv6Header.PAYLOAD_LEN);
        if ((m.u8(Ipv6Header.VER_TC_FLOW) >>> 4) != 6 || Mbuf.length(m) < Ipv6Header.LEN + plen || plen == 0
                && m.u8(Ipv6Header.NEXT_HEADER) == Sys.IPPROTO_HOPOPTS) { // a jumbogram: not done
            badHeader++;
            return;
        }
        m = Mbuf.trimTo(m, Ipv6Header.LEN + plen); // link padding
        IpAddr src = IpAddr.read(m, Ipv6Header.SRC);
        IpAddr dst = IpAddr.read(m, Ipv6Header.DST);
        // RFC 4291 2.7 and 2.5.2: a multicast or unspecified source... ::  is allowed for DAD only (ND checks)
        if (src.isMulticast() || (src.isLoopback6() || dst.isLoopback6()) && ifp.linkType() != Ifnet.LinkType.LOOPBACK) {
            badHeader++;
            return;
        }
        if (!inet.acceptsDestination6(ifp, dst)) {
            if (inet.tunables().forwarding6 && !dst.isMulticast() && ifp.linkType() == Ifnet.LinkType.ETHERNET) {
                forward(m, src, dst);
            } else {
                notForUs++; // a host does not forward (RFC 8200 section 1: routers do)
            }
            return;
        }
        int nxt = m.u8(Ipv6Header.NEXT_HEADER);
        int nxtAt = Ipv6Header.NEXT_HEADER;
        int off = Ipv6Header.LEN;
        int headers = 0;
        while (true) {
            if (++headers > inet.tunables().maxExtensionHeaders + 1) {
                tooManyHeaders++;
                return;
            }
            switch (nxt) {
                case Sys.IPPROTO_HOPOPTS, Sys.IPPROTO_DSTOPTS, Sys.IPPROTO_ROUTING -> {
                    if (nxt == Sys.IPPROTO_HOPOPTS && off != Ipv6Header.LEN) {
                        // RFC 8200 4.3: hop-by-hop options only right after the IPv6 header
                        paramProblem(m, Icmp6Header.PARAMPROB_NEXTHEADER, nxtAt);
                        return;
                    }
                    m = Mbuf.pullup(m, off + 2);
                    if (m == null) return;
                    int len = (m.u8(off + Ipv6Header.EXT_LEN) + 1) * 8;
                    if (off + len > Mbuf.length(m)) {
                        badHeader++;
                        return;
                    }
                    m = Mbuf.pullup(m, off + len);
                    if (nxt == Sys.IPPROTO_ROUTING) {
                        // RFC 8200 4.4: an unknown type with segments left is an error; RFC 5095 removed type 0
                        if (m.u8(off + Ipv6Header.RT_SEGLEFT) != 0) {
                            paramProblem(m, Icmp6Header.PARAMPROB_HEADER, off + Ipv6Header.RT_TYPE);
                            return;
                        }
                    } else if (!options(m, off, len, dst)) {
                        return;
                    }
                    nxtAt = off + Ipv6Header.EXT_NEXT;
                    nxt = m.u8(nxtAt);
                    off += len;
                }
                case Sys.IPPROTO_FRAGMENT -> {
                    m = Mbuf.pullup(m, off + Ipv6Header.FRAG_LEN);
                    if (m == null) {
                        badHeader++;
                        return;
                    }
                    Frag6.Result r = frag6.insert(ifp, m, off, nxtAt);
                    if (r == null) return;
                    m = r.packet();
                    nxt = r.next();
                    inet.distrustInput(); // a reassembled packet's checksum is checked (see Inet.transportChecksumOmitted)
                    // the reassembled packet has the fragment header removed: continue at the same offset
                }
                case Sys.IPPROTO_NONE -> {
                    return; // RFC 8200 4.7
                }
                case Sys.IPPROTO_TCP -> {
                    delivered++;
                    if (dst.isMulticast()) return;
                    inet.tcp().input(m, off, src, dst);
                    return;
                }
                case Sys.IPPROTO_UDP -> {
                    delivered++;
                    inet.udp().input(m, off, src, dst);
                    return;
                }
                case Sys.IPPROTO_ICMPV6 -> {
                    delivered++;
                    inet.icmp6().input(ifp, m, off, src, dst);
                    return;
                }
                default -> {
                    // RFC 8200 4: an unrecognised next header is a parameter problem pointing at it
                    paramProblem(m, Icmp6Header.PARAMPROB_NEXTHEADER, nxtAt);
                    return;
                }
            }
        }
    }

    /**
     * ip6_forward: hop limit (RFC 8200 section 3, time exceeded at 1 or less, RFC 4443 3.3), the route (no
     * route: destination unreachable code 0), scope (a link-local source or destination never leaves its
     * link: code 2), and the next link's MTU (routers do not fragment: packet too big with that MTU, RFC 4443
     * 3.2). The header is copied (the received bytes may be shared) with the hop limit lowered.
     */
    private void forward(Mbuf m, IpAddr src, IpAddr dst) {
        if (src.isAny()) return;
        int hops = m.u8(Ipv6Header.HOP_LIMIT);
        if (hops <= 1) {
            hopLimitExceeded++;
            inet.icmp6().error(m, Icmp6Header.TIME_EXCEEDED, Icmp6Header.TIMXCEED_HOPLIMIT, 0);
            return;
        }
        if (src.isLinkLocal() || dst.isLinkLocal()) {
            inet.icmp6().error(m, Icmp6Header.DST_UNREACH, Icmp6Header.UNREACH_BEYOND_SCOPE, 0);
            return;
        }
        Route6.Entry r = inet.routes6().lookup(dst, inet.now());
        if (r == null) {
            noRoute++;
            inet.icmp6().error(m, Icmp6Header.DST_UNREACH, Icmp6Header.UNREACH_NOROUTE, 0);
            return;
        }
        int mtu = r.effectiveMtu();
        int linkMtu = inet.nd6().linkMtu(r.ifp());
        if (linkMtu > 0) mtu = Math.min(mtu, linkMtu);
        if (Mbuf.length(m) > mtu) {
            inet.icmp6().error(m, Icmp6Header.PACKET_TOO_BIG, 0, mtu);
            return;
        }
        byte[] h = new byte[Ipv6Header.LEN];
        Mbuf.copyOut(m, 0, h, 0, Ipv6Header.LEN);
        Mbuf header = Mbuf.wrap(h);
        header.put8(Ipv6Header.HOP_LIMIT, hops - 1);
        header.next = Mbuf.trimFront(m, Ipv6Header.LEN);
        forwarded++;
        inet.ifOutput6(r.ifp(), header, r.nextHop(dst));
    }

    /**
     * The options of a hop-by-hop or destination options header (RFC 8200 4.2): padding is skipped; an
     * unknown option acts by its two high bits: skip, discard, discard with a parameter problem, or the
     * same unless the destination was multicast. Returns whether processing goes on.
     */
    private boolean options(Mbuf m, int off, int len, IpAddr dst) {
        int at = off + 2;
        int end = off + len;
        while (at < end) {
            int type = m.u8(at);
            if (type == Ipv6Header.OPT_PAD1) {
                at++;
                continue;
            }
            if (at + 2 > end) {
                paramProblem(m, Icmp6Header.PARAMPROB_HEADER, at);
                return false;
            }
            int olen = m.u8(at + 1);
            if (at + 2 + olen > end) {
                paramProblem(m, Icmp6Header.PARAMPROB_HEADER, at + 1);
                return false;
            }
            if (type != Ipv6Header.OPT_PADN) {
                switch (type >>> 6) {
                    case 0 -> {
                    }
                    case 1 -> {
                        return false;
                    }
                    case 2 -> {
                        paramProblem(m, Icmp6Header.PARAMPROB_OPTION, at);
                        return false;
                    }
                    default -> {
                        if (!dst.isMulticast()) paramProblem(m, Icmp6Header.PARAMPROB_OPTION, at);
                        return false;
                    }
                }
            }
            at += 2 + olen;
        }
        return true;
    }

    private void paramProblem(Mbuf m, int code, int pointer) {
        badHeader++;
        inet.icmp6().error(m, Icmp6Header.PARAM_PROB, code, pointer);
    }
}
