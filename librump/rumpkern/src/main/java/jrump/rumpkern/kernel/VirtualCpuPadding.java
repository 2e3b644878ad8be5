package jrump.rumpkern.kernel;

/**
 * Keeps each CPU's hot word (prevlwp, and the counters its holder bumps) on cache lines of its own, as
 * rump aligns struct rumpcpu: two threads on two CPUs must not bounce one line between their cores.
 * Superclass fields are laid out first, so the padding classes frame the hot fields; 128 bytes on each
 * side, because the adjacent-line prefetcher moves lines in pairs and a copying GC may place the CPUs
 * next to each other.
 */
final class VirtualCpuPadding {
    private VirtualCpuPadding() {
    }

    @SuppressWarnings("unused")
    static class Left {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
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
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;
    }
}
