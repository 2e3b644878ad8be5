package jrump.net.sockin;

import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpuser.HostSockets;

/** Kernel socket addresses to host ones and back: sockaddr_in and sockaddr_in6 (the host's 4 or 16 bytes). */
final class SockinAddr {
    private SockinAddr() {
    }

    /** The host address of {@code a}, or null when sockin does not carry its family. */
    static HostSockets.Address toHost(Sockaddr a) {
        if (a instanceof SockaddrIn in) {
            int v = in.addr();
            return new HostSockets.Address(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}, in.port());
        }
        if (a instanceof SockaddrIn6 in6) return new HostSockets.Address(in6.bytes(), in6.port());
        return null;
    }

    /**
     * The kernel's form of a host address for a socket of family AF_INET6 ({@code inet6}) or AF_INET. The host
     * reports an IPv4 peer of a dual-stack socket as 4 bytes: an AF_INET6 socket sees it v4-mapped
     * (::ffff:a.b.c.d, RFC 4291 2.5.5.2), as a BSD kernel shows it.
     */
    static Sockaddr fromHost(HostSockets.Address a, boolean inet6) {
        if (a == null) return null;
        byte[] ip = a.ip();
        if (ip.length == 4) {
            int v = (ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | ip[3] & 0xff;
            return inet6 ? SockaddrIn6.mapped(v, a.port()) : new SockaddrIn(v, a.port());
        }
        if (ip.length == 16) {
            SockaddrIn6 s = new SockaddrIn6(java.nio.ByteBuffer.wrap(ip).getLong(0), java.nio.ByteBuffer.wrap(ip).getLong(8), a.port());
            if (inet6) return s;
            if (s.isV4Mapped()) return new SockaddrIn((int) s.lo(), a.port());
        }
        return null;
    }
}
