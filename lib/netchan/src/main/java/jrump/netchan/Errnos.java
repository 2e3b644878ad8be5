package jrump.netchan;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;

/** A kernel errno as the exception the JDK's own channels throw for it, with the JDK's message. */
final class Errnos {
    private Errnos() {
    }

    static IOException io(RumpException e) {
        return io(e.errno());
    }

    static IOException io(Errno errno) {
        return switch (errno) {
            case ECONNREFUSED -> new ConnectException("Connection refused");
            case ETIMEDOUT -> new ConnectException("Connection timed out");
            case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN -> new NoRouteToHostException("No route to host");
            case EADDRINUSE -> new BindException("Address already in use");
            case EADDRNOTAVAIL -> new BindException("Cannot assign requested address");
            case ECONNRESET -> new SocketException("Connection reset");
            case EPIPE -> new SocketException("Broken pipe");
            case ECONNABORTED -> new SocketException("Software caused connection abort");
            case EMSGSIZE -> new SocketException("Message too long");
            default -> new IOException(errno.message() + " (" + errno.name() + ")");
        };
    }

    /** ECONNREFUSED on a connected datagram socket: the JDK's PortUnreachableException. */
    static IOException datagram(RumpException e) {
        if (e.errno() == Errno.ECONNREFUSED) return new PortUnreachableException("ICMP Port Unreachable");
        return io(e);
    }
}
