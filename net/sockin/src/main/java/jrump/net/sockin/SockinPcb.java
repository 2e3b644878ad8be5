package jrump.net.sockin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSocketErrno;
import jrump.rumpuser.HyperException;

/**
 * What sockin's TCP and UDP sockets share: the host socket, addresses and the options that map onto the
 * host's. Every method runs with the network lock held.
 */
abstract sealed class SockinPcb implements ProtoSocket permits SockinStream, SockinDgram {
    final Sockin sk;
    SocketEvents so;
    final HostSocket host;
    /** The socket is gone (closed): no more events to it. */
    boolean detached;

    SockinPcb(Sockin sk, SocketEvents so, HostSocket host) {
        this.sk = sk;
        this.so = so;
        this.host = host;
        host.attach(this);
    }

    /** The host reported {@code ops} (HostSockets.READ...) ready. */
    abstract void ready(int ops);

    @Override
    public int bind(Sockaddr addr) {
        var a = SockinAddr.toHost(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        try {
            host.bind(a);
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public Sockaddr sockaddr() {
        try {
            Sockaddr a = SockinAddr.fromHost(host.localAddress());
            return a != null ? a : new SockaddrIn(SockaddrIn.INADDR_ANY, 0);
        } catch (HyperException e) {
            return new SockaddrIn(SockaddrIn.INADDR_ANY, 0);
        }
    }

    @Override
    public Sockaddr peeraddr() {
        try {
            return SockinAddr.fromHost(host.remoteAddress());
        } catch (HyperException e) {
            return null;
        }
    }

    @Override
    public int socketOptionSet(int name, ByteBuffer val) {
        HostSocket.Option o = switch (name) {
            case Sys.SO_REUSEADDR -> HostSocket.Option.REUSEADDR;
            case Sys.SO_KEEPALIVE -> HostSocket.Option.KEEPALIVE;
            case Sys.SO_BROADCAST -> HostSocket.Option.BROADCAST;
            case Sys.SO_RCVBUF -> HostSocket.Option.RCVBUF;
            case Sys.SO_SNDBUF -> HostSocket.Option.SNDBUF;
            // SO_LINGER stays the kernel's: a positive linger on the host would block its close(2) under the
            // network lock; the kernel's close waits instead, and a zero linger is abort()'s reset
            default -> null; // the kernel's own (timeouts, low-water marks) or not carried
        };
        if (o == null) return 0;
        return setHost(o, val.getInt(val.position()), true);
    }

    /** Sets a host option; one the host socket lacks (broadcast on TCP) is fine when {@code lenient}. */
    int setHost(HostSocket.Option o, int v, boolean lenient) {
        try {
            host.setOption(o, v);
            return 0;
        } catch (HyperException e) {
            return lenient && e.errno() == HostSocketErrno.ENOPROTOOPT ? 0 : e.errno();
        }
    }

    /** The protocol-level option {@code level}/{@code name} as a host option, or null. */
    HostSocket.Option protoOption(int level, int name) {
        if (level == Sys.IPPROTO_IP && name == Sys.IP_TOS) return HostSocket.Option.TOS;
        return null;
    }

    @Override
    public int setopt(int level, int name, ByteBuffer val) {
        HostSocket.Option o = protoOption(level, name);
        if (o == null) return Errno.ENOPROTOOPT.number();
        if (val.remaining() < 4) return Errno.EINVAL.number();
        return setHost(o, val.order(ByteOrder.nativeOrder()).getInt(val.position()), false);
    }

    @Override
    public int getopt(int level, int name, ByteBuffer out) {
        HostSocket.Option o = protoOption(level, name);
        if (o == null) return Errno.ENOPROTOOPT.number();
        if (out.remaining() < 4) return Errno.EINVAL.number();
        try {
            out.order(ByteOrder.nativeOrder()).putInt(host.getOption(o));
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    /** Applies the options a socket made by accept inherits from its listener to its new host socket. */
    void inheritOptions() {
        if ((so.options() & Sys.SO_KEEPALIVE) != 0) setHost(HostSocket.Option.KEEPALIVE, 1, true);
    }
}
