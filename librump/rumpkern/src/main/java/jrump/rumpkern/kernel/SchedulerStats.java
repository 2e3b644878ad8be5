package jrump.rumpkern.kernel;

/** Counters of the virtual CPU scheduler, summed over the CPUs. */
public record SchedulerStats(int ncpu, long fastpath, long slowpath, long migrations) {
}
