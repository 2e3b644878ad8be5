package jrump.net.virtif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpuser.HyperException;

/** The virtif component (rumpnet_virtif): registers the "virt" interface type, so netif_create("virt0", "tap:NAME") works. */
public final class VirtifComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpnet_virtif";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_IFCFG;
    }

    @Override
    public int init(Kernel kernel) {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) return Errno.ENXIO.number();
        stack.addCloner("virt", (name, linkstr) -> {
            VirtifSpec spec;
            try {
                spec = VirtifSpec.parse(linkstr);
            } catch (IllegalArgumentException e) {
                kernel.hyp().consoleLine("virtif: " + name + ": " + e.getMessage());
                return Errno.EINVAL.number();
            }
            try {
                Virtif.attach(kernel, name, spec);
                return 0;
            } catch (HyperException e) {
                kernel.hyp().consoleLine("virtif: " + name + ": " + e.getMessage());
                return e.errno();
            }
        });
        return 0;
    }
}
