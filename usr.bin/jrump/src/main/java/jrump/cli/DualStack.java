package jrump.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * The server's sockets: one PF_INET6 socket with IPV6_V6ONLY 0 bound to :: where the kernel has IPv6, so
 * IPv4 clients (as ::ffff:a.b.c.d, RFC 3493 3.7) and IPv6 ones reach the same service; a PF_INET socket
 * on 0.0.0.0 where it has not.
 */
final class DualStack {
    private DualStack() {
    }

    /** A socket of {@code type} bound to the wildcard address's {@code port}. */
    static int bound(Syscalls sys, int type, int port) {
        int s;
        Sockaddr any;
        try {
            s = sys.socket(Sys.PF_INET6, type, 0);
            try {
                sys.setsockopt(s, Sys.IPPROTO_IPV6, Sys.IPV6_V6ONLY, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0));
            } catch (RumpException e) {
                sys.close(s);
                throw e;
            }
            any = new SockaddrIn6(0, 0, port);
        } catch (RumpException e) {
            if (e.errno() != Errno.EAFNOSUPPORT && e.errno() != Errno.EPROTONOSUPPORT) throw e;
            s = sys.socket(Sys.PF_INET, type, 0);
            any = new SockaddrIn(0, port);
        }
        try {
            sys.bind(s, any);
        } catch (RumpException e) {
            sys.close(s);
            throw e;
        }
        return s;
    }

    /** Whether the kernel opens PF_INET6 sockets. */
    static boolean hasIpv6(Syscalls sys) {
        try {
            sys.close(sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, 0));
            return true;
        } catch (RumpException e) {
            return false;
        }
    }
}
