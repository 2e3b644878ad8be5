package jrump.rumpnet.net;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;

/**
 * The IPv4 routing table: longest-prefix match over the routes, the default route being 0.0.0.0/0.
 * Routes are kept sorted by prefix length, longest first, so a lookup returns the first match (a linear
 * scan: tables of rump kernels are small; a radix tree can replace it behind the same methods).
 * Guarded by the network lock.
 */
public final class RouteTable {
    private final List<Route> routes = new ArrayList<>();

    /** rtrequest(RTM_ADD): EEXIST when the same destination is routed already. */
    public int add(Route r) {
        for (Route o : routes) {
            if (o.dst() == r.dst() && o.prefixLen() == r.prefixLen()) return Errno.EEXIST.number();
        }
        int i = 0;
        while (i < routes.size() && routes.get(i).prefixLen() >= r.prefixLen()) i++;
        routes.add(i, r);
        return 0;
    }

    /** rtrequest(RTM_DELETE): ESRCH when there is no such route. */
    public int delete(int dst, int prefixLen) {
        int masked = dst & Route.mask(prefixLen);
        boolean removed = routes.removeIf(r -> r.dst() == masked && r.prefixLen() == prefixLen);
        return removed ? 0 : Errno.ESRCH.number();
    }

    /** Removes every route through {@code ifp} (the interface went away). */
    public void deleteInterface(Ifnet ifp) {
        routes.removeIf(r -> r.ifp() == ifp);
    }

    /** rtalloc: the longest-prefix match for {@code addr}, or null (no route to host). */
    public Route lookup(int addr) {
        for (Route r : routes) {
            if (r.matches(addr) && r.ifp().up()) return r;
        }
        return null;
    }

    public List<Route> list() {
        return List.copyOf(routes);
    }
}
