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

    /**
     * Whether the component boots only when asked for by name ({@code RumpConfig.Builder.with} or
     * {@code components}), not with every component found: an alternative to a default one (sockin to netinet).
     */
    default boolean optIn() {
        return false;
    }

    /**
     * A service at most one component of a kernel may provide (e.g. "PF_INET": netinet and sockin exclude
     * each other, as in NetBSD); null for none. Boot refuses two of them.
     */
    default String provides() {
        return null;
    }
}
