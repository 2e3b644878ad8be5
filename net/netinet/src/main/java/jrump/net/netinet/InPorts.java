package jrump.net.netinet;

/** Port numbers of a transport protocol: the ephemeral range and the random choice in it (RFC 6056 3.3.1). */
public final class InPorts {
    private InPorts() {
    }

    /** RFC 6335 section 6: the dynamic (ephemeral) ports. */
    public static final int EPHEMERAL_FIRST = 49152;
    public static final int EPHEMERAL_LAST = 65535;

    /** A free ephemeral port starting from a random one (RFC 6056 algorithm 1), or 0 when all are taken. */
    public static int pick(NetEnv env, java.util.function.IntPredicate inUse) {
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = (int) Math.floorMod(env.random(), (long) range);
        for (int i = 0; i < range; i++) {
            int p = EPHEMERAL_FIRST + (start + i) % range;
            if (!inUse.test(p)) return p;
        }
        return 0;
    }

    /** The TCP/UDP pseudo-header sum (RFC 9293 3.1, RFC 768). */
    public static long pseudoSum(int src, int dst, int proto, int len) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
    }

    /**
     * The pseudo-header sum of either version: IPv4's (RFC 9293 3.1) for IPv4 addresses, else IPv6's
     * (RFC 8200 section 8.1: both addresses, the upper-layer length as 32 bits, the next header).
     */
    public static long pseudoSum(IpAddr src, IpAddr dst, int proto, int len) {
        if (src.isV4() || dst.isV4()) return pseudoSum(src.v4(), dst.v4(), proto, len);
        return words(src.hi()) + words(src.lo()) + words(dst.hi()) + words(dst.lo()) + (len >>> 16) + (len & 0xffff) + proto;
    }

    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }
}
