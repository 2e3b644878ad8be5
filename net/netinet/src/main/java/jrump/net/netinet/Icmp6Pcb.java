package jrump.net.netinet;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * An ICMPv6 echo socket (socket(PF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), Linux's unprivileged ping socket):
 * the user sends echo requests, ICMPv6 header first; the kernel sets the identifier and the checksum
 * (which covers the pseudo-header, RFC 4443 2.3) and delivers the echo replies carrying that identifier.
 */
final class Icmp6Pcb implements ProtoSocket {
    private final Inet inet;
    final SocketEvents so;
    final int id;
    private IpAddr faddr = IpAddr.ANY;
    private boolean connected;
    int hops = -1;

    Icmp6Pcb(Inet inet, SocketEvents so) {
        this.inet = inet;
        this.so = so;
        this.id = (int) (inet.env().random() & 0xffff);
        inet.icmp6().pcbs.add(this);
    }

    @Override
    public int bind(Sockaddr addr) {
        return addr instanceof SockaddrIn6 ? 0 : Errno.EAFNOSUPPORT.number();
    }

    @Override
    public int connect(Sockaddr addr) {
        if (!(addr instanceof SockaddrIn6 in6)) return Errno.EAFNOSUPPORT.number();
        faddr = IpAddr.of(in6);
        connected = true;
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        IpAddr dst = faddr;
        if (to != null) {
            if (!(to instanceof SockaddrIn6 in6)) return Errno.EAFNOSUPPORT.number();
            dst = IpAddr.of(in6);
        } else if (!connected) {
            return Errno.EDESTADDRREQ.number();
        }
        if (dst.isV4() || dst.isAny()) return Errno.EADDRNOTAVAIL.number();
        m = Mbuf.pullup(m, Icmp6Header.LEN);
        if (m == null) return Errno.EINVAL.number();
        if (m.u8(Icmp6Header.TYPE) != Icmp6Header.ECHO_REQUEST) return Errno.EINVAL.number();
        // our own header node: the user's bytes are not written
        byte[] h = new byte[Icmp6Header.LEN];
        Mbuf.copyOut(m, 0, h, 0, Icmp6Header.LEN);
        Mbuf head = Mbuf.wrap(h);
        head.next = Mbuf.trimFront(m, Icmp6Header.LEN);
        head.put16(Icmp6Header.ID, id);
        int e = inet.icmp6().send(head, IpAddr.ANY, dst, hops >= 0 ? hops : inet.tunables().hopLimit, null);
        inet.drain();
        return e;
    }

    /** An echo reply for this socket: the whole ICMPv6 message, from its sender. */
    void deliver(IpAddr from, Mbuf icmp, int len) {
        if (so.rcv().space() < len) return;
        so.rcv().appendDatagram(new SockaddrIn6(from.hi(), from.lo(), 0), icmp);
        so.readable();
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
        connected = false;
        return 0;
    }

    @Override
    public void abort() {
        disconnect();
    }

    @Override
    public void detach() {
        inet.icmp6().pcbs.remove(this);
    }

    @Override
    public Sockaddr sockaddr() {
        return new SockaddrIn6(0, 0, id);
    }

    @Override
    public Sockaddr peeraddr() {
        return connected ? new SockaddrIn6(faddr.hi(), faddr.lo(), 0) : null;
    }

    @Override
    public int setopt(int level, int name, java.nio.ByteBuffer val) {
        return InOptions.setIp6(level, name, val, v -> hops = v, v -> { }, v -> { });
    }

    @Override
    public int getopt(int level, int name, java.nio.ByteBuffer out) {
        return InOptions.getIp6(level, name, out, hops >= 0 ? hops : inet.tunables().hopLimit, 0, true);
    }
}
