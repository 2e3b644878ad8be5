package jrump.rumpkern;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.impl.Boot;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.SyscallDesc;
import jrump.rumpkern.kernel.SyscallTable;

/**
 * A rump kernel: a NetBSD-style kernel as a library. Boot one with {@link #boot(RumpConfig)}, call into it
 * through {@link #syscalls()} (rump_sys_*) and {@link #pub()} (rump_pub_*), halt it with {@link #halt()}.
 * Any number of kernels can run in one JVM; each has its own CPUs, processes, descriptors and clock.
 */
public final class RumpKernel implements AutoCloseable {
    private final Kernel kernel;
    private final List<String> components;
    private final Syscalls syscalls;
    private final RumpkernPub pub;
    private final long bootNanos;
    private final long haltGraceNanos;

    RumpKernel(Kernel kernel, List<String> components, RumpkernPub pub, long bootNanos, long haltGraceNanos) {
        this.kernel = kernel;
        this.components = List.copyOf(components);
        this.syscalls = new Syscalls(kernel);
        this.pub = pub;
        this.bootNanos = bootNanos;
        this.haltGraceNanos = haltGraceNanos;
    }

    /** Boots a kernel with the default configuration (2 CPUs, every component found). */
    public static RumpKernel boot() {
        return boot(RumpConfig.defaults());
    }

    /**
     * Boots a kernel (rump_init). Fails with RumpException when a component's initialisation fails;
     * nothing of the failed kernel is left running.
     */
    public static RumpKernel boot(RumpConfig config) {
        Boot.Booted b = Boot.boot(config);
        return new RumpKernel(b.kernel(), b.components(), b.pub(), b.bootNanos(), config.haltGraceNanos());
    }

    /** The system calls (rump_sys_*). */
    public Syscalls syscalls() {
        return syscalls;
    }

    /** The public kernel interfaces (rump_pub_*: lwproc, credentials). */
    public RumpkernPub pub() {
        return pub;
    }

    public int ncpu() {
        return kernel.ncpu();
    }

    public String hostname() {
        return kernel.hostname();
    }

    /** The components initialised at boot, in the order they were. */
    public List<String> components() {
        return components;
    }

    /** The system calls this kernel implements, with the component providing each. */
    public List<SyscallInfo> syscallTable() {
        List<SyscallInfo> out = new ArrayList<>();
        for (SyscallDesc<?> d : SyscallTable.ALL) {
            out.add(new SyscallInfo(d.number(), d.name(), kernel.sysent().owner(d.number())));
        }
        return out;
    }

    /** A system call of the table; {@code component} is null when no component provides it (ENOSYS). */
    public record SyscallInfo(int number, String name, String component) {
        public boolean implemented() {
            return component != null;
        }
    }

    /** Nanoseconds the boot took. */
    public long bootNanos() {
        return bootNanos;
    }

    /** The virtual CPU scheduler's counters. */
    public SchedulerCounters schedulerCounters() {
        var s = kernel.schedulerStats();
        return new SchedulerCounters(s.ncpu(), s.fastpath(), s.slowpath(), s.migrations());
    }

    /** Counters of the virtual CPU scheduler, summed over the CPUs. */
    public record SchedulerCounters(int ncpu, long fastpath, long slowpath, long migrations) {
    }

    /** BOOTING, RUNNING, HALTING, HALTED or PANICKED. */
    public String state() {
        return kernel.state().name();
    }

    public boolean running() {
        return kernel.state() == Kernel.State.RUNNING;
    }

    /**
     * Halts the kernel: syncs what components keep (file systems), stops and joins its threads. Later calls
     * fail with ENXIO. Returns false if calls were still inside the kernel after the grace period.
     */
    public boolean halt() {
        return kernel.halt(false, haltGraceNanos);
    }

    @Override
    public void close() {
        halt();
    }

    /** For tests of the kernel module: the kernel's internal side. */
    Kernel kernel() {
        return kernel;
    }

    @Override
    public String toString() {
        return "rump kernel " + kernel.hostname() + " (" + kernel.ncpu() + " CPUs, " + kernel.state() + ")";
    }
}
