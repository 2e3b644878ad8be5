package jrump.net.netinet;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.SocketEvents;

/**
 * An ICMPv6 echo socket (socket(PF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), Linux's unprivileged ping socket):
 * the IPv6 side of {@link EchoPcb}, with IPV6_UNICAST_HOPS.
 */
final class Icmp6Pcb extends EchoPcb {
    int hops = -1;

    Icmp6Pcb(Inet inet, SocketEvents so) {
        super(inet, so, true, Icmp6Header.ECHO_REQUEST);
        inet.icmp6().pcbs.add(this);
    }

    @Override
    boolean ownFamily(Sockaddr addr) {
        return addr instanceof SockaddrIn6;
    }

    /** An IPv4-mapped or unspecified destination has no ICMPv6 route. */
    @Override
    int checkDestination(IpAddr dst) {
        return dst.isV4() || dst.isAny() ? Errno.EADDRNOTAVAIL.number() : 0;
    }

    /** Icmp6.send picks the source address, then the checksum, which covers the pseudo-header (RFC 4443 2.3). */
    @Override
    int output(Mbuf head, IpAddr dst, int len) {
        return inet.icmp6().send(head, IpAddr.ANY, dst, hopLimit(), null);
    }

    private int hopLimit() {
        return hops >= 0 ? hops : inet.tunables().hopLimit;
    }

    @Override
    public void detach() {
        inet.icmp6().pcbs.remove(this);
    }

    @Override
    public int setopt(int level, int name, java.nio.ByteBuffer val) {
        return InOptions.setIp6(level, name, val, v -> hops = v, v -> { }, v -> { });
    }

    @Override
    public int getopt(int level, int name, java.nio.ByteBuffer out) {
        return InOptions.getIp6(level, name, out, hopLimit(), 0, true);
    }
}
