package jrump.net.netinet;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.socket.Domain;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/** PF_INET (inetdomain's protocol switch): SOCK_STREAM is TCP, SOCK_DGRAM is UDP. */
public final class InetDomain implements Domain {
    private final Inet inet;

    public InetDomain(Inet inet) {
        this.inet = inet;
    }

    @Override
    public int family() {
        return Sys.AF_INET;
    }

    @Override
    public int attach(SocketEvents so, int type, int protocol, ProtoSocket[] out) {
        switch (type) {
            case Sys.SOCK_STREAM -> {
                if (protocol != 0 && protocol != Sys.IPPROTO_TCP) return Errno.EPROTONOSUPPORT.number();
                out[0] = inet.tcp().attach(so);
                so.snd().setHiwat(inet.tcp().tunables().sendSpace); // tcp_attach's soreserve
                so.rcv().setHiwat(inet.tcp().tunables().recvSpace);
            }
            case Sys.SOCK_DGRAM -> {
                if (protocol == Sys.IPPROTO_ICMP) {
                    out[0] = new IcmpPcb(inet, so);
                    return 0;
                }
                if (protocol != 0 && protocol != Sys.IPPROTO_UDP) return Errno.EPROTONOSUPPORT.number();
                out[0] = new UdpPcb(inet.udp(), so, false);
            }
            default -> {
                return Errno.EPROTOTYPE.number();
            }
        }
        return 0;
    }
}
