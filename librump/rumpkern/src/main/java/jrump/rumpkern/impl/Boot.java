package jrump.rumpkern.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpkernPub;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/**
 * rump_init as a list of named phases: hypervisor, kernel core, components in RUMP_COMPONENT order,
 * done. Not re-entrant per kernel; any number of kernels may boot concurrently.
 */
public final class Boot {
    /** Result of a boot: the kernel, its public interface and the components it initialised. */
    public record Booted(Kernel kernel, RumpkernPub pub, List<String> components, long bootNanos) {
    }

    /** Components found on the module or class path, discovered once per JVM: they hold no per-kernel state. */
    private static volatile List<RumpComponent> discovered;

    private Boot() {
    }

    public static Booted boot(RumpConfig config) {
        Map<String, String> params = new HashMap<>();
        params.put(Hypercalls.PARAM_NCPU, config.ncpu());
        params.put(Hypercalls.PARAM_MEMLIMIT, Long.toString(config.memLimit()));
        if (config.hostname() != null) params.put(Hypercalls.PARAM_HOSTNAME, config.hostname());
        Hypercalls hyp = config.hypervisor().create(params);
        long start = hyp.clockGettime(Hypercalls.Clock.ABSMONO);
        Kernel kernel = bootCore(config, hyp);
        List<RumpComponent> components = select(config);
        List<String> names = new ArrayList<>();
        int error = 0;
        String failed = null;
        kernel.schedule();
        try {
            for (RumpComponent c : components) {
                error = c.init(kernel);
                if (error != 0) {
                    failed = c.name();
                    break;
                }
                names.add(c.name());
            }
            if (failed == null) kernel.bootDone();
        } catch (RuntimeException e) {
            throw kernel.panic("boot", e);
        } finally {
            kernel.unschedule();
        }
        if (failed != null) {
            kernel.halt(true, 0);
            throw new RumpException(Errno.of(error), "component " + failed);
        }
        RumpkernPub pub = new RumpkernPub(kernel, new KernPriv(kernel));
        return new Booted(kernel, pub, names, hyp.clockGettime(Hypercalls.Clock.ABSMONO) - start);
    }

    private static Kernel bootCore(RumpConfig config, Hypercalls hyp) {
        String ncpuParam = hyp.getParam(Hypercalls.PARAM_NCPU);
        int ncpu = "host".equals(ncpuParam) ? hyp.hostCpus() : Integer.parseInt(ncpuParam);
        ncpu = Math.clamp(ncpu, 1, RumpConfig.MAXCPUS);
        String hostname = hyp.getParam(Hypercalls.PARAM_HOSTNAME);
        if (hostname == null || hostname.isEmpty()) hostname = "rump";
        try {
            return new Kernel(hyp, ncpu, hostname, config.diagnostic());
        } catch (HyperException e) {
            throw new RumpException(Errno.of(e.errno()), "hypervisor: " + e.getMessage());
        }
    }

    private static List<RumpComponent> select(RumpConfig config) {
        List<RumpComponent> all = new ArrayList<>(discover());
        all.addAll(config.extra());
        if (config.components() != null) {
            for (String wanted : config.components()) {
                if (all.stream().noneMatch(c -> c.name().equals(wanted))) {
                    throw new RumpException(Errno.ENOENT, "no component named " + wanted);
                }
            }
            all.removeIf(c -> !config.components().contains(c.name()) && !config.extra().contains(c));
        } else {
            for (String wanted : config.with()) {
                if (all.stream().noneMatch(c -> c.name().equals(wanted))) {
                    throw new RumpException(Errno.ENOENT, "no component named " + wanted);
                }
            }
            all.removeIf(c -> !config.extra().contains(c)
                    && (config.without().contains(c.name()) || c.optIn() && !config.with().contains(c.name())));
        }
        Map<String, String> providers = new HashMap<>();
        for (RumpComponent c : all) {
            if (c.provides() == null) continue;
            String other = providers.putIfAbsent(c.provides(), c.name());
            if (other != null) {
                throw new RumpException(Errno.EEXIST, "components " + other + " and " + c.name() + " both provide "
                        + c.provides() + "; boot with one of them (RumpConfig.Builder.without)");
            }
        }
        all.sort(Comparator.comparing(RumpComponent::type));
        return all;
    }

    private static List<RumpComponent> discover() {
        List<RumpComponent> d = discovered;
        if (d == null) {
            List<RumpComponent> found = new ArrayList<>();
            for (RumpComponent c : ServiceLoader.load(RumpComponent.class, Boot.class.getClassLoader())) found.add(c);
            discovered = d = List.copyOf(found);
        }
        return d;
    }
}
