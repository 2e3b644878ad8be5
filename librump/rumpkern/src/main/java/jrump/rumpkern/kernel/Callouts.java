package jrump.rumpkern.kernel;

import java.util.PriorityQueue;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/**
 * The callouts of one kernel. Where rump ticks a "rumpclk" thread per CPU at hz, jrump keeps one
 * deadline-ordered queue and one thread that sleeps until the earliest deadline: idle kernels cost no
 * wake-ups, which is what lets a thousand of them share a JVM. The thread starts with the first callout.
 */
public final class Callouts {
    /** Clock ticks per second (NetBSD's default hz). */
    public static final int HZ = 100;
    static final long TICK_NANOS = 1_000_000_000L / HZ;

    private final Kernel kernel;
    private final HostMutex mtx;
    private final HostCondVar cv;
    private final PriorityQueue<Callout> queue = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private long seq;
    private Callout running;
    private Hypercalls.ThreadHandle thread;
    private boolean stopping;

    Callouts(Kernel kernel) {
        this.kernel = kernel;
        this.mtx = kernel.hyp().mutexInit(false);
        this.cv = kernel.hyp().cvInit();
    }

    public Callout create(String name, Runnable fn) {
        return new Callout(this, name, fn);
    }

    void schedule(Callout c, long nanos) {
        long now = kernel.hyp().clockGettime(Hypercalls.Clock.ABSMONO);
        mtx.enter();
        try {
            if (stopping) return;
            if (c.pending) queue.remove(c);
            c.deadline = now + nanos;
            c.seq = seq++;
            c.pending = true;
            queue.add(c);
            if (thread == null) {
                try {
                    thread = kernel.hyp().threadCreate(this::run, "rumpclk", true, -1);
                } catch (HyperException e) {
                    queue.remove(c);
                    c.pending = false;
                    throw kernel.panic("cannot start the callout thread: " + e.getMessage());
                }
            }
            if (queue.peek() == c) cv.broadcast();
        } finally {
            mtx.exit();
        }
    }

    boolean stop(Callout c) {
        mtx.enter();
        try {
            boolean was = c.pending;
            if (was) queue.remove(c);
            c.pending = false;
            return was;
        } finally {
            mtx.exit();
        }
    }

    boolean halt(Callout c) {
        mtx.enter();
        try {
            boolean was = c.pending;
            if (was) queue.remove(c);
            c.pending = false;
            while (running == c && Thread.currentThread() != runner) cv.await(mtx);
            return was;
        } finally {
            mtx.exit();
        }
    }

    boolean isPending(Callout c) {
        mtx.enter();
        try {
            return c.pending;
        } finally {
            mtx.exit();
        }
    }

    private volatile Thread runner;

    private void run() {
        runner = Thread.currentThread();
        KLwp l = kernel.newKernelLwp(true, -1);
        while (true) {
            Callout due;
            mtx.enter();
            try {
                while (true) {
                    if (stopping) return;
                    Callout head = queue.peek();
                    long now = kernel.hyp().clockGettime(Hypercalls.Clock.ABSMONO);
                    if (head == null) {
                        cv.await(mtx);
                    } else if (head.deadline <= now) {
                        due = queue.poll();
                        due.pending = false;
                        running = due;
                        break;
                    } else {
                        cv.awaitNanos(mtx, head.deadline - now);
                    }
                }
            } finally {
                mtx.exit();
            }
            try {
                kernel.runBound(l, () -> {
                    try {
                        due.fn.run();
                    } catch (RuntimeException e) {
                        throw kernel.panic(due + ": handler", e);
                    }
                });
            } catch (jrump.rumpkern.KernelPanic e) {
                return; // the kernel is dead; the panic has been reported
            } finally {
                mtx.enter();
                running = null;
                cv.broadcast();
                mtx.exit();
            }
        }
    }

    /** Stops the thread at halt; returns it for joining, or null. */
    Hypercalls.ThreadHandle shutdown() {
        mtx.enter();
        try {
            stopping = true;
            queue.clear();
            cv.broadcast();
            return thread;
        } finally {
            mtx.exit();
        }
    }

    /** Callouts waiting to run. */
    public int pendingCount() {
        mtx.enter();
        try {
            return queue.size();
        } finally {
            mtx.exit();
        }
    }
}
