package jrump.rumpnet.local;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.socket.Sockets;

/** The PF_LOCAL domain (NetBSD's rumpnet_local, sys/kern/uipc_usrreq.c). */
public final class LocalComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpnet_local";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_ROUTE;
    }

    @Override
    public int init(Kernel kernel) {
        Sockets s = Sockets.of(kernel);
        if (s == null) return Errno.ENXIO.number();
        s.addDomain(new LocalDomain());
        return 0;
    }
}
