package jrump.rumpkern.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Rlimit;
import jrump.rumpkern.Sys;

/**
 * A process (struct proc): credentials, descriptors, limits, session and process group, and the lwps.
 * Mutable fields are guarded by the proc's monitor (short, non-blocking sections: a spin mutex's role).
 */
public final class Proc {
    private final int pid;
    private final Proc parent;
    private volatile KCred cred;
    private volatile Filedesc fd;
    private volatile int umask;
    private final Rlimit[] limits;
    private int pgid;
    private int sid;
    private String login;
    /** P_SUGID: credentials changed by a set*id call (issetugid). */
    private volatile boolean sugid;
    private final List<KLwp> lwps = new ArrayList<>();
    private int nextLid = 1;
    private boolean exited;
    /** Per-process state of components (NetBSD's proc specificdata), e.g. the cwd of rumpvfs. */
    private final Map<Object, Object> specific = new ConcurrentHashMap<>();

    Proc(int pid, Proc parent, KCred cred, Filedesc fd, int umask, Rlimit[] limits, int pgid, int sid, String login) {
        this.pid = pid;
        this.parent = parent;
        this.cred = cred;
        this.fd = fd;
        this.umask = umask;
        this.limits = limits.clone();
        this.pgid = pgid;
        this.sid = sid;
        this.login = login;
    }

    public int pid() {
        return pid;
    }

    public Proc parent() {
        return parent;
    }

    public int ppid() {
        return parent == null ? 0 : parent.pid;
    }

    public KCred cred() {
        return cred;
    }

    /** Replaces the credential; marks the process set-id when it was a set*id change. */
    public void setCred(KCred c, boolean byIdChange) {
        cred = c;
        if (byIdChange) sugid = true;
    }

    public boolean sugid() {
        return sugid;
    }

    void inheritSugid(Proc from) {
        sugid = from.sugid;
    }

    public Filedesc fd() {
        return fd;
    }

    public int umask() {
        return umask;
    }

    public void setUmask(int mask) {
        umask = mask;
    }

    public synchronized Rlimit limit(int which) {
        return limits[which];
    }

    public synchronized void setLimit(int which, Rlimit r) {
        limits[which] = r;
    }

    synchronized Rlimit[] limits() {
        return limits.clone();
    }

    public synchronized int pgid() {
        return pgid;
    }

    public synchronized int sid() {
        return sid;
    }

    public synchronized void setPgrp(int pgid, int sid) {
        this.pgid = pgid;
        this.sid = sid;
    }

    public synchronized String login() {
        return login;
    }

    public synchronized void setLogin(String l) {
        login = l;
    }

    public Map<Object, Object> specific() {
        return specific;
    }

    /** Adds a new lwp; null when the process has already exited. */
    synchronized KLwp newLwp(boolean intr, int boundCpu) {
        if (exited) return null;
        KLwp l = new KLwp(this, nextLid++, intr, boundCpu);
        lwps.add(l);
        return l;
    }

    /** Removes an lwp; returns true when it was the last one, and the process is then exited. */
    synchronized boolean removeLwp(KLwp l) {
        lwps.remove(l);
        if (lwps.isEmpty()) exited = true;
        return exited;
    }

    public synchronized int lwpCount() {
        return lwps.size();
    }

    public synchronized boolean exited() {
        return exited;
    }

    /** Limits the kernel cannot honour beyond its own ceilings are clamped to them (maxfiles, maxproc). */
    public static Rlimit clampLimit(int which, Rlimit r) {
        long ceiling = switch (which) {
            case Sys.RLIMIT_NOFILE -> Filedesc.MAX_NOFILE;
            case Sys.RLIMIT_NPROC -> ProcTable.MAXPROC;
            default -> Long.MAX_VALUE;
        };
        return new Rlimit(Math.min(r.cur(), ceiling), Math.min(r.max(), ceiling));
    }

    static Rlimit[] defaultLimits() {
        Rlimit inf = new Rlimit(Sys.RLIM_INFINITY, Sys.RLIM_INFINITY);
        Rlimit[] l = new Rlimit[Sys.RLIM_NLIMITS];
        java.util.Arrays.fill(l, inf);
        l[Sys.RLIMIT_STACK] = new Rlimit(2L << 20, Sys.RLIM_INFINITY);
        l[Sys.RLIMIT_CORE] = new Rlimit(0, Sys.RLIM_INFINITY);
        l[Sys.RLIMIT_NOFILE] = new Rlimit(Filedesc.DEFAULT_NOFILE, Filedesc.MAX_NOFILE);
        l[Sys.RLIMIT_NPROC] = new Rlimit(ProcTable.MAXPROC, ProcTable.MAXPROC);
        l[Sys.RLIMIT_NTHR] = new Rlimit(1024, 4096);
        return l;
    }

    @Override
    public String toString() {
        return "proc " + pid;
    }
}
