package jrump.rumpuser;

/**
 * A host tap device opened for a kernel's virtif interface (NetBSD's rumpcomp_virtif_user hypercalls:
 * VIFHYPER_CREATE, VIFHYPER_SEND, VIFHYPER_RECV). Each read and write moves one whole Ethernet frame
 * (no packet-information header). Reads never block: a reader waits with {@link #await} and then reads
 * until {@link #read} returns 0, so one wake-up takes every frame that has arrived.
 *
 * <p>Thread use: one reader thread (await, read) and writers serialised by the caller (write); wakeup
 * and close from any thread.
 */
public interface HostTap extends AutoCloseable {
    /** The host's name of the device (as the host spells it, e.g. "tap0"). */
    String name();

    /** Whether opening it created the device (it goes away on close), rather than attaching to one. */
    boolean created();

    /**
     * Waits until a frame can be read, {@link #wakeup} is called or {@code timeoutNanos} pass. Gives up
     * the caller's virtual CPU while it waits. Returns true when a frame is waiting.
     */
    boolean await(long timeoutNanos);

    /**
     * Reads one frame into {@code buf[off, off+len)} without blocking: its length, or 0 when none is
     * waiting. A frame longer than {@code len} is cut to {@code len} bytes (callers give one byte more
     * than the largest frame they accept, to see it). EIO and the like as {@link HyperException}.
     */
    int read(byte[] buf, int off, int len) throws HyperException;

    /** Writes one frame, {@code buf[off, off+len)}, without blocking. Returns false when the host dropped it. */
    boolean write(byte[] buf, int off, int len) throws HyperException;

    /** Makes a waiting {@link #await} return. */
    void wakeup();

    /** Closes the device (a device it created goes away). Idempotent. */
    @Override
    void close();
}
