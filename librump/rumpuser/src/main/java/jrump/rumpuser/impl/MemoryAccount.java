package jrump.rumpuser.impl;

import java.util.concurrent.atomic.AtomicLong;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HyperException;

/**
 * The kernel's memory as a hypervisor counts it (rumpuser_malloc and rumpuser_free against
 * {@link jrump.rumpuser.Hypercalls#PARAM_MEMLIMIT}): a running total that no allocation may take past the
 * limit. Shared by the host and the simulated hypervisor, which differ only in how they read the limit.
 */
public final class MemoryAccount {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes the kernel may hold at once ({@link Long#MAX_VALUE}: no limit) */
    public MemoryAccount(long limit) {
        this.limit = limit;
    }

    /** Counts {@code bytes} as used, or throws ENOMEM and counts nothing when that would pass the limit. */
    public void reserve(long bytes) throws HyperException {
        long after = used.addAndGet(bytes);
        if (after > limit) {
            used.addAndGet(-bytes);
            throw new HyperException(HostErrno.ENOMEM, "memory limit of " + limit + " bytes reached");
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
