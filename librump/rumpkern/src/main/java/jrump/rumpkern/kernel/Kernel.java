package jrump.rumpkern.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jrump.rumpkern.Errno;
import jrump.rumpkern.KernelPanic;
import jrump.rumpkern.RumpException;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.Upcalls;

/**
 * One rump kernel as its components see it: the hypercalls, the CPUs, the process table, the system call
 * table, locks, callouts, softints and kernel threads. Nothing in it is shared with another kernel.
 */
public final class Kernel implements KernelEntry, SyscallGate, Upcalls {
    /*
     * Implementation notes. Entering (schedule): find the thread's ThreadState through the hypervisor;
     * pick the bound lwp or the thread's implicit lwp in init; take a CPU for it. Leaving (unschedule):
     * give the CPU back, then wake the CPU's softint thread if softints were queued. Blocking hypercalls
     * call backendUnschedule/backendSchedule around the wait, keeping the lwp but not the CPU.
     */
    public enum State { BOOTING, RUNNING, HALTING, HALTED, PANICKED }

    private final Hypercalls hyp;
    private final boolean diagnostic;
    private final Scheduler sched;
    private final ProcTable procs = new ProcTable();
    private final Sysent sysent = new Sysent();
    private final Callouts callouts;
    private final String hostname;
    private final long bootMono;
    private volatile long wallOffset;
    private volatile State state = State.BOOTING;
    private volatile String panicMessage;
    /** Set once by the halt that does the work (a panicked kernel can still be halted once). */
    private boolean halted;
    private final java.util.concurrent.atomic.AtomicBoolean finiPending = new java.util.concurrent.atomic.AtomicBoolean();
    /** Client threads inside the kernel; striped so that CPUs on different cores do not share a counter. */
    private final LongAdder clientsInside = new LongAdder();
    private final List<Runnable> haltHooks = new CopyOnWriteArrayList<>();
    private volatile EtfsProvider etfs;
    private volatile SendfileProvider sendfile;
    private volatile NetconfProvider netconf;
    private final List<java.util.function.BiConsumer<Proc, Proc>> forkHooks = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Proc>> exitHooks = new CopyOnWriteArrayList<>();
    private final List<Hypercalls.ThreadHandle> kthreads = new CopyOnWriteArrayList<>();
    private final Map<Object, Object> specific = new ConcurrentHashMap<>();
    private final Proc proc0;
    private final Proc initproc;
    private final KLwp lwp0;
    private final Kmutex sleepMtx;
    private final Kcondvar sleepCv;
    private final Kmutex selMtx;
    private final Kcondvar selCv;
    private final java.util.concurrent.atomic.AtomicLong selGeneration = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger selWaiters = new AtomicInteger();
    private final jrump.rumpuser.HostMutex haltMtx;
    private final jrump.rumpuser.HostCondVar haltCv;

    public Kernel(Hypercalls hyp, int ncpu, String hostname, boolean diagnostic) throws HyperException {
        this.hyp = hyp;
        this.diagnostic = diagnostic;
        this.hostname = hostname;
        hyp.init(Hypercalls.VERSION, this);
        this.sched = new Scheduler(hyp, ncpu);
        for (int i = 0; i < ncpu; i++) sched.cpu(i).softints.attach(this);
        this.callouts = new Callouts(this);
        this.bootMono = hyp.clockGettime(Hypercalls.Clock.ABSMONO);
        Filedesc fd0 = new Filedesc();
        proc0 = new Proc(0, null, KCred.ROOT, fd0, 022, Proc.defaultLimits(), 0, 0, "root");
        procs.insert(proc0);
        lwp0 = proc0.newLwp(false, -1);
        initproc = new Proc(1, proc0, KCred.ROOT, new Filedesc(), 022, Proc.defaultLimits(), 1, 1, "root");
        procs.insert(initproc);
        sleepMtx = mutex();
        sleepCv = condvar();
        selMtx = mutex();
        selCv = condvar();
        haltMtx = hyp.mutexInit(true);
        haltCv = hyp.cvInit();
    }

    // --- accessors for components ---------------------------------------------------------------

    public Hypercalls hyp() {
        return hyp;
    }

    /** Whether the kernel is halting or halted: sleepers give up with EINTR. */
    public boolean halting() {
        return state.compareTo(State.HALTING) >= 0;
    }

    public boolean diagnostic() {
        return diagnostic;
    }

    public State state() {
        return state;
    }

    public int ncpu() {
        return sched.ncpu();
    }

    public String hostname() {
        return hostname;
    }

    public ProcTable procs() {
        return procs;
    }

    public Sysent sysent() {
        return sysent;
    }

    public Callouts callouts() {
        return callouts;
    }

    public Proc proc0() {
        return proc0;
    }

    public Proc initproc() {
        return initproc;
    }

    /** Per-kernel state of components, keyed by an object the component owns. */
    public Map<Object, Object> specific() {
        return specific;
    }

    public SchedulerStats schedulerStats() {
        return sched.stats();
    }

    public Kmutex mutex() {
        return new Kmutex(this, hyp.mutexInit(false));
    }

    /** A mutex its owner may enter again: for a file system's lock held across nested calls. */
    public Krecmutex recursiveMutex() {
        return new Krecmutex(this, mutex());
    }

    public Kcondvar condvar() {
        return new Kcondvar(this, hyp.cvInit());
    }

    public Krwlock rwlock() {
        return new Krwlock(this, hyp.rwInit());
    }

    public Softint softintEstablish(int level, Runnable handler) {
        return new Softint(this, level, handler);
    }

    /** Runs {@code hook} when a process exits, before its descriptors close: dropping its record locks. */
    public void addExitHook(java.util.function.Consumer<Proc> hook) {
        exitHooks.add(hook);
    }

    /**
     * Runs {@code hook} for every process made by rfork, with the parent and the child, before the child
     * runs: components copy their per-process state (rumpvfs: the current and root directories).
     */
    public void addForkHook(java.util.function.BiConsumer<Proc, Proc> hook) {
        forkHooks.add(hook);
    }

    /** Installs the network configuration (the netinet component does, at boot). */
    public void setNetconf(NetconfProvider provider) {
        netconf = provider;
    }

    /** The network configuration, or null in a kernel without networking. */
    public NetconfProvider netconf() {
        return netconf;
    }

    /** Installs the etfs implementation (the VFS faction does, at boot). */
    public void setEtfs(EtfsProvider provider) {
        etfs = provider;
    }

    /** The etfs implementation, or null in a kernel without a VFS. */
    public EtfsProvider etfs() {
        return etfs;
    }

    /** Installs rump_pub_fd_sendfile's implementation (the VFS faction does, at boot). */
    public void setSendfile(SendfileProvider provider) {
        sendfile = provider;
    }

    /** rump_pub_fd_sendfile's implementation, or null in a kernel without a VFS. */
    public SendfileProvider sendfile() {
        return sendfile;
    }

    /**
     * selnotify: something a poller may wait for changed (a pipe got data, lost its reader...). One
     * generation counter per kernel: pollers re-check their descriptors when it moves. The mutex is taken
     * only when someone waits, so pipe traffic nobody polls pays one atomic increment.
     */
    public void selnotify() {
        selGeneration.incrementAndGet();
        // a poller counts itself in before it re-reads the generation under the mutex: either it sees
        // our increment, or we see it and wake it
        if (selWaiters.get() > 0) {
            selMtx.enter();
            try {
                selCv.broadcast();
            } finally {
                selMtx.exit();
            }
        }
    }

    /** The current poll generation (read before checking descriptors). */
    public long selGeneration() {
        return selGeneration.get();
    }

    /**
     * Waits until the poll generation moves past {@code seen} or {@code nanos} pass (negative: forever);
     * returns 0, EWOULDBLOCK on timeout, or EINTR when the kernel halts.
     */
    public int selwait(long seen, long nanos) {
        long deadline = nanos < 0 ? Long.MAX_VALUE : uptimeNanos() + nanos;
        selMtx.enter();
        selWaiters.incrementAndGet();
        try {
            while (selGeneration.get() == seen) {
                if (state.compareTo(State.HALTING) >= 0) return Errno.EINTR.number();
                if (nanos < 0) {
                    selCv.await(selMtx);
                } else {
                    long left = deadline - uptimeNanos();
                    if (left <= 0) return Errno.EWOULDBLOCK.number();
                    selCv.awaitNanos(selMtx, left);
                }
            }
            return 0;
        } finally {
            selWaiters.decrementAndGet();
            selMtx.exit();
        }
    }

    /** Runs {@code hook} (with a CPU) when the kernel halts, before its threads stop: syncing file systems. */
    public void addHaltHook(Runnable hook) {
        haltHooks.add(hook);
    }

    /** Monotonic nanoseconds since boot (CLOCK_MONOTONIC). */
    public long uptimeNanos() {
        return hyp.clockGettime(Hypercalls.Clock.ABSMONO) - bootMono;
    }

    /** Wall-clock nanoseconds since the epoch, as this kernel has been told to see it (CLOCK_REALTIME). */
    public long wallNanos() {
        return hyp.clockGettime(Hypercalls.Clock.RELWALL) + wallOffset;
    }

    /** settimeofday: moves only this kernel's wall clock. */
    public void setWallNanos(long nanos) {
        wallOffset = nanos - hyp.clockGettime(Hypercalls.Clock.RELWALL);
    }

    /**
     * Sleeps {@code nanos} of monotonic time (kpause); returns 0, or EINTR when the kernel halts meanwhile.
     * Gives up the CPU while asleep.
     */
    public int sleep(long nanos) {
        long deadline = uptimeNanos() + nanos;
        sleepMtx.enter();
        try {
            long left;
            while ((left = deadline - uptimeNanos()) > 0) {
                if (state.compareTo(State.HALTING) >= 0) return Errno.EINTR.number();
                sleepCv.awaitNanos(sleepMtx, left);
            }
            return 0;
        } finally {
            sleepMtx.exit();
        }
    }

    // --- threads and lwps -----------------------------------------------------------------------

    private ThreadState threadState() {
        Object o = hyp.curlwp();
        if (o instanceof ThreadState ts) return ts;
        ThreadState ts = new ThreadState();
        hyp.curlwpSet(ts);
        return ts;
    }

    private ThreadState threadStateIfAny() {
        return hyp.curlwp() instanceof ThreadState ts ? ts : null;
    }

    /** The lwp running on the calling thread, or null outside the kernel. */
    public KLwp curlwp() {
        ThreadState ts = threadStateIfAny();
        return ts == null ? null : ts.running;
    }

    VirtualCpu currentCpu() {
        ThreadState ts = threadStateIfAny();
        return ts == null ? null : ts.cpu;
    }

    /** The lwp bound to the calling thread by rump_lwproc_switch, or null for the implicit context. */
    public KLwp boundLwp() {
        ThreadState ts = threadStateIfAny();
        return ts == null ? null : ts.bound;
    }

    /** A new lwp of proc0 for a kernel thread. */
    KLwp newKernelLwp(boolean intr, int boundCpu) {
        return proc0.newLwp(intr, boundCpu);
    }

    /** Runs {@code body} on the calling (kernel) thread as {@code l}, holding a CPU. */
    void runBound(KLwp l, Runnable body) {
        ThreadState ts = threadState();
        KLwp saved = ts.bound;
        ts.bound = l;
        ts.running = l;
        ts.cpu = sched.schedule(l);
        try {
            body.run();
        } finally {
            VirtualCpu cpu = ts.cpu;
            ts.cpu = null;
            ts.running = null;
            ts.bound = saved;
            sched.unschedule(l, cpu);
            if (!l.intr) cpu.softints.kick();
        }
    }

    /**
     * kthread_create: starts {@code body} on a new host thread as a new lwp of proc0, holding a CPU
     * (bound to {@code cpu} unless it is -1). The kernel joins it at halt.
     */
    public void kthreadCreate(String name, int cpu, Runnable body) throws HyperException {
        KLwp l = newKernelLwp(false, cpu);
        kthreads.add(hyp.threadCreate(() -> runBound(l, body), name, true, cpu));
    }

    // --- entering and leaving -------------------------------------------------------------------

    @Override
    public void schedule() {
        ThreadState ts = threadState();
        if (ts.cpu != null || ts.backendUnscheduled) {
            ts.depth++;
            if (ts.backendUnscheduled) throw panic("kernel entered from inside a blocking hypercall");
            return;
        }
        // count ourselves in before looking at the state: halt reads the count after setting HALTING,
        // so either it waits for us or we see HALTING
        clientsInside.increment();
        State s = state;
        if (s != State.RUNNING && s != State.BOOTING) {
            clientsInside.decrement();
            signalHalt();
            if (s == State.PANICKED) throw new KernelPanic("kernel is dead after an earlier panic: " + panicMessage);
            throw new RumpException(Errno.ENXIO, "kernel " + hostname + " is " + s.name().toLowerCase(java.util.Locale.ROOT));
        }
        KLwp l = ts.bound;
        if (l == null) {
            l = ts.implicit;
            if (l == null) l = ts.implicit = new KLwp(initproc, 0, false, -1);
        } else if (l.released) {
            ts.bound = null;
            l = ts.implicit;
            if (l == null) l = ts.implicit = new KLwp(initproc, 0, false, -1);
        }
        ts.running = l;
        ts.cpu = sched.schedule(l);
    }

    @Override
    public void unschedule() {
        ThreadState ts = threadStateIfAny();
        if (ts == null || ts.cpu == null) throw panic("unschedule without a CPU");
        if (ts.depth > 0) {
            ts.depth--;
            return;
        }
        VirtualCpu cpu = ts.cpu;
        KLwp l = ts.running;
        ts.cpu = null;
        ts.running = null;
        sched.unschedule(l, cpu);
        if (!l.intr) cpu.softints.kick();
        clientsInside.decrement();
        signalHalt();
        if (finiPending.get() && state != State.HALTING && clientsInside.sum() == 0 && finiPending.compareAndSet(true, false)) {
            // the reboot syscall's caller has left: release what halt could not from inside
            hyp.curlwpSet(null);
            hyp.fini();
        }
    }

    private void signalHalt() {
        if (state == State.HALTING) {
            haltMtx.enterNowrap();
            haltCv.broadcast();
            haltMtx.exit();
        }
    }

    @Override
    public <A extends SyscallArgs> long call(SyscallDesc<A> desc, A args) {
        schedule();
        try {
            KLwp l = curlwp();
            // an lwp runs one syscall at a time: its return-value slots are reused, not allocated per call
            long[] rv = l.rv;
            rv[0] = 0;
            rv[1] = 0;
            int error;
            try {
                error = sysent.invoke(desc, l, args, rv);
            } finally {
                if (l.holdsAny()) l.releaseHeld();
            }
            if (error != 0) throw new RumpException(Errno.of(error), desc.name());
            return rv[0];
        } catch (RumpException | KernelPanic e) {
            throw e;
        } catch (RuntimeException e) {
            throw panic(desc.name(), e);
        } finally {
            unschedule();
        }
    }

    // --- upcalls from the hypervisor ------------------------------------------------------------

    @Override
    public int backendUnschedule() {
        ThreadState ts = threadStateIfAny();
        if (ts == null || ts.cpu == null) return -1;
        VirtualCpu cpu = ts.cpu;
        KLwp l = ts.running;
        ts.cpu = null;
        ts.backendUnscheduled = true;
        sched.unschedule(l, cpu);
        if (!l.intr) cpu.softints.kick();
        return 1;
    }

    @Override
    public void backendSchedule(int token) {
        if (token < 0) return;
        ThreadState ts = threadStateIfAny();
        if (ts == null || ts.running == null) throw panic("backend schedule without an lwp");
        ts.backendUnscheduled = false;
        ts.cpu = sched.schedule(ts.running);
    }

    @Override
    public int busyCpus() {
        return sched.busyCpus();
    }

    // --- lwproc ---------------------------------------------------------------------------------

    /** rump_lwproc_rfork: a new process, child of the current one, with one lwp that becomes current. */
    public int lwprocRfork(int flags, boolean shareFd, boolean copyFd) {
        KLwp me = curlwp();
        Proc parent = me.proc();
        int pid = procs.allocPid();
        if (pid < 0) return Errno.EAGAIN.number();
        Filedesc fd;
        if (shareFd) {
            fd = parent.fd();
            fd.share();
        } else {
            fd = copyFd ? parent.fd().copy() : new Filedesc();
        }
        Proc child = new Proc(pid, parent, parent.cred(), fd, parent.umask(), parent.limits(), parent.pgid(),
                parent.sid(), parent.login());
        child.inheritSugid(parent);
        for (var hook : forkHooks) hook.accept(parent, child);
        procs.insert(child);
        KLwp l = child.newLwp(false, -1);
        switchTo(l);
        return 0;
    }

    /** rump_lwproc_newlwp: a new lwp in process {@code pid}, made current. */
    public int lwprocNewlwp(int pid) {
        Proc p = procs.find(pid);
        if (p == null) return Errno.ESRCH.number();
        KLwp l = p.newLwp(false, -1);
        if (l == null) return Errno.ESRCH.number();
        switchTo(l);
        return 0;
    }

    /** rump_lwproc_switch: makes {@code l} (null: the implicit context) the calling thread's lwp. */
    public void lwprocSwitch(KLwp l) {
        if (l != null && l.released) throw panic("lwproc_switch to a released lwp");
        switchTo(l);
    }

    private void switchTo(KLwp next) {
        ThreadState ts = threadState();
        Thread me = Thread.currentThread();
        if (next != null) {
            Thread other = next.owner;
            if (other != null && other != me) throw panic(next + " is already current on thread " + other.getName());
        }
        KLwp prev = ts.bound;
        if (prev != null && prev != next) prev.owner = null;
        ts.bound = next;
        if (next != null) next.owner = me;
        // the CPU we hold moves to the new lwp, so that unschedule remembers the right one
        if (ts.running != null) {
            KLwp runningNow = next != null ? next : (ts.implicit != null ? ts.implicit
                    : (ts.implicit = new KLwp(initproc, 0, false, -1)));
            ts.running = runningNow;
        }
    }

    /** rump_lwproc_releaselwp: frees the current lwp; its process goes with its last lwp. Fatal in the implicit context. */
    public void lwprocReleaselwp() {
        ThreadState ts = threadState();
        KLwp l = ts.bound;
        if (l == null) throw panic("lwproc_releaselwp: no dedicated lwp (implicit context)");
        l.released = true;
        switchTo(null);
        Proc p = l.proc();
        if (p.removeLwp(l) && p != proc0 && p != initproc) procExit(p);
    }

    private void procExit(Proc p) {
        procs.remove(p);
        KLwp me = curlwp();
        // the hooks drop what the process holds (record locks); closing as another lwp must not do it for us
        for (var hook : exitHooks) hook.accept(p);
        for (KFile f : p.fd().unshare()) f.release(me);
    }

    /** The current lwp as rump_lwproc_curlwp sees it: null in the implicit context. */
    public KLwp lwprocCurlwp() {
        return boundLwp();
    }

    // --- panic and halt -------------------------------------------------------------------------

    /** Marks the kernel dead and returns the panic for the caller to throw. */
    public KernelPanic panic(String message) {
        if (panicMessage == null) panicMessage = message;
        state = State.PANICKED;
        hyp.consoleLine("panic: " + message);
        return new KernelPanic(message);
    }

    @Override
    public KernelPanic panic(String where, RuntimeException cause) {
        String message = where + ": " + cause;
        if (panicMessage == null) panicMessage = message;
        state = State.PANICKED;
        hyp.consoleLine("panic: " + message);
        return new KernelPanic(message, cause);
    }

    /** Boot finished: the sysent table is complete. */
    public void bootDone() {
        sysent.seal();
        state = State.RUNNING;
    }

    /**
     * Halts: runs the halt hooks (syncing file systems unless {@code nosync}), stops and joins every kernel
     * thread and releases the hypervisor. Called from outside the kernel, or from reboot inside it (then the
     * calling thread's own call is allowed to finish).
     *
     * @return false when client calls were still inside after {@code graceNanos}
     */
    public boolean halt(boolean nosync, long graceNanos) {
        boolean panicked;
        synchronized (this) {
            if (state == State.HALTING) return awaitHalted(graceNanos);
            if (state == State.HALTED || halted) return true;
            panicked = state == State.PANICKED;
            state = State.HALTING;
            halted = true;
        }
        boolean fromInside = curlwp() != null;
        if (!nosync) {
            for (Runnable hook : haltHooks) {
                if (fromInside) hook.run();
                else runBound(lwp0, hook);
            }
        }
        sleepMtx.enter();
        sleepCv.broadcast();
        sleepMtx.exit();
        selMtx.enter();
        selCv.broadcast();
        selMtx.exit();
        boolean clean = awaitClientsGone(fromInside ? 1 : 0, graceNanos);
        Hypercalls.ThreadHandle c = callouts.shutdown();
        if (c != null) c.join();
        for (int i = 0; i < sched.ncpu(); i++) {
            Hypercalls.ThreadHandle t = sched.cpu(i).softints.stop();
            if (t != null) t.join();
        }
        for (Hypercalls.ThreadHandle t : kthreads) t.join();
        kthreads.clear();
        state = panicked ? State.PANICKED : State.HALTED;
        haltMtx.enterNowrap();
        haltCv.broadcast();
        haltMtx.exit();
        if (fromInside) {
            finiPending.set(true);
        } else {
            hyp.curlwpSet(null);
            hyp.fini();
        }
        return clean;
    }

    /** A second halt while one is under way waits for it to finish. */
    private boolean awaitHalted(long graceNanos) {
        return awaitHaltCondition(() -> state != State.HALTING, graceNanos);
    }

    /** Waits until at most {@code self} client threads are inside, or {@code graceNanos} have passed. */
    private boolean awaitClientsGone(int self, long graceNanos) {
        return awaitHaltCondition(() -> clientsInside.sum() <= self, graceNanos);
    }

    /** Waits on the halt condvar until {@code done} holds (true) or {@code graceNanos} pass (false). */
    private boolean awaitHaltCondition(java.util.function.BooleanSupplier done, long graceNanos) {
        long deadline = hyp.clockGettime(Hypercalls.Clock.ABSMONO) + graceNanos;
        haltMtx.enterNowrap();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - hyp.clockGettime(Hypercalls.Clock.ABSMONO);
                if (left <= 0) return false;
                haltCv.awaitNanos(haltMtx, left);
            }
            return true;
        } finally {
            haltMtx.exit();
        }
    }

    /** Host threads inside the kernel right now (for tests and halt). */
    public int clientsInside() {
        return clientsInside.intValue();
    }
}
