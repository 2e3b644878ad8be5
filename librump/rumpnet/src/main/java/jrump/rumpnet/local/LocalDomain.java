package jrump.rumpnet.local;

import java.util.HashMap;
import java.util.Map;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpnet.socket.Domain;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SocketEvents;

/**
 * PF_LOCAL: stream and datagram sockets within one kernel. Bound names live in a table of the domain,
 * not in the file system (rumpnet sits below rumpvfs): bind needs no directory and leaves no socket file.
 */
final class LocalDomain implements Domain {
    /** Bound names (the unp_vnode role); guarded by the network lock. */
    final Map<String, UnpPcb> names = new HashMap<>();

    @Override
    public int family() {
        return Sys.AF_LOCAL;
    }

    @Override
    public int attach(SocketEvents so, int type, int protocol, ProtoSocket[] out) {
        if (type != Sys.SOCK_STREAM && type != Sys.SOCK_DGRAM) return Errno.EPROTOTYPE.number();
        if (protocol != 0) return Errno.EPROTONOSUPPORT.number();
        out[0] = new UnpPcb(this, so, type);
        return 0;
    }
}
