package jrump.net.sockin;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.socket.Sockets;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/**
 * The sockin component (NetBSD's rumpnet_sockin): registers PF_INET with sockets whose work host sockets
 * do, and starts the kernel thread that waits for the host's readiness. Opt-in, and exclusive with netinet
 * (both provide "PF_INET").
 */
public final class SockinComponent implements RumpComponent {
    public static final String NAME = "rumpnet_sockin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_IF;
    }

    @Override
    public boolean optIn() {
        return true;
    }

    @Override
    public String provides() {
        return "PF_INET";
    }

    @Override
    public int init(Kernel kernel) {
        Sockets sockets = Sockets.of(kernel);
        if (sockets == null) return Errno.ENXIO.number();
        HostSockets hs;
        try {
            hs = kernel.hyp().hostSockets();
        } catch (HyperException e) {
            kernel.hyp().consoleLine("sockin: no host sockets: " + e.getMessage());
            return e.errno();
        }
        Sockin sk = new Sockin(kernel, sockets, hs);
        int e = sockets.addDomain(new SockinDomain(Sys.AF_INET, sk));
        if (e != 0) {
            kernel.hyp().consoleLine("sockin: PF_INET is served by another component already");
            return e;
        }
        kernel.specific().put(Sockin.KEY, sk);
        kernel.addHaltHook(sk::halt);
        try {
            kernel.kthreadCreate("sockin", -1, sk::workLoop);
        } catch (HyperException x) {
            return x.errno();
        }
        return 0;
    }

    /** Host sockets the sockin of {@code kernel} holds open now (-1 without sockin): the leak check. */
    public static int hostSocketsOpen(Kernel kernel) {
        Sockin sk = (Sockin) kernel.specific().get(Sockin.KEY);
        return sk == null ? -1 : sk.hostSockets().openCount();
    }
}
