package jrump.net.netinet;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.SocketEvents;

/**
 * An ICMP echo socket (socket(PF_INET, SOCK_DGRAM, IPPROTO_ICMP), the unprivileged "ping socket" of Linux
 * and macOS): the IPv4 side of {@link EchoPcb}.
 */
final class IcmpPcb extends EchoPcb {
    IcmpPcb(Inet inet, SocketEvents so) {
        super(inet, so, false, IcmpHeader.ECHO);
        inet.icmp().pcbs.add(this);
    }

    @Override
    boolean ownFamily(Sockaddr addr) {
        return addr instanceof SockaddrIn;
    }

    /** ICMP's checksum covers the ICMP message alone (RFC 792). */
    @Override
    int output(Mbuf head, IpAddr dst, int len) {
        head.put16(IcmpHeader.CKSUM, 0);
        head.put16(IcmpHeader.CKSUM, InCksum.of(head, 0, len));
        return inet.ip().output(head, 0, dst.v4(), Sys.IPPROTO_ICMP, inet.tunables().ttl, 0, false);
    }

    @Override
    public void detach() {
        inet.icmp().pcbs.remove(this);
    }
}
