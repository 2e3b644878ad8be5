package jrump.rumpkern;

/** struct timespec. */
public record Timespec(long sec, long nsec) {
    public static Timespec ofNanos(long nanos) {
        return new Timespec(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Nanoseconds, saturating instead of overflowing. */
    public long toNanos() {
        try {
            return Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
        } catch (ArithmeticException e) {
            return sec < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Whether nsec is in [0, 10^9) as POSIX requires. */
    public boolean valid() {
        return nsec >= 0 && nsec < 1_000_000_000L;
    }
}
