package jrump.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.RumpKernel;

/**
 * Retained heap per idle kernel: boots N kernels, makes one system call in each (so that the calling
 * thread's per-kernel state exists), collects garbage and divides the heap growth by N.
 * Usage: KernelFootprint [N]
 */
public final class KernelFootprint {
    private KernelFootprint() {
    }

    private static long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        // warm up the classes so that they are not counted
        RumpKernel.boot().halt();
        long before = usedAfterGc();
        List<RumpKernel> kernels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RumpKernel rk = RumpKernel.boot();
            rk.syscalls().getpid();
            kernels.add(rk);
        }
        long after = usedAfterGc();
        System.out.printf("kernels: %d%nretained heap per idle kernel: %.1f KiB%n", n, (after - before) / 1024.0 / n);
        for (RumpKernel rk : kernels) rk.halt();
        kernels.clear();
        System.out.printf("after halting all: %.1f KiB above the start%n", (usedAfterGc() - before) / 1024.0);
    }
}
