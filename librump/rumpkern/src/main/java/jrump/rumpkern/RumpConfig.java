package jrump.rumpkern;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.host.HostHypercalls;
import jrump.rumpuser.sim.SimHypercalls;

/**
 * How to boot a kernel (the RUMP_* boot parameters of rumpkernel(7), as a value).
 *
 * @param ncpu        virtual CPUs: a number, or "host" for the host's processor count (RUMP_NCPU; default 2)
 * @param memLimit    bytes of kernel memory (RUMP_MEMLIMIT), or 0 for no limit
 * @param hostname    the kernel's host name, or null for "rump-PID.HOST"
 * @param components  the names of the components to initialise, or null for every one found
 * @param with        opt-in components to add to every one found ({@link RumpComponent#optIn()})
 * @param without     components to leave out of every one found
 * @param extra       components to add that ServiceLoader does not know (tests, embedding programs)
 * @param hypervisor  makes the hypercall layer from the boot parameters
 * @param diagnostic  lock-owner and lock-annotation checks (on in tests; property jrump.diagnostic)
 * @param haltGraceNanos how long halt waits for calls still inside the kernel
 */
public record RumpConfig(String ncpu, long memLimit, String hostname, Set<String> components,
                         Set<String> with, Set<String> without, List<RumpComponent> extra, Hypervisor hypervisor, boolean diagnostic, long haltGraceNanos) {

    /** Makes the hypercall layer for one kernel from its boot parameters. */
    @FunctionalInterface
    public interface Hypervisor {
        Hypercalls create(Map<String, String> params);

        /** The host: java.nio files, virtual threads for kernel threads, console lines dropped. */
        static Hypervisor host() {
            return params -> new HostHypercalls(params, true, null);
        }

        /** The host, with kernel console lines written to {@code console}. */
        static Hypervisor host(PrintStream console) {
            return params -> new HostHypercalls(params, true, console);
        }

        /** A deterministic hypervisor (virtual clock, seeded randomness): {@code sim} is used as made. */
        static Hypervisor of(Hypercalls made) {
            return params -> made;
        }

        /** A new deterministic hypervisor with the given seed. */
        static Hypervisor sim(long seed) {
            return params -> new SimHypercalls(seed, params, null);
        }
    }

    public RumpConfig {
        if (ncpu == null || !(ncpu.equals("host") || ncpu.matches("[0-9]{1,4}"))) {
            throw new IllegalArgumentException("ncpu must be a number or \"host\", not " + ncpu);
        }
        if (!ncpu.equals("host") && (Integer.parseInt(ncpu) < 1 || Integer.parseInt(ncpu) > MAXCPUS)) {
            throw new IllegalArgumentException("ncpu must be 1.." + MAXCPUS + ", not " + ncpu);
        }
        if (memLimit < 0) throw new IllegalArgumentException("negative memory limit " + memLimit);
        components = components == null ? null : Set.copyOf(components);
        with = with == null ? Set.of() : Set.copyOf(with);
        without = without == null ? Set.of() : Set.copyOf(without);
        extra = List.copyOf(extra);
        if (hypervisor == null) throw new IllegalArgumentException("no hypervisor");
    }

    /** NetBSD's MAXCPUS for rump. */
    public static final int MAXCPUS = 64;

    public static RumpConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RumpConfig}; every setting has the default rump uses. */
    public static final class Builder {
        private String ncpu = "2";
        private long memLimit;
        private String hostname;
        private Set<String> components;
        private final Set<String> with = new LinkedHashSet<>();
        private final Set<String> without = new LinkedHashSet<>();
        private final List<RumpComponent> extra = new ArrayList<>();
        private Hypervisor hypervisor = Hypervisor.host();
        private boolean diagnostic = Boolean.getBoolean("jrump.diagnostic");
        private long haltGraceNanos = 10_000_000_000L;

        public Builder ncpu(int n) {
            this.ncpu = Integer.toString(n);
            return this;
        }

        /** "host" or a number. */
        public Builder ncpu(String n) {
            this.ncpu = n;
            return this;
        }

        public Builder memLimit(long bytes) {
            this.memLimit = bytes;
            return this;
        }

        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        /** Initialise only these components (by name); the default is every component found. */
        public Builder components(String... names) {
            this.components = new LinkedHashSet<>(List.of(names));
            return this;
        }

        /** Adds opt-in components (sockin) to every one found. */
        public Builder with(String... names) {
            with.addAll(List.of(names));
            return this;
        }

        /** Leaves components out of every one found (netinet, when sockin replaces it). */
        public Builder without(String... names) {
            without.addAll(List.of(names));
            return this;
        }

        public Builder addComponent(RumpComponent c) {
            extra.add(c);
            return this;
        }

        public Builder hypervisor(Hypervisor h) {
            this.hypervisor = h;
            return this;
        }

        public Builder diagnostic(boolean on) {
            this.diagnostic = on;
            return this;
        }

        public Builder haltGraceNanos(long nanos) {
            this.haltGraceNanos = nanos;
            return this;
        }

        public RumpConfig build() {
            return new RumpConfig(ncpu, memLimit, hostname, components, with, without, extra, hypervisor, diagnostic, haltGraceNanos);
        }
    }
}
