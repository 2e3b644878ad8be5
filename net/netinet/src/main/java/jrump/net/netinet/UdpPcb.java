package jrump.net.netinet;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/** A UDP socket's control block (struct inpcb for UDP). */
final class UdpPcb implements ProtoSocket {
    private final Udp udp;
    final SocketEvents so;
    int laddr;
    int lport;
    int faddr;
    int fport;
    int ttl;
    int tos;

    UdpPcb(Udp udp, SocketEvents so) {
        this.udp = udp;
        this.so = so;
        this.ttl = udp.inet().tunables().ttl;
        udp.pcbs.add(this);
    }

    boolean reuse() {
        return (so.options() & (Sys.SO_REUSEADDR | Sys.SO_REUSEPORT)) != 0;
    }

    @Override
    public int bind(Sockaddr addr) {
        if (!(addr instanceof SockaddrIn in)) return Errno.EAFNOSUPPORT.number();
        if (lport != 0) return Errno.EINVAL.number();
        return bindTo(in.addr(), in.port());
    }

    private int bindTo(int addr, int port) {
        Inet inet = udp.inet();
        if (addr != 0 && !inet.isLocal(addr) && !inet.isBroadcast(addr)) return Errno.EADDRNOTAVAIL.number();
        if (port == 0) {
            port = InPorts.pick(inet.env(), p -> udp.portInUse(p, addr, false));
            if (port == 0) return Errno.EADDRINUSE.number();
        } else if (udp.portInUse(port, addr, reuse())) {
            return Errno.EADDRINUSE.number();
        }
        laddr = addr;
        lport = port;
        return 0;
    }

    @Override
    public int connect(Sockaddr addr) {
        if (!(addr instanceof SockaddrIn in)) return Errno.EAFNOSUPPORT.number();
        if (in.port() == 0) return Errno.EADDRNOTAVAIL.number();
        if (lport == 0) {
            int e = bindTo(0, 0);
            if (e != 0) return e;
        }
        faddr = in.addr() == 0 ? SockaddrIn.INADDR_LOOPBACK : in.addr();
        fport = in.port();
        if (laddr == 0 && faddr != -1) {
            int src = udp.inet().ip().sourceFor(faddr);
            if (src == 0) return Errno.ENETUNREACH.number();
            laddr = src;
        }
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        int dst = faddr;
        int dport = fport;
        if (to != null) {
            if (!(to instanceof SockaddrIn in)) return Errno.EAFNOSUPPORT.number();
            if (fport != 0) return Errno.EISCONN.number();
            dst = in.addr();
            dport = in.port();
            if (dport == 0) return Errno.EADDRNOTAVAIL.number();
        }
        if (dport == 0) return Errno.ENOTCONN.number();
        if (dst == -1 && (so.options() & Sys.SO_BROADCAST) == 0) return Errno.EACCES.number();
        if (lport == 0) {
            int e = bindTo(0, 0);
            if (e != 0) return e;
        }
        int e = udp.output(this, m, dst, dport);
        udp.inet().drain();
        return e;
    }

    boolean deliver(SockaddrIn from, Mbuf data, int len) {
        if (so.rcv().space() < len) return false;
        so.rcv().appendDatagram(from, data);
        so.readable();
        return true;
    }

    @Override
    public int sendSpace() {
        return so.snd().hiwat();
    }

    @Override
    public int shutdownOutput() {
        return 0;
    }

    @Override
    public int disconnect() {
        faddr = 0;
        fport = 0;
        return 0;
    }

    @Override
    public void abort() {
        disconnect();
    }

    @Override
    public void detach() {
        udp.pcbs.remove(this);
    }

    @Override
    public Sockaddr sockaddr() {
        return new SockaddrIn(laddr, lport);
    }

    @Override
    public Sockaddr peeraddr() {
        return fport == 0 ? null : new SockaddrIn(faddr, fport);
    }

    @Override
    public int setopt(int level, int name, ByteBuffer val) {
        return InOptions.setIp(level, name, val, v -> ttl = v, v -> tos = v);
    }

    @Override
    public int getopt(int level, int name, ByteBuffer out) {
        return InOptions.getIp(level, name, out, ttl, tos);
    }
}
