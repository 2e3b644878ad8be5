package jrump.rumpdev.blk;

import java.util.concurrent.atomic.AtomicInteger;

import jrump.rumpkern.kernel.Kernel;

/** The host disks a kernel has open; present only in kernels booted with the rumpdev component. */
public final class DiskRegistry {
    private static final Object KEY = DiskRegistry.class;

    private final AtomicInteger open = new AtomicInteger();

    private DiskRegistry() {
    }

    static void install(Kernel kernel) {
        kernel.specific().putIfAbsent(KEY, new DiskRegistry());
    }

    /** The kernel's registry, or null when it was booted without rumpdev. */
    public static DiskRegistry of(Kernel kernel) {
        return (DiskRegistry) kernel.specific().get(KEY);
    }

    /** Host files open now: each stays open while any device over it is. */
    public int openDisks() {
        return open.get();
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }
}
