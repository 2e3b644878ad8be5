package jrump.rumpdev;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** A booted kernel and its component-side view, which the rumpdev API takes. */
record TestKernel(RumpKernel rk, Kernel kernel) implements AutoCloseable {
    static TestKernel boot() {
        return boot(RumpConfig.builder());
    }

    static TestKernel boot(RumpConfig.Builder config) {
        Kernel[] captured = new Kernel[1];
        RumpKernel rk = RumpKernel.boot(config.diagnostic(true).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "rumpdev_test";
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
        return new TestKernel(rk, captured[0]);
    }

    @Override
    public void close() {
        rk.halt();
    }
}
