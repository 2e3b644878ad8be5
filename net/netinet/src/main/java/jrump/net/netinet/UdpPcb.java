package jrump.net.netinet;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/** A UDP socket's control block (struct inpcb for UDP), of PF_INET or PF_INET6 (dual stack unless v6-only). */
final class UdpPcb implements ProtoSocket {
    private final Udp udp;
    final SocketEvents so;
    final boolean v6;
    boolean v6only;
    IpAddr laddr = IpAddr.ANY;
    int lport;
    IpAddr faddr = IpAddr.ANY;
    int fport;
    int ttl;
    int tos;
    int hops = -1;
    int tclass;

    UdpPcb(Udp udp, SocketEvents so, boolean v6) {
        this.udp = udp;
        this.so = so;
        this.v6 = v6;
        this.ttl = udp.inet().tunables().ttl;
        udp.pcbs.add(this);
    }

    boolean reuse() {
        return (so.options() & (Sys.SO_REUSEADDR | Sys.SO_REUSEPORT)) != 0;
    }

    /** Whether datagrams to {@code dst} may reach this socket (its family and IPV6_V6ONLY). */
    boolean accepts(IpAddr dst) {
        return dst.isV4() ? !v6 || !v6only : v6;
    }

    /** The address of a sockaddr of this socket's family, or null (EAFNOSUPPORT). */
    private IpAddr addrOf(Sockaddr s) {
        if (v6 ? !(s instanceof SockaddrIn6) : !(s instanceof SockaddrIn)) return null;
        IpAddr a = IpAddr.of(s);
        return v6 && v6only && a.isV4() ? null : a;
    }

    private static int portOf(Sockaddr s) {
        return s instanceof SockaddrIn in ? in.port() : ((SockaddrIn6) s).port();
    }

    @Override
    public int bind(Sockaddr addr) {
        IpAddr a = addrOf(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        if (lport != 0) return Errno.EINVAL.number();
        return bindTo(a, portOf(addr));
    }

    private int bindTo(IpAddr addr, int port) {
        Inet inet = udp.inet();
        if (!addr.isAny() && !inet.isLocalAddress(addr) && !(addr.isV4() && inet.isBroadcast(addr.v4()))) {
            return Errno.EADDRNOTAVAIL.number();
        }
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
        IpAddr a = addrOf(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        int port = portOf(addr);
        if (port == 0) return Errno.EADDRNOTAVAIL.number();
        if (lport == 0) {
            int e = bindTo(IpAddr.ANY, 0);
            if (e != 0) return e;
        }
        faddr = !a.isAny() ? a : v6 ? IpAddr.LOOPBACK6 : IpAddr.v4(SockaddrIn.INADDR_LOOPBACK);
        fport = port;
        if (laddr.isAny() && !(faddr.isV4() && faddr.v4() == -1)) {
            IpAddr src = udp.inet().sourceAddress(faddr);
            if (src.isAny()) return Errno.ENETUNREACH.number();
            laddr = src;
        }
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        IpAddr dst = faddr;
        int dport = fport;
        if (to != null) {
            IpAddr a = addrOf(to);
            if (a == null) return Errno.EAFNOSUPPORT.number();
            if (fport != 0) return Errno.EISCONN.number();
            dst = a;
            dport = portOf(to);
            if (dport == 0) return Errno.EADDRNOTAVAIL.number();
        }
        if (dport == 0) return Errno.ENOTCONN.number();
        if (dst.isV4() && dst.v4() == -1 && (so.options() & Sys.SO_BROADCAST) == 0) return Errno.EACCES.number();
        if (dst.isAny()) dst = v6 ? IpAddr.LOOPBACK6 : IpAddr.v4(SockaddrIn.INADDR_LOOPBACK);
        if (lport == 0) {
            int e = bindTo(IpAddr.ANY, 0);
            if (e != 0) return e;
        }
        int e = udp.output(this, m, dst, dport);
        udp.inet().drain();
        return e;
    }

    boolean deliver(Sockaddr from, Mbuf data, int len) {
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
        faddr = IpAddr.ANY;
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
        return laddr.sockaddr(v6, lport);
    }

    @Override
    public Sockaddr peeraddr() {
        return fport == 0 ? null : faddr.sockaddr(v6, fport);
    }

    @Override
    public int setopt(int level, int name, ByteBuffer val) {
        if (level == Sys.IPPROTO_IPV6 && v6) {
            if (name == Sys.IPV6_V6ONLY && lport != 0) return Errno.EINVAL.number();
            return InOptions.setIp6(level, name, val, v -> hops = v, v -> tclass = v, v -> v6only = v != 0);
        }
        return InOptions.setIp(level, name, val, v -> ttl = v, v -> tos = v);
    }

    @Override
    public int getopt(int level, int name, ByteBuffer out) {
        if (level == Sys.IPPROTO_IPV6 && v6) {
            return InOptions.getIp6(level, name, out, hops >= 0 ? hops : udp.inet().tunables().hopLimit, tclass, v6only);
        }
        return InOptions.getIp(level, name, out, ttl, tos);
    }
}
