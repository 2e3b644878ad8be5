package jrump.net.netinet;

import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * An IP address of either version, as the transport protocols keep it: sixteen bytes, IPv4 addresses in
 * their IPv4-mapped form ::ffff:a.b.c.d (RFC 4291 2.5.5.2), so that one TCP and one UDP serve both
 * versions and a PF_INET6 socket reaches IPv4 peers (RFC 3493 3.7). {@link #ANY} is the unspecified
 * address of both versions (INADDR_ANY and ::).
 */
public record IpAddr(long hi, long lo) {
    public static final IpAddr ANY = new IpAddr(0, 0);
    /** ::1 (RFC 4291 2.5.3). */
    public static final IpAddr LOOPBACK6 = new IpAddr(0, 1);
    /** ff02::1, all nodes on the link (RFC 4291 2.7.1). */
    public static final IpAddr ALL_NODES = new IpAddr(0xff02_0000_0000_0000L, 1);
    /** ff02::2, all routers on the link. */
    public static final IpAddr ALL_ROUTERS = new IpAddr(0xff02_0000_0000_0000L, 2);
    private static final long MAPPED = 0xffff_0000_0000L;

    /** The IPv4 address {@code a} (0 is {@link #ANY}). */
    public static IpAddr v4(int a) {
        return a == 0 ? ANY : new IpAddr(0, MAPPED | (a & 0xffffffffL));
    }

    public static IpAddr parse6(String text) {
        long[] a = SockaddrIn6.parse(text);
        return new IpAddr(a[0], a[1]);
    }

    /** Sixteen bytes at {@code at} of {@code m} (network order). */
    public static IpAddr read(Mbuf m, int at) {
        long hi = ((long) m.i32(at) << 32) | (m.i32(at + 4) & 0xffffffffL);
        long lo = ((long) m.i32(at + 8) << 32) | (m.i32(at + 12) & 0xffffffffL);
        return new IpAddr(hi, lo);
    }

    public void write(Mbuf m, int at) {
        m.put32(at, (int) (hi >>> 32));
        m.put32(at + 4, (int) hi);
        m.put32(at + 8, (int) (lo >>> 32));
        m.put32(at + 12, (int) lo);
    }

    /** Whether this is an IPv4 address (IPv4-mapped, or ANY which serves both). */
    public boolean isV4() {
        return hi == 0 && (lo >>> 32) == 0xffff;
    }

    /** The IPv4 address (valid when {@link #isV4()} or ANY). */
    public int v4() {
        return (int) lo;
    }

    public boolean isAny() {
        return hi == 0 && lo == 0;
    }

    /** ff00::/8 (RFC 4291 2.7). */
    public boolean isMulticast() {
        return (hi >>> 56) == 0xff;
    }

    /** fe80::/10 (RFC 4291 2.5.6). */
    public boolean isLinkLocal() {
        return (hi >>> 54) == (0xfe80L >>> 6);
    }

    public boolean isLoopback6() {
        return hi == 0 && lo == 1;
    }

    /** The first {@code len} bits (a prefix, the rest zero). */
    public IpAddr prefix(int len) {
        if (len <= 0) return ANY;
        if (len >= 128) return this;
        if (len <= 64) return new IpAddr(hi & (len == 64 ? -1L : ~(-1L >>> len)), 0);
        return new IpAddr(hi, lo & ~(-1L >>> (len - 64)));
    }

    public boolean matches(IpAddr net, int len) {
        return prefix(len).equals(net.prefix(len));
    }

    /** The number of leading bits equal in both (RFC 6724's CommonPrefixLen). */
    public int commonPrefix(IpAddr o) {
        long x = hi ^ o.hi;
        if (x != 0) return Long.numberOfLeadingZeros(x);
        return 64 + Long.numberOfLeadingZeros(lo ^ o.lo);
    }

    /** ff02::1:ffXX:XXXX, the solicited-node multicast address (RFC 4291 2.7.1). */
    public IpAddr solicitedNode() {
        return new IpAddr(0xff02_0000_0000_0000L, 0x0000_0001_ff00_0000L | (lo & 0xff_ffffL));
    }

    /** The Ethernet multicast address of an IPv6 multicast address: 33:33 and its last 32 bits (RFC 2464 7). */
    public byte[] multicastMac() {
        return new byte[] {0x33, 0x33, (byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
    }

    /** The socket address of this address and {@code port} for a socket of family v6 or not. */
    public Sockaddr sockaddr(boolean v6, int port) {
        return v6 ? new SockaddrIn6(hi, lo, port) : new SockaddrIn(v4(), port);
    }

    /** The address of a socket address of family v4 or v6, or null for another family. */
    public static IpAddr of(Sockaddr s) {
        if (s instanceof SockaddrIn in) return v4(in.addr());
        if (s instanceof SockaddrIn6 in6) {
            IpAddr a = new IpAddr(in6.hi(), in6.lo());
            return a.isV4() && a.v4() == 0 ? ANY : a;
        }
        return null;
    }

    @Override
    public String toString() {
        return isV4() ? SockaddrIn.format(v4()) : SockaddrIn6.format(hi, lo);
    }
}
