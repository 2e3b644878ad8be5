package jrump.net.netinet;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * An echo ("ping") socket, socket(PF_INET[6], SOCK_DGRAM, IPPROTO_ICMP[V6]): the user sends echo requests,
 * header first; the kernel sets the identifier (the socket's own, like a port) and the checksum, and
 * delivers the echo replies that carry that identifier. What differs per address family (which socket
 * addresses it takes, how the checksum is made, which output routine sends) is left to the subclass.
 */
abstract class EchoPcb implements ProtoSocket {
    /*
     * An echo message starts with type, code, checksum, identifier, sequence: the same 8 bytes in ICMP
     * (RFC 792, "Echo or Echo Reply Message") and ICMPv6 (RFC 4443 4.1), so one set of offsets serves both.
     */
    private static final int ECHO_LEN = IcmpHeader.LEN;
    private static final int ECHO_ID = IcmpHeader.ID;

    final Inet inet;
    final SocketEvents so;
    final int id;
    private final boolean v6;
    private final int echoRequest;
    private IpAddr faddr = IpAddr.ANY;
    private boolean connected;

    /** A socket of family v6 or not whose sends must be echo requests of type {@code echoRequest}. */
    EchoPcb(Inet inet, SocketEvents so, boolean v6, int echoRequest) {
        this.inet = inet;
        this.so = so;
        this.v6 = v6;
        this.echoRequest = echoRequest;
        this.id = (int) (inet.env().random() & 0xffff);
    }

    /** Whether {@code addr} is a socket address of this socket's family. */
    abstract boolean ownFamily(Sockaddr addr);

    /** Errno when {@code dst} cannot be sent to from this family, else 0 (checked before the message). */
    int checkDestination(IpAddr dst) {
        return 0;
    }

    /**
     * Sends the echo request {@code head} of {@code len} bytes, identifier already set, to {@code dst};
     * the checksum is this family's to fill in.
     */
    abstract int output(Mbuf head, IpAddr dst, int len);

    @Override
    public int bind(Sockaddr addr) {
        return ownFamily(addr) ? 0 : Errno.EAFNOSUPPORT.number();
    }

    @Override
    public int connect(Sockaddr addr) {
        if (!ownFamily(addr)) return Errno.EAFNOSUPPORT.number();
        faddr = IpAddr.of(addr);
        connected = true;
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        IpAddr dst = faddr;
        if (to != null) {
            if (!ownFamily(to)) return Errno.EAFNOSUPPORT.number();
            dst = IpAddr.of(to);
        } else if (!connected) {
            return Errno.EDESTADDRREQ.number();
        }
        int e = checkDestination(dst);
        if (e != 0) return e;
        int len = Mbuf.length(m);
        m = Mbuf.pullup(m, ECHO_LEN);
        if (m == null) return Errno.EINVAL.number();
        if (m.u8(IcmpHeader.TYPE) != echoRequest) return Errno.EINVAL.number();
        // our own header node: the user's bytes are not written
        byte[] h = new byte[ECHO_LEN];
        Mbuf.copyOut(m, 0, h, 0, ECHO_LEN);
        Mbuf head = Mbuf.wrap(h);
        head.next = Mbuf.trimFront(m, ECHO_LEN);
        head.put16(ECHO_ID, id);
        e = output(head, dst, len);
        inet.drain();
        return e;
    }

    /** An echo reply for this socket: the whole ICMP or ICMPv6 message, from its sender. */
    void deliver(IpAddr from, Mbuf icmp, int len) {
        if (so.rcv().space() < len) return;
        so.rcv().appendDatagram(from.sockaddr(v6, 0), icmp);
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
    public Sockaddr sockaddr() {
        return IpAddr.ANY.sockaddr(v6, id);
    }

    @Override
    public Sockaddr peeraddr() {
        return connected ? faddr.sockaddr(v6, 0) : null;
    }
}
