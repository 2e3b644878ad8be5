package jrump.netchan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;

/**
 * java.net addresses to and from the kernel's sockaddrs. The one place that knows which families the
 * channels carry: IPv4 only for now (an IPv6 address is UnsupportedAddressTypeException, the JDK's answer
 * for a family a channel does not take); IPv6 is a case here and in {@link #toJava} once the kernel has
 * SockaddrIn6.
 */
final class InetAddrs {
    private InetAddrs() {
    }

    /** A channel's bind/connect/send address to a sockaddr_in; null binds to the wildcard, any port. */
    static SockaddrIn toKernel(SocketAddress sa) {
        if (sa == null) return new SockaddrIn(SockaddrIn.INADDR_ANY, 0);
        if (!(sa instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        return new SockaddrIn(toKernel(isa.getAddress()), isa.getPort());
    }

    static int toKernel(InetAddress a) {
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }
        if (a.isAnyLocalAddress()) return SockaddrIn.INADDR_ANY; // "::" as the wildcard, as dual-stack code passes it
        throw new UnsupportedAddressTypeException();
    }

    static InetSocketAddress toJava(Sockaddr sa) {
        if (sa instanceof SockaddrIn in) return new InetSocketAddress(toJava(in.addr()), in.port());
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
}
