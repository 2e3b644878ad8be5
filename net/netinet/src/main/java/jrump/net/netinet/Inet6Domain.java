package jrump.net.netinet;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.socket.Domain;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * PF_INET6 (inet6domain's protocol switch): SOCK_STREAM is TCP and SOCK_DGRAM UDP, the same protocols as
 * PF_INET's with IPv6 socket addresses (dual stack: IPv4 peers appear v4-mapped unless IPV6_V6ONLY);
 * SOCK_DGRAM with IPPROTO_ICMPV6 is an echo socket.
 */
public final class Inet6Domain implements Domain {
    private final Inet inet;

    public Inet6Domain(Inet inet) {
        this.inet = inet;
    }

    @Override
    public int family() {
        return Sys.AF_INET6;
    }

    @Override
    public int attach(SocketEvents so, int type, int protocol, ProtoSocket[] out) {
        switch (type) {
            case Sys.SOCK_STREAM -> {
                if (protocol != 0 && protocol != Sys.IPPROTO_TCP) return Errno.EPROTONOSUPPORT.number();
                out[0] = inet.tcp().attach(so, true);
                so.snd().setHiwat(inet.tcp().tunables().sendSpace); // tcp_attach's soreserve
                so.rcv().setHiwat(inet.tcp().tunables().recvSpace);
            }
            case Sys.SOCK_DGRAM -> {
                if (protocol == Sys.IPPROTO_ICMPV6) {
                    out[0] = new Icmp6Pcb(inet, so);
                    return 0;
                }
                if (protocol != 0 && protocol != Sys.IPPROTO_UDP) return Errno.EPROTONOSUPPORT.number();
                out[0] = new UdpPcb(inet.udp(), so, true);
            }
            default -> {
                return Errno.EPROTOTYPE.number();
            }
        }
        return 0;
    }
}
