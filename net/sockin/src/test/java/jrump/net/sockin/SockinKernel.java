package jrump.net.sockin;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** A kernel booted with sockin, and its kernel object for the leak checks. */
record SockinKernel(RumpKernel rk, Kernel kernel) {
    static SockinKernel boot() {
        return boot(2);
    }

    static SockinKernel boot(int ncpu) {
        Kernel[] captured = new Kernel[1];
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).ncpu(ncpu)
                .with(SockinComponent.NAME).without("rumpnet_netinet", "rumpnet_shmif")
                .addComponent(new RumpComponent() {
                    @Override
                    public String name() {
                        return "sockin_test";
                    }

                    @Override
                    public ComponentType type() {
                        return ComponentType.POSTINIT;
                    }

                    @Override
                    public int init(Kernel k) {
                        captured[0] = k;
                        return 0;
                    }
                }).build());
        return new SockinKernel(rk, captured[0]);
    }

    int hostSocketsOpen() {
        return SockinComponent.hostSocketsOpen(kernel);
    }
}
