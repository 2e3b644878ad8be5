package jrump.net.shmif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpuser.HyperException;

/** The shmif component (rumpnet_shmif): registers the "shmif" interface type, so netif_create("shmif0", BUS) works. */
public final class ShmifComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpnet_shmif";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_IFCFG;
    }

    @Override
    public int init(Kernel kernel) {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) return Errno.ENXIO.number();
        stack.addCloner("shmif", (name, linkstr) -> {
            try {
                Shmif.attach(kernel, name, linkstr);
                return 0;
            } catch (HyperException e) {
                return e.errno();
            }
        });
        return 0;
    }
}
