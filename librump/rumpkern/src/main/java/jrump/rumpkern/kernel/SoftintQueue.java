package jrump.rumpkern.kernel;

import java.util.ArrayDeque;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/**
 * The pending softints of one CPU and the thread that runs them. The thread is started the first time a
 * softint is queued here (rump starts its "rsi" threads lazily too: most kernels never need them).
 */
final class SoftintQueue {
    private final VirtualCpu cpu;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Softint>[] pending = new ArrayDeque[Softint.LEVELS];
    private HostMutex mtx;
    private HostCondVar cv;
    private Hypercalls.ThreadHandle thread;
    private Kernel kernel;
    private volatile boolean any;
    private boolean stopping;

    SoftintQueue(VirtualCpu cpu) {
        this.cpu = cpu;
        for (int i = 0; i < pending.length; i++) pending[i] = new ArrayDeque<>();
    }

    void attach(Kernel k) {
        kernel = k;
        mtx = k.hyp().mutexInit(true);
        cv = k.hyp().cvInit();
    }

    void enqueue(Softint si) {
        mtx.enterNowrap();
        try {
            if (si.pending) return;
            si.pending = true;
            pending[si.level].add(si);
            any = true;
            if (thread == null && !stopping) {
                try {
                    thread = kernel.hyp().threadCreate(this::run, "rsi" + cpu.index, true, cpu.index);
                } catch (HyperException e) {
                    throw kernel.panic("cannot start softint thread: " + e.getMessage());
                }
            }
        } finally {
            mtx.exit();
        }
    }

    /** Called when the CPU is released: wake the softint thread if there is work. */
    void kick() {
        if (!any) return;
        mtx.enterNowrap();
        try {
            cv.signal();
        } finally {
            mtx.exit();
        }
    }

    private void run() {
        KLwp l = kernel.newKernelLwp(true, cpu.index);
        while (true) {
            mtx.enterNowrap();
            while (!any && !stopping) cv.await(mtx);
            boolean stop = stopping && !any;
            mtx.exit();
            if (stop) return;
            try {
                kernel.runBound(l, this::drain);
            } catch (jrump.rumpkern.KernelPanic e) {
                return; // the kernel is dead; the panic has been reported
            }
        }
    }

    /** Runs pending softints, highest level first. Holds the CPU. */
    private void drain() {
        while (true) {
            Softint si = null;
            mtx.enterNowrap();
            try {
                for (int level = Softint.LEVELS - 1; level >= 0 && si == null; level--) si = pending[level].poll();
                if (si == null) {
                    any = false;
                    return;
                }
                si.pending = false;
            } finally {
                mtx.exit();
            }
            try {
                si.handler.run();
            } catch (RuntimeException e) {
                throw kernel.panic("softint handler", e);
            }
        }
    }

    /** Stops the thread at halt; returns it for joining, or null. */
    Hypercalls.ThreadHandle stop() {
        if (mtx == null) return null;
        mtx.enterNowrap();
        try {
            stopping = true;
            cv.broadcast();
            return thread;
        } finally {
            mtx.exit();
        }
    }
}
