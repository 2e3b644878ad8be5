package jrump.net.netinet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jrump.net.netinet.tcp.Tcp;
import jrump.net.netinet.wire.Ether;
import jrump.rumpkern.Errno;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Route;
import jrump.rumpnet.net.RouteTable;
import jrump.rumpnet.net.Timers;

/**
 * One network stack: its interfaces and addresses, routes, ARP, IPv4, ICMP, IPv6 with ICMPv6 and Neighbor
 * Discovery, and UDP and TCP shared by both versions. Passive: it
 * acts when a frame arrives ({@link #input}), when a socket asks, and when its timers are due
 * ({@link #poll}). Not thread-safe: a kernel serialises it with its network lock, a simulation runs it on
 * one thread.
 *
 * <p>Received packets are queued and processed by {@link #drain()}, never from inside the code that sent
 * them: loopback traffic and a link that delivers at once therefore cannot re-enter a protocol that is in
 * the middle of sending.
 */
public final class Inet {
    private final NetEnv env;
    private final Timers timers;
    private final RouteTable routes = new RouteTable();
    private final List<Ifnet> interfaces = new ArrayList<>();
    private final List<InIfaddr> addrs = new ArrayList<>();
    private final InTunables tunables = new InTunables();
    private final Arp arp;
    private final Ip ip;
    private final Icmp icmp;
    private final Udp udp;
    private final Tcp tcp;
    private final Route6 routes6 = new Route6();
    private final List<In6Ifaddr> addrs6 = new ArrayList<>();
    private final Ip6 ip6;
    private final Icmp6 icmp6;
    private final Nd6 nd6;
    private final Mld6 mld6;
    private final ArrayDeque<Object[]> inq = new ArrayDeque<>();
    private boolean draining;
    /** The packet being dispatched came from a link that cannot corrupt it (and was not reassembled). */
    private boolean inputTrusted;

    public Inet(NetEnv env, Timers.Listener timerListener) {
        this.env = env;
        this.timers = new Timers(timerListener);
        this.arp = new Arp(this);
        this.ip = new Ip(this);
        this.icmp = new Icmp(this);
        this.udp = new Udp(this);
        this.tcp = new Tcp(this);
        this.ip6 = new Ip6(this);
        this.icmp6 = new Icmp6(this);
        this.nd6 = new Nd6(this);
        this.mld6 = new Mld6(this);
    }

    Mld6 mld6() {
        return mld6;
    }

    Ip6 ip6() {
        return ip6;
    }

    public Icmp6 icmp6() {
        return icmp6;
    }

    public Nd6 nd6() {
        return nd6;
    }

    Route6 routes6() {
        return routes6;
    }

    public NetEnv env() {
        return env;
    }

    public long now() {
        return env.nanoTime();
    }

    public Timers timers() {
        return timers;
    }

    public RouteTable routes() {
        return routes;
    }

    public InTunables tunables() {
        return tunables;
    }

    Arp arp() {
        return arp;
    }

    Ip ip() {
        return ip;
    }

    public Icmp icmp() {
        return icmp;
    }

    Udp udp() {
        return udp;
    }

    public Tcp tcp() {
        return tcp;
    }

    // --- interfaces and addresses ---------------------------------------------------------------

    /** if_attach: the stack takes the interface's received frames from now on. */
    public void attach(Ifnet ifp) {
        interfaces.add(ifp);
        ifp.setInput(this::input);
        if (ifp.linkType() == Ifnet.LinkType.LOOPBACK) {
            In6Ifaddr lo = new In6Ifaddr(ifp, IpAddr.LOOPBACK6, 128, false);
            lo.state = In6Ifaddr.State.PREFERRED; // RFC 4862 5.4: no DAD on loopback
            addrs6.add(lo);
        } else if (ifp.linkType() == Ifnet.LinkType.ETHERNET) {
            nd6.attach(ifp);
        }
    }

    public List<Ifnet> interfaces() {
        return List.copyOf(interfaces);
    }

    public Ifnet ifunit(String name) {
        for (Ifnet i : interfaces) {
            if (i.name().equals(name)) return i;
        }
        return null;
    }

    /** if_detach: forgets the interface, its addresses and routes. */
    public void detach(Ifnet ifp) {
        interfaces.remove(ifp);
        addrs.removeIf(a -> a.ifp() == ifp);
        addrs6.removeIf(a -> a.ifp() == ifp);
        routes.deleteInterface(ifp);
        routes6.deleteInterface(ifp);
        nd6.detach(ifp);
        arp.forget(ifp);
        ifp.setInput(null);
        ifp.detach();
    }

    /**
     * SIOCAIFADDR: gives {@code ifp} the address {@code addr/prefixLen}, adds the route to its network and
     * announces it with a gratuitous ARP (RFC 5227 section 3).
     */
    public int addAddress(Ifnet ifp, int addr, int prefixLen) {
        if (prefixLen < 0 || prefixLen > 32 || !interfaces.contains(ifp)) return Errno.EINVAL.number();
        for (InIfaddr a : addrs) {
            if (a.addr() == addr) return Errno.EEXIST.number();
        }
        InIfaddr ia = new InIfaddr(ifp, addr, prefixLen);
        addrs.add(ia);
        routes.add(new Route(addr, prefixLen, 0, ifp, 0));
        if (ifp.linkType() == Ifnet.LinkType.ETHERNET) arp.announce(ia);
        return 0;
    }

    public List<InIfaddr> addresses() {
        return List.copyOf(addrs);
    }

    /** The first address of {@code ifp}, or null. */
    InIfaddr addressOf(Ifnet ifp) {
        for (InIfaddr a : addrs) {
            if (a.ifp() == ifp) return a;
        }
        return null;
    }

    /** Whether {@code a} is one of this host's addresses (or a loopback address while lo0 is up). */
    boolean isLocal(int a) {
        for (InIfaddr ia : addrs) {
            if (ia.addr() == a) return true;
        }
        return (a >>> 24) == 127 && interfaces.stream().anyMatch(i -> i.linkType() == Ifnet.LinkType.LOOPBACK && i.up());
    }

    /** Whether {@code a} is a broadcast address for this host (limited, or a directed one of ours). */
    boolean isBroadcast(int a) {
        if (a == -1) return true;
        for (InIfaddr ia : addrs) {
            if (ia.prefixLen() < 31 && ia.broadcast() == a) return true;
        }
        return false;
    }

    // --- IPv6 addresses --------------------------------------------------------------------------

    /**
     * SIOCAIFADDR_IN6: gives {@code ifp} the address {@code addr/prefixLen} and the on-link route of its
     * prefix; on Ethernet it is tentative until duplicate address detection passes (RFC 4862 5.4).
     */
    public int addAddress6(Ifnet ifp, IpAddr addr, int prefixLen) {
        if (prefixLen < 0 || prefixLen > 128 || !interfaces.contains(ifp) || addr.isAny() || addr.isMulticast() || addr.isV4()) {
            return Errno.EINVAL.number();
        }
        if (address6(null, addr) != null) return Errno.EEXIST.number();
        addAddress6(ifp, addr, prefixLen, false);
        return 0;
    }

    In6Ifaddr addAddress6(Ifnet ifp, IpAddr addr, int prefixLen, boolean autoconf) {
        In6Ifaddr ia = new In6Ifaddr(ifp, addr, prefixLen, autoconf);
        addrs6.add(ia);
        if (prefixLen < 128 && !addr.isLinkLocal() && !autoconf) {
            routes6.add(new Route6.Entry(addr.prefix(prefixLen), prefixLen, null, ifp, 0, Long.MAX_VALUE));
        }
        if (ifp.linkType() == Ifnet.LinkType.ETHERNET) nd6.startDad(ia);
        else ia.state = In6Ifaddr.State.PREFERRED;
        return ia;
    }

    In6Ifaddr addAutoconf6(Ifnet ifp, IpAddr addr, int prefixLen, int dadCounter) {
        In6Ifaddr ia = new In6Ifaddr(ifp, addr, prefixLen, true);
        ia.dadCounter = dadCounter;
        addrs6.add(ia);
        nd6.startDad(ia);
        return ia;
    }

    /** The IPv6 addresses of all interfaces with their states; SLAAC addresses past their lifetimes go first. */
    public List<In6Ifaddr> addresses6() {
        long now = now();
        addrs6.removeIf(a -> a.validUntil <= now); // RFC 4862 5.5.4: an invalid address is removed
        for (In6Ifaddr a : addrs6) {
            if (a.state == In6Ifaddr.State.PREFERRED && a.preferredUntil <= now) a.state = In6Ifaddr.State.DEPRECATED;
        }
        return List.copyOf(addrs6);
    }

    /** Our address {@code a} on {@code ifp} (null: any interface) in any state, or null. */
    In6Ifaddr address6(Ifnet ifp, IpAddr a) {
        for (In6Ifaddr ia : addrs6) {
            if (ia.addr.equals(a) && (ifp == null || ia.ifp == ifp)) return ia;
        }
        return null;
    }

    /** Whether {@code a} is a usable IPv6 address of this host (::1 while lo0 is up). */
    boolean isLocal6(IpAddr a) {
        for (In6Ifaddr ia : addrs6) {
            if (ia.addr.equals(a) && ia.usable() && ia.validUntil > now()) return ia.ifp.up();
        }
        return false;
    }

    /** Whether a packet to {@code dst} arriving on {@code ifp} is for this host (a weak host, RFC 1122 3.3.4.2). */
    boolean acceptsDestination6(Ifnet ifp, IpAddr dst) {
        if (dst.isMulticast()) return ifp.linkType() == Ifnet.LinkType.LOOPBACK || nd6.joined(ifp, dst);
        return isLocal6(dst);
    }

    Ifnet loopback() {
        for (Ifnet i : interfaces) {
            if (i.linkType() == Ifnet.LinkType.LOOPBACK && i.up()) return i;
        }
        return null;
    }

    /** route add -inet6: {@code dst/prefixLen} via {@code gateway} (on a link of ours), or on {@code ifp} directly. */
    public int addRoute6(IpAddr dst, int prefixLen, IpAddr gateway, int mtu) {
        if (prefixLen < 0 || prefixLen > 128) return Errno.EINVAL.number();
        Route6.Entry via = routes6.lookup(gateway, now());
        if (via == null || via.gateway() != null) return Errno.ENETUNREACH.number();
        routes6.add(new Route6.Entry(dst.prefix(prefixLen), prefixLen, gateway, via.ifp(), mtu, Long.MAX_VALUE));
        return 0;
    }

    /** The IPv6 routes (tests and diagnostics): {dst/len, gateway or "link", interface}. */
    public List<String> routes6Text() {
        List<String> out = new ArrayList<>();
        for (Route6.Entry e : routes6.entries()) {
            if (e.expires() <= now()) continue;
            out.add(e.dst() + "/" + e.prefixLen() + " " + (e.gateway() == null ? "link" : e.gateway().toString()) + " " + e.ifp().name());
        }
        return out;
    }

    /** route add: {@code dst/prefixLen} via {@code gateway}, out of the interface that reaches the gateway. */
    public int addRoute(int dst, int prefixLen, int gateway, int mtu) {
        Route via = routes.lookup(gateway);
        if (via == null || via.gateway() != 0) return Errno.ENETUNREACH.number();
        return routes.add(new Route(dst, prefixLen, gateway, via.ifp(), mtu));
    }

    // --- input and the queue ------------------------------------------------------------------------

    /** A frame from an interface: queued, then processed at once unless the stack is busy already. */
    void input(Ifnet ifp, Mbuf frame) {
        inq.add(new Object[] {ifp, frame});
        if (ifp.linkType() != Ifnet.LinkType.LOOPBACK) drain();
    }

    /** Processes queued input until none is left (the netisr). */
    public void drain() {
        if (draining) return;
        draining = true;
        try {
            Object[] e;
            while ((e = inq.poll()) != null) {
                Ifnet ifp = (Ifnet) e[0];
                inputTrusted = ifp.checksumTrusted() && tunables.checksumOffload;
                dispatch(ifp, (Mbuf) e[1]);
            }
        } finally {
            draining = false;
            inputTrusted = false;
        }
    }

    /**
     * Whether the transport checksum of the packet being received need not be checked: it came from a link
     * that cannot corrupt it (its sender may have left the checksum out, {@link #transportChecksumOmitted}).
     */
    public boolean inputChecksumTrusted() {
        return inputTrusted;
    }

    /** The packet being received was reassembled: its fragments may have come over other links. */
    void distrustInput() {
        inputTrusted = false;
    }

    /**
     * Whether a transport segment in an IP packet of {@code ipLen} bytes to {@code dst} may go without its
     * checksum (checksum offload, NetBSD's M_CSUM flags on lo0): it reaches its destination directly (a
     * local address, or on-link: no router could pass it on to a link that needs checksums), whole (a
     * reassembled packet is checked, its fragments may have come several ways), over a link that cannot
     * corrupt it. The receiver skips the check for what arrives over such a link.
     */
    public boolean transportChecksumOmitted(IpAddr dst, int ipLen) {
        if (!tunables.checksumOffload) return false;
        Ifnet ifp;
        if (dst.isV4()) {
            int d = dst.v4();
            if (isLocal(d)) {
                ifp = loopback();
            } else {
                Route r = routes.lookup(d);
                if (r == null || r.gateway() != 0) return false;
                ifp = r.ifp();
            }
        } else if (isLocal6(dst)) {
            ifp = loopback();
        } else {
            Route6.Entry r = routes6.lookup(dst, now());
            if (r == null || r.gateway() != null) return false;
            ifp = r.ifp();
        }
        return ifp != null && ifp.checksumTrusted() && ipLen <= pathMtu(dst);
    }

    private void dispatch(Ifnet ifp, Mbuf m) {
        if (ifp.linkType() == Ifnet.LinkType.LOOPBACK) {
            if (Mbuf.length(m) > 0 && (m.u8(0) >>> 4) == 6) ip6.input(ifp, m);
            else ip.input(ifp, m);
            return;
        }
        m = Mbuf.pullup(m, Ether.HEADER_LEN);
        if (m == null) {
            ifp.ierrors++;
            return;
        }
        byte[] mine = ifp.lladdr();
        boolean forUs = true;
        boolean bcast = true;
        for (int i = 0; i < 6; i++) {
            byte d = m.buf[m.off + Ether.DST + i];
            if (d != mine[i]) forUs = false;
            if (d != (byte) 0xff) bcast = false;
        }
        // RFC 2464 7: IPv6 multicast frames go to 33:33 plus the group's low 32 bits
        boolean group = !forUs && !bcast && m.buf[m.off + Ether.DST] == 0x33 && m.buf[m.off + Ether.DST + 1] == 0x33
                && nd6.joinedMac(ifp, m.buf, m.off + Ether.DST);
        if (!forUs && !bcast && !group) return; // someone else's frame on a shared bus
        int type = m.u16(Ether.TYPE);
        Mbuf payload = Mbuf.trimFront(m, Ether.HEADER_LEN);
        if (type == Ether.TYPE_ARP) arp.input(ifp, payload);
        else if (type == Ether.TYPE_IP) ip.input(ifp, payload);
        else if (type == Ether.TYPE_IPV6) ip6.input(ifp, payload);
    }

    /** Runs the timers due now and whatever they queued. */
    public void poll() {
        timers.runDue(now());
        drain();
    }

    /** IPv4 fragments this stack sent (ipstat's ofragments). */
    public long ipFragmentsSent() {
        return ip.fragmentsSent;
    }

    /** The MTU of the path to {@code dst} (0: no route). */
    public int pathMtu(int dst) {
        return ip.mtuFor(dst);
    }

    /** Whether {@code a} is an address of this host. */
    public boolean isLocalAddress(int a) {
        return isLocal(a);
    }

    /** The source address for packets to {@code dst} (0: no route). */
    public int sourceAddress(int dst) {
        return ip.sourceFor(dst);
    }

    /** The MTU of the path to {@code dst} of either version (0: no route). */
    public int pathMtu(IpAddr dst) {
        return dst.isV4() ? ip.mtuFor(dst.v4()) : ip6.pathMtu(dst);
    }

    /** Whether {@code a} (either version) is a usable address of this host. */
    public boolean isLocalAddress(IpAddr a) {
        return a.isV4() ? isLocal(a.v4()) : isLocal6(a);
    }

    /** The source address for packets to {@code dst} of either version (ANY: no route). */
    public IpAddr sourceAddress(IpAddr dst) {
        return dst.isV4() ? IpAddr.v4(ip.sourceFor(dst.v4())) : ip6.sourceFor(dst);
    }

    /**
     * ip_output or ip6_output for the transport protocols, by the version of {@code dst}: {@code hops} is
     * the TTL or hop limit, {@code tclass} the TOS or traffic class. Returns an errno.
     */
    public int output(Mbuf m, IpAddr src, IpAddr dst, int proto, int hops, int tclass) {
        if (dst.isV4()) return ip.output(m, src.v4(), dst.v4(), proto, hops, tclass, false);
        return ip6.output(m, src, dst, proto, hops, tclass, null);
    }

    /** Sends an IPv6 packet out of {@code ifp} towards {@code nextHop} (Neighbor Discovery resolves it). */
    void ifOutput6(Ifnet ifp, Mbuf packet, IpAddr nextHop) {
        if (ifp.linkType() == Ifnet.LinkType.LOOPBACK) {
            ifp.output(packet);
            return;
        }
        nd6.output(ifp, packet, nextHop);
    }

    /** ip_output for transport protocols: {@code m} is the transport segment; returns an errno. */
    public int ipOutput(Mbuf m, int src, int dst, int proto, int ttl, int tos, boolean df) {
        return ip.output(m, src, dst, proto, ttl, tos, df);
    }

    /** Reports a problem with a received datagram to its sender (ICMP). */
    public void icmpError(Mbuf orig, int type, int code) {
        icmp.error(orig, type, code, 0);
    }

    /** Sends an IP packet out of {@code ifp} towards {@code nextHop} (ARP resolves it on Ethernet). */
    void ifOutput(Ifnet ifp, Mbuf packet, int nextHop) {
        if (ifp.linkType() == Ifnet.LinkType.LOOPBACK) {
            ifp.output(packet);
            return;
        }
        arp.output(ifp, packet, nextHop);
    }
}
