package jrump.rumpnet.socket;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** The rumpnet faction (RUMP__FACTION_NET): the sockets layer of a kernel. */
public final class RumpnetComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpnet";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET;
    }

    @Override
    public int init(Kernel kernel) {
        Sockets.init(kernel);
        return 0;
    }
}
