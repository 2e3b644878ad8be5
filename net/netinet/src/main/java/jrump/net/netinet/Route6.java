package jrump.net.netinet;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpnet.net.Ifnet;

/**
 * The IPv6 routing table: prefixes on links and via gateways, looked up by longest prefix match (RFC 4861
 * section 5.2's prefix list and default router list are entries here: on-link prefixes without a gateway,
 * default routers as ::/0 via the router). Entries learnt from router advertisements expire.
 */
final class Route6 {
    /** A route: {@code dst/prefixLen} out of {@code ifp}, via {@code gateway} (null: on-link). */
    record Entry(IpAddr dst, int prefixLen, IpAddr gateway, Ifnet ifp, int mtu, long expires) {
        IpAddr nextHop(IpAddr to) {
            return gateway == null ? to : gateway;
        }

        int effectiveMtu() {
            return mtu > 0 ? Math.min(mtu, ifp.mtu()) : ifp.mtu();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds or replaces the route to {@code dst/prefixLen} (one per prefix and gateway). */
    void add(Entry e) {
        entries.removeIf(o -> o.prefixLen == e.prefixLen && o.dst.equals(e.dst) && o.ifp == e.ifp
                && java.util.Objects.equals(o.gateway, e.gateway));
        entries.add(e);
    }

    void remove(IpAddr dst, int prefixLen, IpAddr gateway, Ifnet ifp) {
        entries.removeIf(o -> o.prefixLen == prefixLen && o.dst.equals(dst) && o.ifp == ifp
                && java.util.Objects.equals(o.gateway, gateway));
    }

    void deleteInterface(Ifnet ifp) {
        entries.removeIf(e -> e.ifp == ifp);
    }

    /** Longest prefix match at {@code now}, skipping expired entries; null when none. */
    Entry lookup(IpAddr dst, long now) {
        Entry best = null;
        for (Entry e : entries) {
            if (e.expires <= now) continue;
            if (!dst.matches(e.dst, e.prefixLen)) continue;
            if (best == null || e.prefixLen > best.prefixLen) best = e;
        }
        return best;
    }

    /** Forgets expired entries. */
    void expire(long now) {
        entries.removeIf(e -> e.expires <= now);
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
