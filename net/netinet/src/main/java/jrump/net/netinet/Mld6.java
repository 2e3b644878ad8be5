package jrump.net.netinet;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.Ipv6Header;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * Multicast Listener Discovery version 2 for a host (RFC 3810), the part ND needs: joining a group (the
 * solicited-node group of each address, RFC 4862 5.4.2) is announced by an unsolicited report sent
 * [Robustness Variable] times, and a query is answered with a report of every group the interface is in,
 * so that MLD-snooping switches pass neighbour solicitations to us. The all-nodes group is never reported
 * (RFC 3810 section 6). Leaving groups is not announced (addresses are rarely removed; the membership
 * then times out at the router).
 */
final class Mld6 {
    /** RFC 3810 section 5.2: Version 2 Multicast Listener Report, and 5.1: Multicast Listener Query. */
    static final int REPORT_V2 = 143;
    static final int QUERY = 130;
    /** ff02::16, all MLDv2-capable routers (RFC 3810 5.2.14). */
    static final IpAddr ALL_MLDV2_ROUTERS = new IpAddr(0xff02_0000_0000_0000L, 0x16);
    /** RFC 3810 5.2.12: record types. */
    static final int MODE_IS_EXCLUDE = 2;
    static final int CHANGE_TO_EXCLUDE_MODE = 4;
    /** RFC 3810 9.1 and 9.11: Robustness Variable 2, Unsolicited Report Interval 1 s. */
    static final int ROBUSTNESS = 2;
    static final long UNSOLICITED_INTERVAL_NANOS = 1_000_000_000L;

    private final Inet inet;
    long reportsSent;
    long queriesReceived;

    Mld6(Inet inet) {
        this.inet = inet;
    }

    /** A group joined on {@code ifp}: reported now and once more within the unsolicited report interval. */
    void joined(Ifnet ifp, IpAddr group) {
        if (group.equals(IpAddr.ALL_NODES) || ifp.linkType() != Ifnet.LinkType.ETHERNET) return;
        report(ifp, new IpAddr[] {group}, CHANGE_TO_EXCLUDE_MODE);
        for (int i = 1; i < ROBUSTNESS; i++) {
            jrump.rumpnet.net.Timers.Timer[] t = new jrump.rumpnet.net.Timers.Timer[1];
            t[0] = inet.timers().create(() -> {
                if (inet.nd6().joined(ifp, group)) report(ifp, new IpAddr[] {group}, CHANGE_TO_EXCLUDE_MODE);
            });
            t[0].at(inet.now() + Math.floorMod(inet.env().random(), UNSOLICITED_INTERVAL_NANOS));
        }
    }

    /** RFC 3810 6.2: a query is answered after a random delay within its Maximum Response Delay. */
    void query(Ifnet ifp, Mbuf m, int off, int len) {
        if (len < 28) return; // RFC 3810 5.1.14: an MLDv2 query is at least 28 bytes (MLDv1's 24 are not handled)
        m = Mbuf.pullup(m, off + 28);
        if (m == null) return;
        queriesReceived++;
        int code = m.u16(off + 4);
        // RFC 3810 5.1.3: Maximum Response Code in ms, exponential above 32768
        long maxMs = code < 32768 ? code : (long) ((code & 0x0fff) | 0x1000) << (((code >>> 12) & 7) + 3);
        IpAddr group = IpAddr.read(m, off + 8);
        jrump.rumpnet.net.Timers.Timer[] t = new jrump.rumpnet.net.Timers.Timer[1];
        t[0] = inet.timers().create(() -> {
            java.util.List<IpAddr> groups = new java.util.ArrayList<>();
            for (IpAddr g : inet.nd6().groups(ifp)) {
                if (!g.equals(IpAddr.ALL_NODES) && (group.isAny() || g.equals(group))) groups.add(g);
            }
            if (!groups.isEmpty()) report(ifp, groups.toArray(new IpAddr[0]), MODE_IS_EXCLUDE);
        });
        t[0].at(inet.now() + Math.floorMod(inet.env().random(), Math.max(1, maxMs) * 1_000_000L));
    }

    /**
     * A Version 2 report (RFC 3810 5.2) of {@code groups}, each an EXCLUDE record with no sources, to
     * ff02::16 with hop limit 1 and a hop-by-hop Router Alert (RFC 2711), from our link-local address or
     * :: while it is tentative (RFC 3810 5.2.13).
     */
    private void report(Ifnet ifp, IpAddr[] groups, int recordType) {
        int mlen = 8 + 20 * groups.length;
        Mbuf msg = Mbuf.wrap(new byte[mlen]);
        msg.put8(Icmp6Header.TYPE, REPORT_V2);
        msg.put16(6, groups.length);
        for (int i = 0; i < groups.length; i++) {
            int at = 8 + 20 * i;
            msg.put8(at, recordType);
            groups[i].write(msg, at + 4);
        }
        IpAddr src = IpAddr.ANY;
        for (In6Ifaddr ia : inet.addresses6()) {
            if (ia.ifp == ifp && ia.addr.isLinkLocal() && ia.usable()) src = ia.addr;
        }
        msg.put16(Icmp6Header.CKSUM, Icmp6.checksum(msg, 0, mlen, src, ALL_MLDV2_ROUTERS));
        // hop-by-hop options: Router Alert (type 5, value 0: MLD) and a PadN of 0 bytes, 8 in all
        Mbuf hbh = Mbuf.header(Mbuf.MAX_HDR + 8);
        hbh.prepend(8);
        hbh.put8(0, Sys.IPPROTO_ICMPV6);
        hbh.put8(1, 0);
        hbh.put8(2, 5);
        hbh.put8(3, 2);
        hbh.put16(4, 0);
        hbh.put8(6, Ipv6Header.OPT_PADN);
        hbh.put8(7, 0);
        hbh.next = msg;
        reportsSent++;
        inet.ip6().output(hbh, src.isAny() ? null : src, ALL_MLDV2_ROUTERS, Sys.IPPROTO_HOPOPTS, 1, 0, ifp);
    }
}
