package jrump.rumpuser;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/** Host socket failures as NetBSD errnos (sys/errno.h numbers): the socket half of {@link HostErrno}. */
public final class HostSocketErrno {
    public static final int EPIPE = 32;
    public static final int EINPROGRESS = 36;
    public static final int EALREADY = 37;
    public static final int EDESTADDRREQ = 39;
    public static final int EMSGSIZE = 40;
    public static final int ENOPROTOOPT = 42;
    public static final int EOPNOTSUPP = 45;
    public static final int EAFNOSUPPORT = 47;
    public static final int EADDRINUSE = 48;
    public static final int EADDRNOTAVAIL = 49;
    public static final int ENETUNREACH = 51;
    public static final int ECONNABORTED = 53;
    public static final int ECONNRESET = 54;
    public static final int ENOBUFS = 55;
    public static final int EISCONN = 56;
    public static final int ENOTCONN = 57;
    public static final int ETIMEDOUT = 60;
    public static final int ECONNREFUSED = 61;
    public static final int EHOSTUNREACH = 65;

    private HostSocketErrno() {
    }

    /** Translates a host socket failure (the JDK reports most as messages of strerror). */
    public static int of(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof ClosedChannelException) return HostErrno.EBADF;
        if (e instanceof PortUnreachableException) return ECONNREFUSED;
        if (e instanceof NoRouteToHostException) return m.contains("unreachable") && m.contains("Network") ? ENETUNREACH : EHOSTUNREACH;
        if (e instanceof BindException) {
            if (m.contains("in use")) return EADDRINUSE;
            if (m.contains("assign")) return EADDRNOTAVAIL;
            if (m.contains("Permission")) return HostErrno.EACCES;
            return EADDRINUSE;
        }
        if (e instanceof ConnectException) {
            if (m.contains("timed out")) return ETIMEDOUT;
            if (m.contains("unreachable")) return m.contains("Network") ? ENETUNREACH : EHOSTUNREACH;
            return ECONNREFUSED;
        }
        if (m.contains("Connection reset")) return ECONNRESET;
        if (m.contains("Broken pipe")) return EPIPE;
        if (m.contains("timed out")) return ETIMEDOUT;
        if (m.contains("Connection refused")) return ECONNREFUSED;
        if (m.contains("Message too long")) return EMSGSIZE;
        if (m.contains("Network is unreachable")) return ENETUNREACH;
        if (m.contains("No route to host")) return EHOSTUNREACH;
        if (m.contains("not connected")) return ENOTCONN;
        if (m.contains("No buffer space")) return ENOBUFS;
        if (m.contains("Invalid argument")) return HostErrno.EINVAL;
        if (m.contains("Permission denied")) return HostErrno.EACCES;
        return HostErrno.of(e);
    }

    /** Translates the unchecked exceptions of java.nio's socket channels. */
    public static int of(RuntimeException e) {
        return switch (e) {
            case AlreadyBoundException x -> HostErrno.EINVAL;
            case AlreadyConnectedException x -> EISCONN;
            case ConnectionPendingException x -> EALREADY;
            case NotYetConnectedException x -> ENOTCONN;
            case NotYetBoundException x -> HostErrno.EINVAL;
            case UnresolvedAddressException x -> EADDRNOTAVAIL;
            case UnsupportedAddressTypeException x -> EAFNOSUPPORT;
            default -> HostErrno.of(e);
        };
    }
}
