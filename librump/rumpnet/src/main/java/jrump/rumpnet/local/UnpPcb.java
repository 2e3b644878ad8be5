package jrump.rumpnet.local;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrUn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * A PF_LOCAL socket's control block (struct unpcb): data goes straight into the peer's receive buffer,
 * so a stream's flow control is the peer's receive space.
 */
final class UnpPcb implements ProtoSocket {
    private final LocalDomain domain;
    private final SocketEvents so;
    private final int type;
    private UnpPcb peer;
    private String path;
    private boolean listening;

    UnpPcb(LocalDomain domain, SocketEvents so, int type) {
        this.domain = domain;
        this.so = so;
        this.type = type;
    }

    private boolean stream() {
        return type == Sys.SOCK_STREAM;
    }

    @Override
    public int bind(Sockaddr addr) {
        if (!(addr instanceof SockaddrUn un)) return Errno.EAFNOSUPPORT.number();
        if (un.path().isEmpty() || un.path().length() >= SockaddrUn.SUN_PATH_MAX) return Errno.EINVAL.number();
        if (path != null) return Errno.EINVAL.number();
        if (domain.names.containsKey(un.path())) return Errno.EADDRINUSE.number();
        path = un.path();
        domain.names.put(path, this);
        return 0;
    }

    @Override
    public int listen(int backlog) {
        if (!stream()) return Errno.EOPNOTSUPP.number();
        if (path == null) return Errno.EINVAL.number();
        listening = true;
        return 0;
    }

    @Override
    public int connect(Sockaddr addr) {
        if (!(addr instanceof SockaddrUn un)) return Errno.EAFNOSUPPORT.number();
        UnpPcb target = domain.names.get(un.path());
        if (target == null) return Errno.ENOENT.number();
        if (target.type != type) return Errno.EPROTOTYPE.number();
        if (!stream()) {
            peer = target;
            return 0;
        }
        if (!target.listening) return Errno.ECONNREFUSED.number();
        SocketEvents child = target.so.newConnection();
        if (child == null) return Errno.ECONNREFUSED.number();
        UnpPcb server = new UnpPcb(domain, child, type);
        child.attach(server);
        server.path = null;
        server.boundName = target.path;
        pair(server);
        child.isConnected();
        so.isConnected();
        return 0;
    }

    /** The name a server-side socket reports (its listener's). */
    private String boundName;

    /** The peer's name when the connection was made (what accept and getpeername report after it left). */
    private Sockaddr peerName;

    private void pair(UnpPcb other) {
        this.peer = other;
        other.peer = this;
        this.peerName = other.sockaddr();
        other.peerName = this.sockaddr();
    }

    @Override
    public int connect2(ProtoSocket other) {
        if (!(other instanceof UnpPcb o) || o.type != type) return Errno.EPROTOTYPE.number();
        pair(o);
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        if (stream()) {
            if (peer == null) return Errno.ENOTCONN.number();
            peer.so.rcv().append(m);
            peer.so.readable();
            return 0;
        }
        UnpPcb target = peer;
        if (to != null) {
            if (!(to instanceof SockaddrUn un)) return Errno.EAFNOSUPPORT.number();
            if (peer != null) return Errno.EISCONN.number();
            target = domain.names.get(un.path());
            if (target == null) return Errno.ENOENT.number();
        }
        if (target == null) return Errno.ENOTCONN.number();
        int n = Mbuf.length(m);
        if (target.so.rcv().space() < n) return Errno.ENOBUFS.number();
        target.so.rcv().appendDatagram(new SockaddrUn(path == null ? "" : path), m);
        target.so.readable();
        return 0;
    }

    @Override
    public int sendSpace() {
        if (stream()) return peer == null ? 0 : Math.min(peer.so.rcv().space(), so.snd().hiwat());
        return peer == null ? so.snd().hiwat() : Math.min(peer.so.rcv().space(), so.snd().hiwat());
    }

    @Override
    public void rcvd() {
        if (peer != null) peer.so.writable();
    }

    @Override
    public int shutdownOutput() {
        if (stream() && peer != null) peer.so.cantRcvMore();
        return 0;
    }

    @Override
    public int disconnect() {
        UnpPcb p = peer;
        if (p == null) return 0;
        peer = null;
        if (p.peer == this) p.peer = null;
        if (stream()) {
            p.so.isDisconnected();
            so.isDisconnected();
        }
        return 0;
    }

    @Override
    public void abort() {
        disconnect();
    }

    @Override
    public void detach() {
        disconnect();
        // datagram sockets connected to this one lose their destination
        if (path != null && domain.names.get(path) == this) domain.names.remove(path);
        path = null;
        listening = false;
    }

    @Override
    public Sockaddr sockaddr() {
        String p = path != null ? path : boundName;
        return new SockaddrUn(p == null ? "" : p);
    }

    @Override
    public Sockaddr peeraddr() {
        return peer != null ? peer.sockaddr() : peerName;
    }
}
