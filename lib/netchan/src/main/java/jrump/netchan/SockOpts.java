package jrump.netchan;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;

/** StandardSocketOptions to the kernel's setsockopt/getsockopt levels and names (sys/socket.h, netinet/in.h, netinet/tcp.h). */
final class SockOpts {
    private SockOpts() {
    }

    static final Set<SocketOption<?>> STREAM = Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.IP_TOS);
    static final Set<SocketOption<?>> LISTENER = Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_RCVBUF);
    static final Set<SocketOption<?>> DATAGRAM = Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_BROADCAST,
            StandardSocketOptions.IP_TOS);

    private record Name(int level, int name) {
    }

    private static Name name(KernelFd fd, SocketOption<?> opt) {
        if (opt == StandardSocketOptions.SO_REUSEADDR) return new Name(Sys.SOL_SOCKET, Sys.SO_REUSEADDR);
        if (opt == StandardSocketOptions.SO_REUSEPORT) return new Name(Sys.SOL_SOCKET, Sys.SO_REUSEPORT);
        if (opt == StandardSocketOptions.SO_RCVBUF) return new Name(Sys.SOL_SOCKET, Sys.SO_RCVBUF);
        if (opt == StandardSocketOptions.SO_SNDBUF) return new Name(Sys.SOL_SOCKET, Sys.SO_SNDBUF);
        if (opt == StandardSocketOptions.SO_KEEPALIVE) return new Name(Sys.SOL_SOCKET, Sys.SO_KEEPALIVE);
        if (opt == StandardSocketOptions.SO_BROADCAST) return new Name(Sys.SOL_SOCKET, Sys.SO_BROADCAST);
        if (opt == StandardSocketOptions.SO_LINGER) return new Name(Sys.SOL_SOCKET, Sys.SO_LINGER);
        if (opt == StandardSocketOptions.TCP_NODELAY) return new Name(Sys.IPPROTO_TCP, Sys.TCP_NODELAY);
        if (opt == StandardSocketOptions.IP_TOS) {
            // on a PF_INET6 socket the traffic class, as the JDK maps it (RFC 3542 6.5)
            return fd.v6 ? new Name(Sys.IPPROTO_IPV6, Sys.IPV6_TCLASS) : new Name(Sys.IPPROTO_IP, Sys.IP_TOS);
        }
        throw new UnsupportedOperationException("'" + opt + "' not supported");
    }

    static <T> void set(KernelFd fd, Set<SocketOption<?>> supported, SocketOption<T> opt, T value) throws IOException {
        if (opt == null) throw new NullPointerException();
        if (!supported.contains(opt)) throw new UnsupportedOperationException("'" + opt + "' not supported");
        if (value == null && opt != StandardSocketOptions.SO_LINGER) throw new IllegalArgumentException("Invalid value 'null'");
        if (!opt.type().isInstance(value) && value != null) throw new IllegalArgumentException("Invalid value '" + value + "'");
        Name n = name(fd, opt);
        ByteBuffer b;
        if (opt == StandardSocketOptions.SO_LINGER) {
            int secs = value == null ? -1 : (Integer) value;
            b = buf(8).putInt(0, secs < 0 ? 0 : 1).putInt(4, Math.max(secs, 0)); // struct linger
        } else if (value instanceof Boolean on) {
            b = buf(4).putInt(0, on ? 1 : 0);
        } else {
            int v = (Integer) value;
            if (v < 0 || (v == 0 && (opt == StandardSocketOptions.SO_RCVBUF || opt == StandardSocketOptions.SO_SNDBUF))) {
                throw new IllegalArgumentException("Invalid value '" + v + "'");
            }
            if (opt == StandardSocketOptions.IP_TOS && v > 255) throw new IllegalArgumentException("Invalid IP_TOS value");
            b = buf(4).putInt(0, v);
        }
        fd.enter();
        try {
            fd.sys.setsockopt(fd.fd, n.level, n.name, b);
        } catch (RumpException e) {
            throw Errnos.io(e);
        } finally {
            fd.exit();
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T get(KernelFd fd, Set<SocketOption<?>> supported, SocketOption<T> opt) throws IOException {
        if (opt == null) throw new NullPointerException();
        if (!supported.contains(opt)) throw new UnsupportedOperationException("'" + opt + "' not supported");
        Name n = name(fd, opt);
        ByteBuffer b = buf(opt == StandardSocketOptions.SO_LINGER ? 8 : 4);
        fd.enter();
        try {
            fd.sys.getsockopt(fd.fd, n.level, n.name, b);
        } catch (RumpException e) {
            throw Errnos.io(e);
        } finally {
            fd.exit();
        }
        if (opt == StandardSocketOptions.SO_LINGER) return (T) Integer.valueOf(b.getInt(0) == 0 ? -1 : b.getInt(4));
        if (opt.type() == Boolean.class) return (T) Boolean.valueOf(b.getInt(0) != 0);
        return (T) Integer.valueOf(b.getInt(0));
    }

    private static ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
    }
}
