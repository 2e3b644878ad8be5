package jrump.rumpdev.blk;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/**
 * The rumpdev faction (RUMP__FACTION_DEV): gives the kernel its disk registry, without which
 * {@code BlockDevices.open} answers ENODEV, as a NetBSD kernel without a disk driver has no disks.
 */
public final class RumpdevComponent implements RumpComponent {
    @Override
    public String name() {
        return "rumpdev";
    }

    @Override
    public ComponentType type() {
        return ComponentType.DEV;
    }

    @Override
    public int init(Kernel kernel) {
        DiskRegistry.install(kernel);
        return 0;
    }
}
