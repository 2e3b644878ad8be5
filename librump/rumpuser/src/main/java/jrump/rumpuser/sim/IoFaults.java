package jrump.rumpuser.sim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * I/O faults the deterministic hypervisor injects into the host files it opens.
 * <ul>
 *   <li>{@link #failReadsAt}/{@link #failWritesAt}: a read or write touching a byte range fails with an errno;</li>
 *   <li>{@link #cutWritesAfter}: after that many writes reach the file, later writes are silently lost,
 *       as at a power cut: the file holds exactly the first N writes, whatever the kernel believes.</li>
 * </ul>
 */
public final class IoFaults {
    private volatile long failReadFrom = -1;
    private volatile long failReadTo = -1;
    private volatile int failReadErrno;
    private volatile long failWriteFrom = -1;
    private volatile long failWriteTo = -1;
    private volatile int failWriteErrno;
    private volatile long writeBudget = Long.MAX_VALUE;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong lostWrites = new AtomicLong();

    /** Reads overlapping [from, to) fail with {@code errno}. */
    public void failReadsAt(long from, long to, int errno) {
        failReadErrno = errno;
        failReadFrom = from;
        failReadTo = to;
    }

    /** Writes overlapping [from, to) fail with {@code errno}. */
    public void failWritesAt(long from, long to, int errno) {
        failWriteErrno = errno;
        failWriteFrom = from;
        failWriteTo = to;
    }

    /** Lets {@code n} more writes through, then drops every later one. */
    public void cutWritesAfter(long n) {
        writeBudget = writes.get() + n;
    }

    /** Removes every fault. */
    public void clear() {
        failReadFrom = failReadTo = failWriteFrom = failWriteTo = -1;
        writeBudget = Long.MAX_VALUE;
    }

    /** Writes that reached files. */
    public long writes() {
        return writes.get();
    }

    /** Writes dropped by a cut. */
    public long lostWrites() {
        return lostWrites.get();
    }

    int readError(long offset, long length) {
        return overlaps(offset, length, failReadFrom, failReadTo) ? failReadErrno : 0;
    }

    int writeError(long offset, long length) {
        return overlaps(offset, length, failWriteFrom, failWriteTo) ? failWriteErrno : 0;
    }

    /** Whether this write reaches the file; counts it either way. */
    boolean admitWrite() {
        if (writes.get() >= writeBudget) {
            lostWrites.incrementAndGet();
            return false;
        }
        writes.incrementAndGet();
        return true;
    }

    private static boolean overlaps(long offset, long length, long from, long to) {
        return from >= 0 && offset < to && offset + length > from;
    }
}
