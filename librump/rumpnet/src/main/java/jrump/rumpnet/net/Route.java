package jrump.rumpnet.net;

/**
 * A route (struct rtentry, IPv4): destinations matching {@code dst/prefixLen} go out {@code ifp}, to
 * {@code gateway} (0: directly to the destination, a connected network). {@code mtu} 0 means the
 * interface's MTU.
 */
public record Route(int dst, int prefixLen, int gateway, Ifnet ifp, int mtu) {
    public Route {
        if (prefixLen < 0 || prefixLen > 32) throw new IllegalArgumentException("prefix length " + prefixLen);
        dst &= mask(prefixLen);
    }

    /** The netmask of a prefix length (24 → 0xffffff00). */
    public static int mask(int prefixLen) {
        return prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
    }

    public boolean matches(int addr) {
        return (addr & mask(prefixLen)) == dst;
    }

    /** The next hop for {@code addr}: the gateway, or the address itself on a connected network. */
    public int nextHop(int addr) {
        return gateway != 0 ? gateway : addr;
    }

    /** The path MTU this route allows. */
    public int effectiveMtu() {
        return mtu > 0 ? Math.min(mtu, ifp.mtu()) : ifp.mtu();
    }
}
