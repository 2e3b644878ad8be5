package jrump.rumpuser.sim;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HostRwLock;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.Upcalls;
import jrump.rumpuser.host.HostHypercalls;
import jrump.rumpuser.impl.MemoryAccount;

/**
 * A deterministic hypervisor for tests: a virtual clock, seeded randomness and injectable I/O faults.
 *
 * <p>The clock does not follow the host's. It advances only when the kernel is quiescent: every thread
 * this hypervisor started is blocked in one of its waits, and no virtual CPU is held. Then it jumps to the
 * earliest deadline of a sleeper or timed wait and wakes it. A callout ten minutes ahead therefore fires
 * as soon as everything else has settled. A watchdog thread re-checks quiescence every millisecond of
 * real time, so the clock also moves when the last CPU is released outside any hypercall.
 */
public final class SimHypercalls implements Hypercalls {
    /*
     * Implementation notes. Every wait of this hypervisor (mutex, rwlock, condvar, sleep, join) is a
     * Waiter parked on one lock, "big". A thread counts as running from when it starts (or is woken:
     * the waker un-counts it) until it blocks, so a woken thread that has not run yet still keeps the
     * clock from moving. All counting happens under "big".
     */
    /** The wall clock's value at virtual time 0: 2026-01-01T00:00:00Z, so tests see a plausible date. */
    public static final long EPOCH_AT_START_NANOS = 1_767_225_600L * 1_000_000_000L;

    final ReentrantLock big = new ReentrantLock();
    private final PriorityQueue<Waiter> sleepers = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final ThreadLocal<Boolean> tracked = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final ThreadLocal<Object> curlwp = new ThreadLocal<>();
    private final Map<String, String> params;
    private final SplittableRandom random;
    private final HostHypercalls files;
    private final PrintStream console;
    private final MemoryAccount memory;
    private final IoFaults faults = new IoFaults();
    private long now;
    private long wallOffset;
    private int liveTracked;
    private int blockedTracked;
    private int wokenClients;
    private volatile Upcalls upcalls;
    private volatile Thread watchdog;
    private volatile boolean finished;

    /** A parked thread: what it waits for is up to the caller; {@code deadline} is virtual, or MAX for none. */
    final class Waiter {
        final Condition cond = big.newCondition();
        final boolean isTracked = tracked.get();
        long deadline = Long.MAX_VALUE;
        boolean woken;
        boolean counted;
        /** A client thread (not started here) woken but not yet running again: holds the clock. */
        boolean wokenClient;
    }

    public SimHypercalls(long seed, Map<String, String> params, PrintStream console) {
        this.params = Map.copyOf(params);
        this.random = new SplittableRandom(seed);
        this.console = console;
        this.files = new HostHypercalls(Map.of(), false, null);
        String limit = params.get(PARAM_MEMLIMIT);
        this.memory = new MemoryAccount(limit == null ? Long.MAX_VALUE : Long.parseLong(limit));
    }

    public SimHypercalls(long seed) {
        this(seed, Map.of(), null);
    }

    /** The I/O faults this hypervisor injects into host files it opens. */
    public IoFaults faults() {
        return faults;
    }

    /** Virtual monotonic time in nanoseconds since this hypervisor was made. */
    public long nanoTime() {
        big.lock();
        try {
            return now;
        } finally {
            big.unlock();
        }
    }

    /** Moves the virtual clock forward by {@code nanos} and wakes whoever that makes due. */
    public void advance(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("negative advance " + nanos);
        big.lock();
        try {
            now += nanos;
            wakeDue();
        } finally {
            big.unlock();
        }
    }

    @Override
    public void init(int version, Upcalls upcalls) throws HyperException {
        if (version != VERSION) throw new HyperException(HostErrno.EINVAL, "hypercall version " + version);
        this.upcalls = upcalls;
        files.init(version, upcalls);
        Thread w = Thread.ofPlatform().daemon(true).name("simclock-watchdog").unstarted(this::watch);
        watchdog = w;
        w.start();
    }

    private void watch() {
        while (!finished) {
            big.lock();
            try {
                maybeAdvance();
            } finally {
                big.unlock();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    Upcalls upcalls() {
        return upcalls;
    }

    // --- the core: blocking and the clock ------------------------------------------------------

    /** Parks the caller until {@code w} is woken. Caller holds {@code big}. */
    void block(Waiter w) {
        if (w.woken) return;
        if (w.isTracked) {
            w.counted = true;
            blockedTracked++;
        }
        if (w.deadline != Long.MAX_VALUE) sleepers.add(w);
        maybeAdvance();
        while (!w.woken) w.cond.awaitUninterruptibly();
    }

    /** Wakes {@code w} (caller holds {@code big}). */
    void wake(Waiter w) {
        if (w.woken) return;
        w.woken = true;
        if (w.counted) {
            w.counted = false;
            blockedTracked--;
        }
        if (!w.isTracked) {
            w.wokenClient = true;
            wokenClients++;
        }
        if (w.deadline != Long.MAX_VALUE) sleepers.remove(w);
        w.cond.signal();
    }

    /** The woken client thread of {@code w} is running again (back on its CPU, if it had one). */
    void settle(Waiter w) {
        big.lock();
        try {
            if (w.wokenClient) {
                w.wokenClient = false;
                wokenClients--;
            }
        } finally {
            big.unlock();
        }
    }

    private void maybeAdvance() {
        if (sleepers.isEmpty() || blockedTracked < liveTracked || wokenClients > 0) return;
        Upcalls up = upcalls;
        if (up != null && up.busyCpus() > 0) return;
        Waiter first = sleepers.peek();
        if (first.deadline > now) now = first.deadline;
        wakeDue();
    }

    private void wakeDue() {
        Waiter w;
        while ((w = sleepers.peek()) != null && w.deadline <= now) wake(w);
    }

    Waiter newWaiter() {
        return new Waiter();
    }

    int unscheduleForWait() {
        Upcalls up = upcalls;
        return up == null ? -1 : up.backendUnschedule();
    }

    void rescheduleAfterWait(int token) {
        Upcalls up = upcalls;
        if (up != null) up.backendSchedule(token);
    }

    // --- parameters, memory, randomness -------------------------------------------------------

    @Override
    public String getParam(String name) {
        String v = params.get(name);
        if (v != null) return v;
        return switch (name) {
            case PARAM_NCPU -> "2";
            case PARAM_HOSTNAME -> "rump-sim";
            default -> null;
        };
    }

    @Override
    public int hostCpus() {
        return 2;
    }

    @Override
    public void memAlloc(long bytes) throws HyperException {
        memory.reserve(bytes);
    }

    @Override
    public void memFree(long bytes) {
        memory.release(bytes);
    }

    @Override
    public long memUsed() {
        return memory.used();
    }

    @Override
    public long memLimit() {
        return memory.limit();
    }

    @Override
    public void getRandom(byte[] buf) {
        synchronized (random) {
            random.nextBytes(buf);
        }
    }

    // --- files --------------------------------------------------------------------------------

    @Override
    public HostFile open(String path, int flags) throws HyperException {
        return new FaultyHostFile(files.open(path, flags), faults);
    }

    @Override
    public java.nio.ByteBuffer mapShared(String path, int size) throws HyperException {
        return files.mapShared(path, size);
    }

    @Override
    public FileInfo getFileInfo(String path) throws HyperException {
        return files.getFileInfo(path);
    }

    @Override
    public java.util.List<String> listDirectory(String path) throws HyperException {
        return files.listDirectory(path);
    }

    // --- clocks -------------------------------------------------------------------------------

    @Override
    public long clockGettime(Clock clock) {
        big.lock();
        try {
            return clock == Clock.ABSMONO ? now : EPOCH_AT_START_NANOS + now + wallOffset;
        } finally {
            big.unlock();
        }
    }

    @Override
    public void clockSleep(Clock clock, long nanos) {
        int token = unscheduleForWait();
        Waiter w = null;
        big.lock();
        try {
            long deadline = clock == Clock.ABSMONO ? nanos : now + Math.max(0, nanos);
            if (deadline <= now) return;
            w = newWaiter();
            w.deadline = deadline;
            block(w);
        } finally {
            big.unlock();
            rescheduleAfterWait(token);
            if (w != null) settle(w);
        }
    }

    // --- threads ------------------------------------------------------------------------------

    @Override
    public ThreadHandle threadCreate(Runnable body, String name, boolean mustJoin, int cpuIndex) throws HyperException {
        SimThread t = new SimThread(this);
        big.lock();
        try {
            liveTracked++;
        } finally {
            big.unlock();
        }
        try {
            Thread.ofPlatform().daemon(true).name(name).start(() -> {
                tracked.set(Boolean.TRUE);
                try {
                    body.run();
                } finally {
                    big.lock();
                    try {
                        liveTracked--;
                        t.exited();
                        maybeAdvance();
                    } finally {
                        big.unlock();
                    }
                }
            });
        } catch (OutOfMemoryError | RuntimeException e) {
            big.lock();
            try {
                liveTracked--;
            } finally {
                big.unlock();
            }
            throw new HyperException(HostErrno.EAGAIN, "cannot start thread " + name, e);
        }
        return t;
    }

    /** A thread started by {@link #threadCreate}: joiners wait for its exit like any other waiter. */
    static final class SimThread implements ThreadHandle {
        private final SimHypercalls sim;
        private final Deque<Waiter> joiners = new ArrayDeque<>();
        private boolean done;

        SimThread(SimHypercalls sim) {
            this.sim = sim;
        }

        void exited() {
            done = true;
            for (Waiter w : joiners) sim.wake(w);
            joiners.clear();
        }

        @Override
        public void join() {
            int token = sim.unscheduleForWait();
            Waiter w = null;
            sim.big.lock();
            try {
                if (!done) {
                    w = sim.newWaiter();
                    joiners.add(w);
                    sim.block(w);
                }
            } finally {
                sim.big.unlock();
                sim.rescheduleAfterWait(token);
                if (w != null) sim.settle(w);
            }
        }
    }

    @Override
    public void curlwpSet(Object lwp) {
        if (lwp == null) curlwp.remove();
        else curlwp.set(lwp);
    }

    @Override
    public Object curlwp() {
        return curlwp.get();
    }

    // --- locks --------------------------------------------------------------------------------

    @Override
    public HostMutex mutexInit(boolean spin) {
        return new SimMutex(this, spin);
    }

    @Override
    public HostRwLock rwInit() {
        return new SimRwLock(this);
    }

    @Override
    public HostCondVar cvInit() {
        return new SimCondVar(this);
    }

    @Override
    public void consoleLine(String line) {
        if (console != null) console.println(line);
    }

    @Override
    public void fini() {
        finished = true;
        Thread w = watchdog;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        files.fini();
    }

    /** Sets the wall clock (settimeofday) without moving the monotonic one. */
    void setWallOffset(long offset) {
        wallOffset = offset;
    }
}
