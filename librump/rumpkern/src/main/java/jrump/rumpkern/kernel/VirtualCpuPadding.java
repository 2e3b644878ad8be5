package jrump.rumpkern.kernel;

/**
 * Keeps each CPU's hot word (prevlwp, and the counters its holder bumps) on a cache line of its own, as
 * rump aligns struct rumpcpu: two threads on two CPUs must not bounce one line between their cores.
 * Superclass fields are laid out first, so the padding classes frame the hot fields.
 */
final class VirtualCpuPadding {
    private VirtualCpuPadding() {
    }

    @SuppressWarnings("unused")
    static class Left {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    static class Hot extends Left {
        /** Accessed through {@link VirtualCpu#PREVLWP} only. */
        @SuppressWarnings("unused")
        volatile Object prevlwp;
        // statistics, written only by the CPU's holder (so plain fields are exact), read racily
        long fastpath;
        long slowpath;
        long migrated;
    }

    @SuppressWarnings("unused")
    static class Right extends Hot {
        long p11, p12, p13, p14, p15, p16, p17, p18;
    }
}
