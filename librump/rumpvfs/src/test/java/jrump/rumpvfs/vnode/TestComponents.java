package jrump.rumpvfs.vnode;

import java.util.function.Consumer;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** Tests reach a kernel's inside the way a file-system module does: a VFS component it runs at boot. */
public final class TestComponents {
    private TestComponents() {
    }

    /** A VFS component named {@code name} that hands the booting kernel to {@code init}. */
    public static RumpComponent vfs(String name, Consumer<Kernel> init) {
        return new RumpComponent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ComponentType type() {
                return ComponentType.VFS;
            }

            @Override
            public int init(Kernel k) {
                init.accept(k);
                return 0;
            }
        };
    }
}
