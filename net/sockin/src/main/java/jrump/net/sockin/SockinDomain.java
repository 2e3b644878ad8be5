package jrump.net.sockin;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.socket.Domain;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/** sockin's protocol family: TCP and UDP sockets, each with a host socket of the same kind. */
final class SockinDomain implements Domain {
    private final int family;
    private final Sockin sk;

    SockinDomain(int family, Sockin sk) {
        this.family = family;
        this.sk = sk;
    }

    @Override
    public int family() {
        return family;
    }

    @Override
    public int attach(SocketEvents so, int type, int protocol, ProtoSocket[] out) {
        boolean inet6 = family == Sys.AF_INET6;
        try {
            if (type == Sys.SOCK_STREAM) {
                if (protocol != 0 && protocol != Sys.IPPROTO_TCP) return Errno.EPROTONOSUPPORT.number();
                out[0] = new SockinStream(sk, so, sk.hostSockets().socket(HostSockets.STREAM, inet6));
                return 0;
            }
            if (type == Sys.SOCK_DGRAM) {
                if (protocol != 0 && protocol != Sys.IPPROTO_UDP) return Errno.EPROTONOSUPPORT.number();
                out[0] = new SockinDgram(sk, so, sk.hostSockets().socket(HostSockets.DGRAM, inet6));
                return 0;
            }
        } catch (HyperException e) {
            return e.errno();
        }
        return Errno.EPROTOTYPE.number();
    }
}
