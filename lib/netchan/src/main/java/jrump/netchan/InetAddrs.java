package jrump.netchan;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;

/**
 * java.net addresses to and from the kernel's sockaddrs. A PF_INET socket takes Inet4Address only (an
 * Inet6Address is UnsupportedAddressTypeException, the JDK's answer for a family a channel does not take);
 * a PF_INET6 socket takes both, an Inet4Address as its v4-mapped form (RFC 4291 2.5.5.2), and its
 * v4-mapped peers come back as Inet4Address, as the JDK's dual-stack sockets show them.
 */
final class InetAddrs {
    private InetAddrs() {
    }

    /** A channel's bind/connect/send address to a sockaddr of the socket's family; null: wildcard, any port. */
    static Sockaddr toKernel(SocketAddress sa, boolean v6) {
        if (sa == null) return v6 ? new SockaddrIn6(0, 0, 0) : new SockaddrIn(SockaddrIn.INADDR_ANY, 0);
        if (!(sa instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        InetAddress a = isa.getAddress();
        int port = isa.getPort();
        if (!v6) return new SockaddrIn(toKernel(a), port);
        if (a instanceof Inet4Address) {
            // the JDK binds a dual-stack socket given 0.0.0.0 to ::, not ::ffff:0.0.0.0
            if (a.isAnyLocalAddress()) return new SockaddrIn6(0, 0, port);
            return SockaddrIn6.mapped(toKernel(a), port);
        }
        byte[] b = a.getAddress();
        int scope = a instanceof Inet6Address a6 ? a6.getScopeId() : 0;
        return new SockaddrIn6(longAt(b, 0), longAt(b, 8), port, 0, scope);
    }

    /** An IPv4 address as the kernel's int; "::" is the wildcard as dual-stack code passes it. */
    static int toKernel(InetAddress a) {
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }
        if (a.isAnyLocalAddress()) return SockaddrIn.INADDR_ANY;
        throw new UnsupportedAddressTypeException();
    }

    static InetSocketAddress toJava(Sockaddr sa) {
        if (sa instanceof SockaddrIn in) return new InetSocketAddress(toJava(in.addr()), in.port());
        if (sa instanceof SockaddrIn6 in6) {
            if (in6.isV4Mapped()) return new InetSocketAddress(toJava((int) in6.lo()), in6.port());
            try {
                return new InetSocketAddress(Inet6Address.getByAddress(null, in6.bytes(), in6.scopeId()), in6.port());
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // sixteen bytes are always an address
            }
        }
        return null;
    }

    static InetAddress toJava(int addr) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    private static long longAt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (b[off + i] & 0xff);
        return v;
    }
}
