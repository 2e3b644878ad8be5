package jrump.rumpkern;

/** struct timeval. */
public record Timeval(long sec, long usec) {
    public static Timeval ofNanos(long nanos) {
        return new Timeval(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L) / 1000);
    }

    public boolean valid() {
        return usec >= 0 && usec < 1_000_000L;
    }

    public long toNanos() {
        return new Timespec(sec, usec * 1000).toNanos();
    }
}
