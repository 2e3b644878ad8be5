package jrump.rumpkern.kernel;

import java.util.concurrent.atomic.AtomicInteger;

import jrump.rumpuser.Hypercalls;

/**
 * The virtual CPU scheduler (NetBSD sys/rump/librump/rumpkern/scheduler.c): an admission control that lets
 * at most ncpu host threads run kernel code at once. There is no run queue and no preemption; the host
 * schedules threads, this only hands out CPUs.
 */
final class Scheduler {
    /*
     * Implementation notes. Read first: rump-design.md section 2.
     *
     * Fast path: an lwp returning to the CPU it used last, which nobody took in between, takes it with one
     * CAS of prevlwp from itself to BUSY: no lock, no other barrier. This is the common case when there are
     * no more frequently-running threads than CPUs.
     *
     * Slow path, under the CPU's mutex: swap prevlwp to WANTED. If the old value was an lwp, the CPU was
     * free: CAS WANTED -> BUSY (nothing else can change WANTED while we hold the mutex: the fast path needs
     * prevlwp to be an lwp, and a holder that releases swaps its lwp in, but the CPU had no holder).
     * Otherwise the holder will see WANTED when it releases and broadcast under the mutex, so waiting on the
     * CPU's condvar loses no wake-up. Before waiting, an unbound lwp migrates once to another CPU picked
     * round-robin.
     */
    private final VirtualCpu[] cpus;
    private final AtomicInteger nextCpu = new AtomicInteger();

    Scheduler(Hypercalls hyp, int ncpu) {
        cpus = new VirtualCpu[ncpu];
        for (int i = 0; i < ncpu; i++) cpus[i] = new VirtualCpu(i, hyp.mutexInit(true), hyp.cvInit(), null);
    }

    int ncpu() {
        return cpus.length;
    }

    VirtualCpu cpu(int index) {
        return cpus[index];
    }

    /** Takes a CPU for {@code l}; returns it with {@code l} marked as running there. */
    VirtualCpu schedule(KLwp l) {
        VirtualCpu target = l.boundCpu >= 0 ? cpus[l.boundCpu] : l.targetCpu != null ? l.targetCpu : cpus[0];
        if (VirtualCpu.PREVLWP.compareAndSet(target, l, VirtualCpu.BUSY)) {
            target.fastpath++;
            return bind(l, target);
        }
        return scheduleSlow(l, target);
    }

    private VirtualCpu scheduleSlow(KLwp l, VirtualCpu target) {
        boolean triedMigrate = false;
        VirtualCpu cpu = target;
        cpu.mtx.enterNowrap();
        while (true) {
            Object old = VirtualCpu.PREVLWP.getAndSet(cpu, VirtualCpu.WANTED);
            if (old != VirtualCpu.BUSY && old != VirtualCpu.WANTED) {
                boolean took = VirtualCpu.PREVLWP.compareAndSet(cpu, VirtualCpu.WANTED, VirtualCpu.BUSY);
                assert took : "free CPU changed under its mutex";
                cpu.mtx.exit();
                cpu.slowpath++;
                if (cpu != target) cpu.migrated++;
                return bind(l, cpu);
            }
            if (!triedMigrate && cpus.length > 1 && l.boundCpu < 0) {
                triedMigrate = true;
                cpu.mtx.exit();
                int next = Math.floorMod(nextCpu.getAndIncrement(), cpus.length);
                if (next == cpu.index) next = (next + 1) % cpus.length;
                cpu = cpus[next];
                cpu.mtx.enterNowrap();
                continue;
            }
            cpu.wanted++;
            cpu.cv.awaitNowrap(cpu.mtx);
            cpu.wanted--;
        }
    }

    private static VirtualCpu bind(KLwp l, VirtualCpu cpu) {
        // write only on a change: the fast path then stores nothing but the CPU's own hot word
        if (l.targetCpu != cpu) l.targetCpu = cpu;
        return cpu;
    }

    /** Gives {@code cpu} back; {@code l} is remembered so that it can take the CPU back on the fast path. */
    void unschedule(KLwp l, VirtualCpu cpu) {
        Object old = VirtualCpu.PREVLWP.getAndSet(cpu, l);
        if (old == VirtualCpu.WANTED) {
            cpu.mtx.enterNowrap();
            if (cpu.wanted > 0) cpu.cv.broadcast();
            cpu.mtx.exit();
        }
    }

    int busyCpus() {
        int n = 0;
        // a CPU somebody waits for counts as busy: its waiter is about to run
        for (VirtualCpu c : cpus) if (c.busy() || c.wanted > 0) n++;
        return n;
    }

    SchedulerStats stats() {
        long fast = 0;
        long slow = 0;
        long mig = 0;
        for (VirtualCpu c : cpus) {
            fast += c.fastpath;
            slow += c.slowpath;
            mig += c.migrated;
        }
        return new SchedulerStats(cpus.length, fast, slow, mig);
    }
}
