package jrump.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump boot}: boots a kernel, shows what booted and halts it. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a rump kernel, print what booted (CPUs, components, system calls) and halt it.")
final class BootCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ncpu", description = "virtual CPUs: a number or 'host' (default: ${DEFAULT-VALUE})", defaultValue = "2")
    String ncpu;

    @Option(names = "--memlimit", description = "kernel memory limit in bytes, 0 for none (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long memLimit;

    @Option(names = "--hostname", description = "the kernel's host name")
    String hostname;

    @Option(names = "--sim", paramLabel = "SEED", description = "use the deterministic hypervisor with this seed (virtual clock)")
    Long simSeed;

    @Option(names = "--syscalls", description = "list every system call with the component that provides it")
    boolean listSyscalls;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RumpConfig.Builder b = RumpConfig.builder().ncpu(ncpu).memLimit(memLimit).hostname(hostname);
        if (simSeed != null) b.hypervisor(RumpConfig.Hypervisor.sim(simSeed));
        RumpConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("jrump boot: " + e.getMessage());
            return 2;
        }
        try (RumpKernel rk = RumpKernel.boot(config)) {
            Syscalls sys = rk.syscalls();
            List<RumpKernel.SyscallInfo> table = rk.syscallTable();
            Map<String, Integer> byComponent = new TreeMap<>();
            for (var s : table) if (s.implemented()) byComponent.merge(s.component(), 1, Integer::sum);
            long implemented = table.stream().filter(RumpKernel.SyscallInfo::implemented).count();

            out.printf("jrump %s: rump kernel \"%s\" booted in %.2f ms%n", Jrump.VERSION, rk.hostname(), rk.bootNanos() / 1e6);
            out.printf("  CPUs:        %d virtual%s%n", rk.ncpu(), simSeed != null ? " (deterministic hypervisor, seed " + simSeed + ")" : "");
            out.printf("  memory:      %s%n", memLimit == 0 ? "no limit" : memLimit + " bytes");
            out.printf("  components:  %s%n", rk.components().isEmpty() ? "(none)" : String.join(", ", rk.components()));
            out.printf("  syscalls:    %d of %d implemented %s; the others answer ENOSYS%n", implemented, table.size(), byComponent);
            if (implemented > 0) {
                Timespec up = sys.clockGettime(Sys.CLOCK_MONOTONIC);
                out.printf("  init:        pid %d, uid %d, umask %03o, uptime %d.%09d s%n", sys.getpid(), sys.getuid(),
                        sys.umask(022), up.sec(), up.nsec());
            }
            if (listSyscalls) {
                for (var s : table) {
                    out.printf("  %4d %-18s %s%n", s.number(), s.name(), s.implemented() ? s.component() : "ENOSYS");
                }
            }
            boolean clean = rk.halt();
            out.println(clean ? "  halted cleanly" : "  halted with calls still inside the kernel");
            return clean ? 0 : 1;
        }
    }
}
