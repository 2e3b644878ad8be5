package jrump.rumpkern.kernel;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The process table of one kernel: pid 0 is the kernel (proc0), pid 1 init ("rumplocal"). */
public final class ProcTable {
    /** Highest pid handed out before the counter wraps (NetBSD's PID_MAX). */
    static final int PID_MAX = 30000;
    /** Processes a kernel holds at most (maxproc). */
    static final int MAXPROC = 4096;

    private final ConcurrentHashMap<Integer, Proc> procs = new ConcurrentHashMap<>();
    private int nextPid = 2;

    public Proc find(int pid) {
        return procs.get(pid);
    }

    public Collection<Proc> all() {
        return procs.values();
    }

    public int count() {
        return procs.size();
    }

    void insert(Proc p) {
        procs.put(p.pid(), p);
    }

    void remove(Proc p) {
        procs.remove(p.pid(), p);
    }

    /** Allocates a free pid, or -1 when the table is full (EAGAIN). */
    synchronized int allocPid() {
        if (procs.size() >= MAXPROC) return -1;
        for (int tries = 0; tries < PID_MAX; tries++) {
            int pid = nextPid;
            nextPid = nextPid >= PID_MAX ? 2 : nextPid + 1;
            if (!procs.containsKey(pid)) return pid;
        }
        return -1;
    }
}
