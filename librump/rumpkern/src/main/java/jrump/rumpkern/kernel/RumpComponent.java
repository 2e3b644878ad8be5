package jrump.rumpkern.kernel;

/**
 * A kernel component (RUMP_COMPONENT): found with ServiceLoader, initialised in {@link ComponentType} order
 * when a kernel boots. One instance serves every kernel; keep per-kernel state in the kernel
 * ({@link Kernel#specific()}), not in the component.
 */
public interface RumpComponent {
    /** The name users select it by, e.g. "rumpkern_sys", "rumpfs_ext2fs". */
    String name();

    ComponentType type();

    /** Initialises the component in {@code kernel}; runs with a virtual CPU held. Returns an errno. */
    int init(Kernel kernel);
}
