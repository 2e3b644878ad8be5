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
 * One IPv4 network stack: its interfaces and addresses, routes, ARP, IP, ICMP, UDP and TCP. Passive: it
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
    private final ArrayDeque<Object[]> inq = new ArrayDeque<>();
    private boolean draining;

    public Inet(NetEnv env, Timers.Listener timerListener) {
        this.env = env;
        this.timers = new Timers(timerListener);
        this.arp = new Arp(this);
        this.ip = new Ip(this);
        this.icmp = new Icmp(this);
        this.udp = new Udp(this);
        this.tcp = new Tcp(this);
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
        routes.deleteInterface(ifp);
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
            while ((e = inq.poll()) != null) dispatch((Ifnet) e[0], (Mbuf) e[1]);
        } finally {
            draining = false;
        }
    }

    private void dispatch(Ifnet ifp, Mbuf m) {
        if (ifp.linkType() == Ifnet.LinkType.LOOPBACK) {
            ip.input(ifp, m);
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
        if (!forUs && !bcast) return; // someone else's frame on a shared bus
        int type = m.u16(Ether.TYPE);
        Mbuf payload = Mbuf.trimFront(m, Ether.HEADER_LEN);
        if (type == Ether.TYPE_ARP) arp.input(ifp, payload);
        else if (type == Ether.TYPE_IP) ip.input(ifp, payload);
    }

    /** Runs the timers due now and whatever they queued. */
    public void poll() {
        timers.runDue(now());
        drain();
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
