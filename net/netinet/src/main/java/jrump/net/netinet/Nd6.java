package jrump.net.netinet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jrump.net.netinet.wire.Ether;
import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.Ipv6Header;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Timers;

/**
 * Neighbor Discovery for a host (RFC 4861) and stateless address autoconfiguration (RFC 4862): the
 * neighbour cache with Neighbor Unreachability Detection's states and packets queued while a neighbour
 * resolves, neighbour solicitation and advertisement, router solicitation and the processing of router
 * advertisements (default routers, on-link prefixes, SLAAC addresses with lifetimes, the link MTU),
 * duplicate address detection of every address, and the multicast groups an interface listens to.
 */
public final class Nd6 {
    /** RFC 4861 7.3.2. */
    public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE }

    /** RFC 4861 section 10 host constants. */
    static final long MAX_RTR_SOLICITATION_DELAY_NANOS = 1_000_000_000L;
    static final long RTR_SOLICITATION_INTERVAL_NANOS = 4_000_000_000L;
    static final int MAX_RTR_SOLICITATIONS = 3;
    /** RFC 4862 5.5.3 (e): lifetimes are not shortened below two hours by an unauthenticated RA. */
    static final long TWO_HOURS_NANOS = 2L * 3600 * 1_000_000_000L;

    final class Neighbor {
        final Ifnet ifp;
        final IpAddr addr;
        byte[] mac;
        State state = State.INCOMPLETE;
        boolean isRouter;
        int probes;
        long reachableUntil;
        final ArrayDeque<Mbuf> hold = new ArrayDeque<>();
        final Timers.Timer timer;

        Neighbor(Ifnet ifp, IpAddr addr) {
            this.ifp = ifp;
            this.addr = addr;
            this.timer = inet.timers().create(() -> expire(this));
        }
    }

    /** Per interface: the groups it listens to, router solicitation, what RAs said. */
    private final class IfState {
        final Ifnet ifp;
        final Set<IpAddr> groups = new HashSet<>();
        int rsSent;
        boolean raSeen;
        long reachableNanos;
        long retransNanos;
        /** ReachableTime as last drawn, for the base it was drawn from, and when (RFC 6.3.2: redrawn every few hours). */
        long reachableTime;
        long reachableBase;
        long reachableDrawnAt;
        int linkMtu;
        final Timers.Timer rsTimer;

        IfState(Ifnet ifp) {
            this.ifp = ifp;
            this.rsTimer = inet.timers().create(() -> solicitRouter(this));
        }
    }

    /** RFC 7217 section 7: IDGEN_RETRIES, new stable identifiers tried after a duplicate. */
    static final int IDGEN_RETRIES = 3;

    private final Inet inet;
    private final byte[] secretKey = new byte[16];
    private final Map<Ifnet, Map<IpAddr, Neighbor>> cache = new HashMap<>();
    private final Map<Ifnet, IfState> ifs = new HashMap<>();
    // counters (nd6 / icmp6 statistics)
    public long duplicatesDetected;
    public long solicitationsSent;
    public long advertisementsSent;
    public long routerSolicitationsSent;
    public long routerAdvertisementsReceived;
    public long invalid;
    public long heldDropped;

    Nd6(Inet inet) {
        this.inet = inet;
        java.nio.ByteBuffer.wrap(secretKey).putLong(inet.env().random()).putLong(inet.env().random());
    }

    /**
     * RFC 7217 section 5: RID = F(Prefix, Net_Iface, Network_ID, DAD_Counter, secret_key) with F SHA-256 and
     * its first 64 bits (no Network_ID here); identifiers reserved by RFC 5453 are skipped.
     */
    long stableIid(IpAddr prefix, Ifnet ifp, int dadCounter) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (int extra = 0; ; extra++) {
                md.reset();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 64 + 4 + 16);
                b.putLong(prefix.hi()).put(ifp.name().getBytes(java.nio.charset.StandardCharsets.UTF_8), 0,
                        Math.min(64, ifp.name().length())).putInt(dadCounter + extra).put(secretKey);
                md.update(b.array(), 0, b.position());
                long iid = java.nio.ByteBuffer.wrap(md.digest()).getLong();
                boolean reserved = iid == 0 || (iid & 0xffff_ffff_ffff_ff80L) == 0xfdff_ffff_ffff_ff80L
                        || (iid & 0xffff_ffff_ff00_0000L) == 0x0200_5eff_fe00_0000L;
                if (!reserved) return iid;
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private IfState state(Ifnet ifp) {
        return ifs.computeIfAbsent(ifp, IfState::new);
    }

    private Map<IpAddr, Neighbor> cache(Ifnet ifp) {
        return cache.computeIfAbsent(ifp, k -> new HashMap<>());
    }

    // --- interfaces, groups and addresses ----------------------------------------------------------

    /** The modified EUI-64 interface identifier of a MAC address (RFC 4291 appendix A, RFC 2464 section 4). */
    static long eui64(byte[] mac) {
        long id = 0;
        byte[] b = {(byte) (mac[0] ^ 0x02), mac[1], mac[2], (byte) 0xff, (byte) 0xfe, mac[3], mac[4], mac[5]};
        for (byte x : b) id = (id << 8) | (x & 0xff);
        return id;
    }

    /**
     * An Ethernet interface came up: it joins all-nodes and gets its link-local address fe80::/64 plus the
     * EUI-64 identifier (RFC 4862 5.3), tentative until DAD passes; router solicitation follows.
     */
    void attach(Ifnet ifp) {
        IfState s = state(ifp);
        s.groups.add(IpAddr.ALL_NODES);
        inet.routes6().add(new Route6.Entry(new IpAddr(0xfe80_0000_0000_0000L, 0), 64, null, ifp, 0, Long.MAX_VALUE));
        inet.addAddress6(ifp, new IpAddr(0xfe80_0000_0000_0000L, eui64(ifp.lladdr())), 64, false);
    }

    void detach(Ifnet ifp) {
        IfState s = ifs.remove(ifp);
        if (s != null) s.rsTimer.cancel();
        Map<IpAddr, Neighbor> c = cache.remove(ifp);
        if (c != null) c.values().forEach(n -> n.timer.cancel());
    }

    /** Whether {@code ifp} listens to multicast group {@code g}. */
    boolean joined(Ifnet ifp, IpAddr g) {
        IfState s = ifs.get(ifp);
        return s != null && s.groups.contains(g);
    }

    /** Whether an Ethernet destination {@code mac} (33:33:...) is one of the groups of {@code ifp} (RFC 2464 7). */
    boolean joinedMac(Ifnet ifp, byte[] frame, int at) {
        IfState s = ifs.get(ifp);
        if (s == null) return false;
        for (IpAddr g : s.groups) {
            byte[] gm = g.multicastMac();
            if (Arrays.equals(gm, 0, 6, frame, at, at + 6)) return true;
        }
        return false;
    }

    /** The link MTU an RA announced for {@code ifp} (0: none). */
    int linkMtu(Ifnet ifp) {
        IfState s = ifs.get(ifp);
        return s == null ? 0 : s.linkMtu;
    }

    /** The groups {@code ifp} listens to (MLD's reports). */
    List<IpAddr> groups(Ifnet ifp) {
        IfState s = ifs.get(ifp);
        return s == null ? List.of() : List.copyOf(s.groups);
    }

    /** RFC 4862 5.4: a new address joins its solicited-node group and is tentative until DAD passes. */
    void startDad(In6Ifaddr ia) {
        if (state(ia.ifp).groups.add(ia.addr.solicitedNode())) inet.mld6().joined(ia.ifp, ia.addr.solicitedNode());
        int transmits = inet.tunables().dadTransmits;
        if (transmits <= 0) {
            dadPassed(ia);
            return;
        }
        ia.state = In6Ifaddr.State.TENTATIVE;
        ia.dadSent = 0;
        ia.dadTimer = inet.timers().create(() -> dadTick(ia));
        // RFC 4862 5.4.2: the first solicitation after a random delay, against synchronised starts
        ia.dadTimer.at(inet.now() + Math.floorMod(inet.env().random(), MAX_RTR_SOLICITATION_DELAY_NANOS));
    }

    private void dadTick(In6Ifaddr ia) {
        if (ia.state != In6Ifaddr.State.TENTATIVE || !inet.addresses6().contains(ia)) return;
        if (ia.dadSent >= inet.tunables().dadTransmits) {
            dadPassed(ia);
            return;
        }
        ia.dadSent++;
        sendSolicitation(ia.ifp, ia.addr, null, null); // from ::, to the solicited-node group
        ia.dadTimer.at(inet.now() + retrans(ia.ifp));
    }

    private void dadPassed(In6Ifaddr ia) {
        ia.state = ia.preferredUntil <= inet.now() ? In6Ifaddr.State.DEPRECATED : In6Ifaddr.State.PREFERRED;
        if (ia.addr.isLinkLocal()) {
            IfState s = state(ia.ifp);
            // RFC 4861 6.3.7: solicit routers once the link-local address is usable
            if (inet.tunables().acceptRouterAdvertisements && !s.raSeen && s.rsSent == 0) solicitRouter(s);
        }
        // RFC 4862 5.4.1 lets unsolicited NAs announce the address; neighbours learn it from traffic instead
    }

    /** RFC 4862 5.4.5: a duplicate is never used (and stays for the administrator to see). */
    private void duplicate(In6Ifaddr ia) {
        if (ia.state != In6Ifaddr.State.TENTATIVE) return;
        duplicatesDetected++;
        ia.state = In6Ifaddr.State.DUPLICATE;
        if (ia.dadTimer != null) ia.dadTimer.cancel();
        // RFC 7217 section 6: a stable address that collided is formed again with the next DAD_Counter
        if (ia.autoconf && inet.tunables().stableAddresses && ia.dadCounter + 1 <= IDGEN_RETRIES) {
            IpAddr prefix = ia.addr.prefix(64);
            int counter = ia.dadCounter + 1;
            IpAddr a = new IpAddr(prefix.hi(), stableIid(prefix, ia.ifp, counter));
            if (inet.address6(ia.ifp, a) != null) return;
            In6Ifaddr next = inet.addAutoconf6(ia.ifp, a, 64, counter);
            next.validUntil = ia.validUntil;
            next.preferredUntil = ia.preferredUntil;
        }
    }

    private long retrans(Ifnet ifp) {
        IfState s = ifs.get(ifp);
        return s != null && s.retransNanos > 0 ? s.retransNanos : inet.tunables().ndRetransNanos;
    }

    /**
     * RFC 4861 6.3.2: ReachableTime, the base randomised between 0.5 and 1.5 times, drawn again when the base
     * changes or after two hours (not for every confirmation: TCP confirms on every acknowledgement).
     */
    private long reachableTime(Ifnet ifp) {
        IfState s = state(ifp);
        long base = s.reachableNanos > 0 ? s.reachableNanos : inet.tunables().ndReachableNanos;
        long now = inet.now();
        if (s.reachableTime == 0 || s.reachableBase != base || now - s.reachableDrawnAt > TWO_HOURS_NANOS) {
            s.reachableTime = base / 2 + Math.floorMod(inet.env().random(), Math.max(1, base));
            s.reachableBase = base;
            s.reachableDrawnAt = now;
        }
        return s.reachableTime;
    }

    // --- output and the neighbour cache -------------------------------------------------------------

    /** nd6_output: frames the packet to the next hop's link address, resolving it first when needed. */
    void output(Ifnet ifp, Mbuf packet, IpAddr nextHop) {
        if (nextHop.isMulticast()) {
            inet.arp().send(ifp, packet, nextHop.multicastMac(), Ether.TYPE_IPV6);
            return;
        }
        Map<IpAddr, Neighbor> c = cache(ifp);
        Neighbor n = c.get(nextHop);
        long now = inet.now();
        if (n == null) {
            n = new Neighbor(ifp, nextHop);
            c.put(nextHop, n);
        }
        if (n.state == State.REACHABLE && now >= n.reachableUntil) n.state = State.STALE;
        switch (n.state) {
            case INCOMPLETE -> {
                if (n.hold.size() >= inet.tunables().ndHoldPackets) {
                    n.hold.poll();
                    heldDropped++;
                }
                n.hold.add(packet);
                if (!n.timer.pending()) {
                    n.probes = 1;
                    sendSolicitation(ifp, nextHop, sourceOf(packet), null);
                    n.timer.at(now + retrans(ifp));
                }
            }
            case STALE -> { // RFC 4861 7.3.3: traffic to a stale entry starts the delay before probing
                n.state = State.DELAY;
                n.timer.at(now + inet.tunables().ndDelayNanos);
                inet.arp().send(ifp, packet, n.mac, Ether.TYPE_IPV6);
            }
            default -> inet.arp().send(ifp, packet, n.mac, Ether.TYPE_IPV6);
        }
    }

    private IpAddr sourceOf(Mbuf packet) {
        Mbuf p = Mbuf.pullup(packet, Ipv6Header.LEN);
        return p == null ? IpAddr.ANY : IpAddr.read(p, Ipv6Header.SRC);
    }

    /** The NUD timer of a neighbour (RFC 4861 7.3.3 and 7.2.2). */
    private void expire(Neighbor n) {
        long now = inet.now();
        int max = inet.tunables().ndMaxSolicit;
        switch (n.state) {
            case INCOMPLETE -> {
                if (n.probes < max) {
                    n.probes++;
                    sendSolicitation(n.ifp, n.addr, n.hold.isEmpty() ? IpAddr.ANY : sourceOf(n.hold.peekLast()), null);
                    n.timer.at(now + retrans(n.ifp));
                    return;
                }
                // RFC 4861 7.2.2: address unreachable for each packet queued
                remove(n);
                Mbuf m;
                while ((m = n.hold.poll()) != null) {
                    inet.icmp6().error(m, Icmp6Header.DST_UNREACH, Icmp6Header.UNREACH_ADDR, 0);
                }
            }
            case DELAY -> {
                n.state = State.PROBE;
                n.probes = 1;
                sendSolicitation(n.ifp, n.addr, IpAddr.ANY, n.addr);
                n.timer.at(now + retrans(n.ifp));
            }
            case PROBE -> {
                if (n.probes < max) {
                    n.probes++;
                    sendSolicitation(n.ifp, n.addr, IpAddr.ANY, n.addr);
                    n.timer.at(now + retrans(n.ifp));
                } else {
                    remove(n);
                }
            }
            default -> {
            }
        }
    }

    private void remove(Neighbor n) {
        n.timer.cancel();
        Map<IpAddr, Neighbor> c = cache.get(n.ifp);
        if (c != null && c.get(n.addr) == n) c.remove(n.addr);
        if (n.isRouter) inet.routes6().remove(IpAddr.ANY, 0, n.addr, n.ifp); // RFC 4861 7.3.3: unreachable router
    }

    /** The state of the entry for {@code addr} on {@code ifp}, or null (tests and diagnostics). */
    public State neighborState(Ifnet ifp, IpAddr addr) {
        Neighbor n = cache(ifp).get(addr);
        if (n == null) return null;
        if (n.state == State.REACHABLE && inet.now() >= n.reachableUntil) return State.STALE;
        return n.state;
    }

    /** The link address known for {@code addr} on {@code ifp}, or null. */
    public byte[] neighborMac(Ifnet ifp, IpAddr addr) {
        Neighbor n = cache(ifp).get(addr);
        return n == null || n.mac == null ? null : n.mac.clone();
    }

    /**
     * An upper layer saw forward progress with {@code addr} (RFC 4861 7.3.1's reachability confirmation,
     * as TCP's new acknowledgements are): the entry becomes REACHABLE again.
     */
    public void confirm(IpAddr addr) {
        for (Map<IpAddr, Neighbor> c : cache.values()) {
            Neighbor n = c.get(addr);
            if (n == null || n.mac == null) continue;
            if (n.state == State.REACHABLE) n.reachableUntil = inet.now() + reachableTime(n.ifp);
            else reachable(n);
        }
    }

    private void reachable(Neighbor n) {
        n.state = State.REACHABLE;
        n.reachableUntil = inet.now() + reachableTime(n.ifp);
        n.probes = 0;
        n.timer.cancel();
    }

    private void flush(Neighbor n) {
        Mbuf m;
        while ((m = n.hold.poll()) != null) inet.arp().send(n.ifp, m, n.mac, Ether.TYPE_IPV6);
    }

    /** Creates or updates the entry of a neighbour that told us its link address (RFC 4861 7.2.3, 6.3.4). */
    private Neighbor learn(Ifnet ifp, IpAddr addr, byte[] mac) {
        Map<IpAddr, Neighbor> c = cache(ifp);
        Neighbor n = c.get(addr);
        if (n == null) {
            n = new Neighbor(ifp, addr);
            c.put(addr, n);
        }
        if (n.mac == null || !Arrays.equals(n.mac, mac)) {
            n.mac = mac;
            n.state = State.STALE;
            n.timer.cancel();
            flush(n);
        }
        return n;
    }

    // --- messages out ------------------------------------------------------------------------------

    private static Mbuf message(int type, int bodyLen) {
        Mbuf m = Mbuf.header(Mbuf.MAX_HDR + bodyLen);
        m.prepend(bodyLen);
        for (int i = 0; i < bodyLen; i++) m.put8(i, 0);
        m.put8(Icmp6Header.TYPE, type);
        return m;
    }

    private static void putLinkOption(Mbuf m, int at, int type, byte[] mac) {
        m.put8(at, type);
        m.put8(at + 1, 1); // units of 8 bytes
        System.arraycopy(mac, 0, m.buf, m.off + at + 2, 6);
    }

    /**
     * A neighbour solicitation for {@code target} from {@code src} (null: ::, DAD; ANY: chosen), to
     * {@code unicast} (NUD probes) or else the target's solicited-node group (RFC 4861 4.3, 7.2.2).
     */
    void sendSolicitation(Ifnet ifp, IpAddr target, IpAddr src, IpAddr unicast) {
        if (src != null && !src.isAny() && !inet.isLocal6(src)) src = IpAddr.ANY;
        if (src != null && src.isAny()) {
            src = inet.ip6().sourceOn(ifp, target);
            if (src.isAny()) return; // no usable address yet
        }
        boolean slla = src != null;
        Mbuf m = message(Icmp6Header.NEIGHBOR_SOLICIT, Icmp6Header.ND_OPTIONS + (slla ? 8 : 0));
        target.write(m, Icmp6Header.ND_TARGET);
        if (slla) putLinkOption(m, Icmp6Header.ND_OPTIONS, Icmp6Header.OPT_SOURCE_LLADDR, ifp.lladdr());
        solicitationsSent++;
        inet.icmp6().send(m, src, unicast != null ? unicast : target.solicitedNode(), Icmp6Header.ND_HOP_LIMIT, ifp);
    }

    private void sendAdvertisement(Ifnet ifp, IpAddr target, IpAddr dst, int flags) {
        Mbuf m = message(Icmp6Header.NEIGHBOR_ADVERT, Icmp6Header.ND_OPTIONS + 8);
        m.put8(4, flags);
        target.write(m, Icmp6Header.ND_TARGET);
        putLinkOption(m, Icmp6Header.ND_OPTIONS, Icmp6Header.OPT_TARGET_LLADDR, ifp.lladdr());
        advertisementsSent++;
        inet.icmp6().send(m, target, dst, Icmp6Header.ND_HOP_LIMIT, ifp);
    }

    /** RFC 4861 6.3.7: up to 3 router solicitations 4 s apart until an advertisement comes. */
    private void solicitRouter(IfState s) {
        if (s.raSeen || s.rsSent >= MAX_RTR_SOLICITATIONS || !ifs.containsKey(s.ifp)) return;
        IpAddr src = inet.ip6().sourceOn(s.ifp, IpAddr.ALL_ROUTERS);
        Mbuf m = message(Icmp6Header.ROUTER_SOLICIT, Icmp6Header.RS_OPTIONS + (src.isAny() ? 0 : 8));
        if (!src.isAny()) putLinkOption(m, Icmp6Header.RS_OPTIONS, Icmp6Header.OPT_SOURCE_LLADDR, s.ifp.lladdr());
        s.rsSent++;
        routerSolicitationsSent++;
        inet.icmp6().send(m, src.isAny() ? null : src, IpAddr.ALL_ROUTERS, Icmp6Header.ND_HOP_LIMIT, s.ifp);
        s.rsTimer.at(inet.now() + RTR_SOLICITATION_INTERVAL_NANOS);
    }

    // --- messages in -------------------------------------------------------------------------------

    /** The options of an ND message from {@code at}: {type, offset} pairs, or null when one is malformed (RFC 4861 4.6). */
    private static List<int[]> options(Mbuf m, int at, int end) {
        List<int[]> out = new ArrayList<>();
        while (at < end) {
            if (at + 2 > end) return null;
            int len = m.u8(at + 1) * 8;
            if (len == 0 || at + len > end) return null; // a zero length MUST be dropped
            out.add(new int[] {m.u8(at), at, len});
            at += len;
        }
        return out;
    }

    private static byte[] linkOption(Mbuf m, List<int[]> opts, int type) {
        for (int[] o : opts) {
            if (o[0] == type && o[2] >= 8) {
                byte[] mac = new byte[6];
                Mbuf.copyOut(m, o[1] + 2, mac, 0, 6);
                return mac;
            }
        }
        return null;
    }

    void input(Ifnet ifp, Mbuf m, int off, int len, int type, IpAddr src, IpAddr dst) {
        if (ifp.linkType() != Ifnet.LinkType.ETHERNET) return;
        // RFC 4861 6.1, 7.1: from the link itself (hop limit 255), code 0
        if (m.u8(Ipv6Header.HOP_LIMIT) != Icmp6Header.ND_HOP_LIMIT || m.u8(off + Icmp6Header.CODE) != 0) {
            invalid++;
            return;
        }
        m = Mbuf.pullup(m, off + len);
        if (m == null) return;
        switch (type) {
            case Icmp6Header.NEIGHBOR_SOLICIT -> solicitation(ifp, m, off, len, src, dst);
            case Icmp6Header.NEIGHBOR_ADVERT -> advertisement(ifp, m, off, len, dst);
            case Icmp6Header.ROUTER_ADVERT -> routerAdvertisement(ifp, m, off, len, src);
            default -> {
                // router solicitations are for routers (RFC 4861 6.2.6): a host ignores them
            }
        }
    }

    /** RFC 4861 7.1.1 and 7.2.3; RFC 4862 5.4.3 for a tentative target. */
    private void solicitation(Ifnet ifp, Mbuf m, int off, int len, IpAddr src, IpAddr dst) {
        if (len < Icmp6Header.ND_OPTIONS) {
            invalid++;
            return;
        }
        IpAddr target = IpAddr.read(m, off + Icmp6Header.ND_TARGET);
        List<int[]> opts = options(m, off + Icmp6Header.ND_OPTIONS, off + len);
        if (target.isMulticast() || opts == null) {
            invalid++;
            return;
        }
        byte[] slla = linkOption(m, opts, Icmp6Header.OPT_SOURCE_LLADDR);
        if (src.isAny() && (!dst.equals(target.solicitedNode()) || slla != null)) {
            invalid++;
            return;
        }
        In6Ifaddr ia = inet.address6(ifp, target);
        if (ia == null) return;
        if (ia.state == In6Ifaddr.State.TENTATIVE) {
            if (src.isAny()) duplicate(ia); // another node is doing DAD for the same address
            return;
        }
        if (ia.state == In6Ifaddr.State.DUPLICATE) return;
        if (!src.isAny() && slla != null) learn(ifp, src, slla);
        if (src.isAny()) {
            sendAdvertisement(ifp, target, IpAddr.ALL_NODES, Icmp6Header.NA_OVERRIDE);
        } else {
            sendAdvertisement(ifp, target, src, Icmp6Header.NA_SOLICITED | Icmp6Header.NA_OVERRIDE);
        }
    }

    /** RFC 4861 7.1.2 and 7.2.5; RFC 4862 5.4.4 for a tentative target. */
    private void advertisement(Ifnet ifp, Mbuf m, int off, int len, IpAddr dst) {
        if (len < Icmp6Header.ND_OPTIONS) {
            invalid++;
            return;
        }
        int flags = m.u8(off + 4);
        IpAddr target = IpAddr.read(m, off + Icmp6Header.ND_TARGET);
        List<int[]> opts = options(m, off + Icmp6Header.ND_OPTIONS, off + len);
        boolean solicited = (flags & Icmp6Header.NA_SOLICITED) != 0;
        if (target.isMulticast() || opts == null || dst.isMulticast() && solicited) {
            invalid++;
            return;
        }
        In6Ifaddr ia = inet.address6(ifp, target);
        if (ia != null) {
            if (ia.state == In6Ifaddr.State.TENTATIVE) duplicate(ia);
            return;
        }
        Neighbor n = cache(ifp).get(target);
        if (n == null) return; // RFC 4861 7.2.5: no entry, nothing to do
        byte[] tlla = linkOption(m, opts, Icmp6Header.OPT_TARGET_LLADDR);
        boolean override = (flags & Icmp6Header.NA_OVERRIDE) != 0;
        if (n.state == State.INCOMPLETE) {
            if (tlla == null) return;
            n.mac = tlla;
            if (solicited) reachable(n);
            else {
                n.state = State.STALE;
                n.timer.cancel();
            }
            flush(n);
        } else {
            boolean differs = tlla != null && !Arrays.equals(tlla, n.mac);
            if (!override && differs) {
                if (n.state == State.REACHABLE) n.state = State.STALE;
                return;
            }
            if (differs) n.mac = tlla;
            if (solicited) reachable(n);
            else if (differs) {
                n.state = State.STALE;
                n.timer.cancel();
            }
        }
        boolean wasRouter = n.isRouter;
        n.isRouter = (flags & Icmp6Header.NA_ROUTER) != 0;
        if (wasRouter && !n.isRouter) inet.routes6().remove(IpAddr.ANY, 0, n.addr, ifp);
    }

    /** RFC 4861 6.1.2 and 6.3.4; the prefix information by RFC 4862 5.5.3. */
    private void routerAdvertisement(Ifnet ifp, Mbuf m, int off, int len, IpAddr src) {
        if (!src.isLinkLocal() || len < Icmp6Header.RA_OPTIONS) {
            invalid++;
            return;
        }
        List<int[]> opts = options(m, off + Icmp6Header.RA_OPTIONS, off + len);
        if (opts == null) {
            invalid++;
            return;
        }
        if (!inet.tunables().acceptRouterAdvertisements) return;
        routerAdvertisementsReceived++;
        IfState s = state(ifp);
        s.raSeen = true;
        s.rsTimer.cancel();
        long now = inet.now();
        long reachable = m.i32(off + Icmp6Header.RA_REACHABLE) & 0xffffffffL;
        long retransMs = m.i32(off + Icmp6Header.RA_RETRANS) & 0xffffffffL;
        if (reachable != 0) s.reachableNanos = reachable * 1_000_000L;
        if (retransMs != 0) s.retransNanos = retransMs * 1_000_000L;
        int lifetime = m.u16(off + Icmp6Header.RA_LIFETIME);
        byte[] slla = linkOption(m, opts, Icmp6Header.OPT_SOURCE_LLADDR);
        Neighbor router = slla != null ? learn(ifp, src, slla) : cache(ifp).get(src);
        if (router != null) router.isRouter = true;
        if (lifetime > 0) {
            inet.routes6().add(new Route6.Entry(IpAddr.ANY, 0, src, ifp, 0, now + lifetime * 1_000_000_000L));
        } else {
            inet.routes6().remove(IpAddr.ANY, 0, src, ifp); // RFC 4861 6.3.4: a lifetime of 0 ends it
        }
        for (int[] o : opts) {
            if (o[0] == Icmp6Header.OPT_MTU && o[2] == 8) {
                long mtu = m.i32(o[1] + 4) & 0xffffffffL;
                if (mtu >= Ipv6Header.MIN_MTU && mtu <= ifp.mtu()) s.linkMtu = (int) mtu;
            } else if (o[0] == Icmp6Header.OPT_PREFIX_INFO && o[2] == 32) {
                prefixInformation(ifp, m, o[1], now);
            }
        }
    }

    private static long lifetimeNanos(long seconds) {
        return seconds == 0xffffffffL ? Long.MAX_VALUE : seconds * 1_000_000_000L;
    }

    private void prefixInformation(Ifnet ifp, Mbuf m, int at, long now) {
        int plen = m.u8(at + Icmp6Header.PI_PREFIX_LEN);
        int flags = m.u8(at + Icmp6Header.PI_FLAGS);
        long valid = m.i32(at + Icmp6Header.PI_VALID) & 0xffffffffL;
        long preferred = m.i32(at + Icmp6Header.PI_PREFERRED) & 0xffffffffL;
        IpAddr prefix = IpAddr.read(m, at + Icmp6Header.PI_PREFIX);
        if (plen > 128 || prefix.isLinkLocal() || prefix.isMulticast()) return; // RFC 4861 6.3.4, RFC 4862 5.5.3 (b)
        prefix = prefix.prefix(plen);
        long validFor = lifetimeNanos(valid);
        if ((flags & Icmp6Header.PI_ONLINK) != 0) { // the prefix list
            if (valid == 0) inet.routes6().remove(prefix, plen, null, ifp);
            else inet.routes6().add(new Route6.Entry(prefix, plen, null, ifp, 0, sat(now, validFor)));
        }
        if ((flags & Icmp6Header.PI_AUTO) == 0 || preferred > valid) return; // RFC 4862 5.5.3 (a), (c)
        if (plen != 64) return; // RFC 4862 5.5.3 (d): prefix plus a 64-bit identifier must make 128 bits
        In6Ifaddr have = null;
        for (In6Ifaddr ia : inet.addresses6()) {
            if (ia.ifp == ifp && ia.autoconf && ia.addr.matches(prefix, 64) && ia.state != In6Ifaddr.State.DUPLICATE) have = ia;
        }
        long preferredFor = lifetimeNanos(preferred);
        if (have == null) {
            if (valid == 0) return;
            long iid = inet.tunables().stableAddresses ? stableIid(prefix, ifp, 0) : eui64(ifp.lladdr());
            IpAddr a = new IpAddr(prefix.hi(), iid);
            if (inet.address6(ifp, a) != null) return;
            In6Ifaddr ia = inet.addAutoconf6(ifp, a, 64, 0);
            ia.validUntil = sat(now, validFor);
            ia.preferredUntil = sat(now, preferredFor);
            return;
        }
        // RFC 4862 5.5.3 (e): the valid lifetime is not cut below two hours by an advertisement
        long remaining = have.validUntil == Long.MAX_VALUE ? Long.MAX_VALUE : have.validUntil - now;
        if (validFor > TWO_HOURS_NANOS || validFor > remaining) have.validUntil = sat(now, validFor);
        else if (remaining > TWO_HOURS_NANOS) have.validUntil = now + TWO_HOURS_NANOS;
        have.preferredUntil = sat(now, preferredFor);
        if (have.usable()) have.state = have.preferredUntil <= now ? In6Ifaddr.State.DEPRECATED : In6Ifaddr.State.PREFERRED;
    }

    private static long sat(long now, long d) {
        return d == Long.MAX_VALUE || now > Long.MAX_VALUE - d ? Long.MAX_VALUE : now + d;
    }
}
