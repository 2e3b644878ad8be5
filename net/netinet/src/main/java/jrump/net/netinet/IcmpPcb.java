package jrump.net.netinet;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * An ICMP echo socket (socket(PF_INET, SOCK_DGRAM, IPPROTO_ICMP), the unprivileged "ping socket" of Linux
 * and macOS): the user sends echo requests, ICMP header first; the kernel sets the identifier (the
 * socket's own, like a port) and the checksum, and delivers the echo replies that carry that identifier.
 */
final class IcmpPcb implements ProtoSocket {
    private final Inet inet;
    final SocketEvents so;
    final int id;
    private int faddr;
    private boolean connected;

    IcmpPcb(Inet inet, SocketEvents so) {
        this.inet = inet;
        this.so = so;
        this.id = (int) (inet.env().random() & 0xffff);
        inet.icmp().pcbs.add(this);
    }

    @Override
    public int bind(Sockaddr addr) {
        return addr instanceof SockaddrIn ? 0 : Errno.EAFNOSUPPORT.number();
    }

    @Override
    public int connect(Sockaddr addr) {
        if (!(addr instanceof SockaddrIn in)) return Errno.EAFNOSUPPORT.number();
        faddr = in.addr();
        connected = true;
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        int dst = faddr;
        if (to != null) {
            if (!(to instanceof SockaddrIn in)) return Errno.EAFNOSUPPORT.number();
            dst = in.addr();
        } else if (!connected) {
            return Errno.EDESTADDRREQ.number();
        }
        int len = Mbuf.length(m);
        m = Mbuf.pullup(m, IcmpHeader.LEN);
        if (m == null) return Errno.EINVAL.number();
        if (m.u8(IcmpHeader.TYPE) != IcmpHeader.ECHO) return Errno.EINVAL.number();
        // our own header node: the user's bytes are not written
        byte[] h = new byte[IcmpHeader.LEN];
        Mbuf.copyOut(m, 0, h, 0, IcmpHeader.LEN);
        Mbuf head = Mbuf.wrap(h);
        head.next = Mbuf.trimFront(m, IcmpHeader.LEN);
        head.put16(IcmpHeader.ID, id);
        head.put16(IcmpHeader.CKSUM, 0);
        head.put16(IcmpHeader.CKSUM, InCksum.of(head, 0, len));
        int e = inet.ip().output(head, 0, dst, Sys.IPPROTO_ICMP, inet.tunables().ttl, 0, false);
        inet.drain();
        return e;
    }

    /** An echo reply for this socket: the whole ICMP message, from its sender. */
    void deliver(int from, Mbuf icmp, int len) {
        if (so.rcv().space() < len) return;
        so.rcv().appendDatagram(new SockaddrIn(from, 0), icmp);
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
        inet.icmp().pcbs.remove(this);
    }

    @Override
    public Sockaddr sockaddr() {
        return new SockaddrIn(0, id);
    }

    @Override
    public Sockaddr peeraddr() {
        return connected ? new SockaddrIn(faddr, 0) : null;
    }
}
