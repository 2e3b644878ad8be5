package jrump.net.memif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** The memif component: registers the "mem" interface type, so netif_create("mem0", "LINK") works. */
public final class MemifComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpnet_memif";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_IFCFG;
    }

    @Override
    public int init(Kernel kernel) {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) return Errno.ENXIO.number();
        stack.addCloner("mem", (name, linkstr) -> Memif.attach(kernel, name, linkstr));
        return 0;
    }
}
