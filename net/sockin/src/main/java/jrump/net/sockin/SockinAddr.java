package jrump.net.sockin;

import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpuser.HostSockets;

/** Kernel socket addresses to host ones and back (IPv6 adds its record here). */
final class SockinAddr {
    private SockinAddr() {
    }

    /** The host address of {@code a}, or null when sockin does not carry its family. */
    static HostSockets.Address toHost(Sockaddr a) {
        if (a instanceof SockaddrIn in) {
            int v = in.addr();
            return new HostSockets.Address(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}, in.port());
        }
        return null;
    }

    static Sockaddr fromHost(HostSockets.Address a) {
        if (a == null) return null;
        byte[] ip = a.ip();
        if (ip.length == 4) {
            int v = (ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | ip[3] & 0xff;
            return new SockaddrIn(v, a.port());
        }
        return null; // IPv6: with rumpkern's SockaddrIn6
    }
}
