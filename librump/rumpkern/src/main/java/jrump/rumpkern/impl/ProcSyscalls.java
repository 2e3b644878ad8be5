package jrump.rumpkern.impl;

import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Rlimit;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Proc;
import jrump.rumpkern.kernel.SyscallArgs;

/**
 * Process and identity system calls (NetBSD sys/kern/kern_prot.c, kern_resource.c, kern_proc.c).
 * Permission checks are kauth's defaults: the superuser (effective uid 0) may do anything.
 */
final class ProcSyscalls {
    private static final int EPERM = Errno.EPERM.number();
    private static final int EINVAL = Errno.EINVAL.number();
    private static final int ESRCH = Errno.ESRCH.number();
    private static final int ID_UNCHANGED = -1;

    /*
     * do_setresuid's flags (kern_prot.c): which of the current ids a new id may equal without privilege.
     * ID_E_EQ_R: the new effective id may be the current real id, and so on.
     */
    static final int ID_E_EQ_E = 0x001;
    static final int ID_E_EQ_R = 0x002;
    static final int ID_E_EQ_S = 0x004;
    static final int ID_R_EQ_E = 0x010;
    static final int ID_R_EQ_R = 0x020;
    static final int ID_R_EQ_S = 0x040;
    static final int ID_S_EQ_E = 0x100;
    static final int ID_S_EQ_R = 0x200;
    static final int ID_S_EQ_S = 0x400;
    private static final int SETRE_FLAGS = ID_R_EQ_R | ID_R_EQ_E | ID_E_EQ_E | ID_E_EQ_R | ID_E_EQ_S
            | ID_S_EQ_R | ID_S_EQ_E | ID_S_EQ_S;

    private final Kernel kernel;

    ProcSyscalls(Kernel kernel) {
        this.kernel = kernel;
    }

    // --- ids ----------------------------------------------------------------------------------

    int getpid(KLwp l, SyscallArgs.Getpid a, long[] rv) {
        rv[0] = l.pid();
        return 0;
    }

    int getppid(KLwp l, SyscallArgs.Getppid a, long[] rv) {
        rv[0] = l.proc().ppid();
        return 0;
    }

    int getuid(KLwp l, SyscallArgs.Getuid a, long[] rv) {
        rv[0] = l.cred().uid();
        return 0;
    }

    int geteuid(KLwp l, SyscallArgs.Geteuid a, long[] rv) {
        rv[0] = l.cred().euid();
        return 0;
    }

    int getgid(KLwp l, SyscallArgs.Getgid a, long[] rv) {
        rv[0] = l.cred().gid();
        return 0;
    }

    int getegid(KLwp l, SyscallArgs.Getegid a, long[] rv) {
        rv[0] = l.cred().egid();
        return 0;
    }

    int setuid(KLwp l, SyscallArgs.Setuid a, long[] rv) {
        return setresid(l.proc(), true, a.uid(), a.uid(), a.uid(), ID_R_EQ_R | ID_E_EQ_R | ID_S_EQ_R);
    }

    int seteuid(KLwp l, SyscallArgs.Seteuid a, long[] rv) {
        return setresid(l.proc(), true, ID_UNCHANGED, a.euid(), ID_UNCHANGED, ID_E_EQ_R | ID_E_EQ_S);
    }

    int setgid(KLwp l, SyscallArgs.Setgid a, long[] rv) {
        return setresid(l.proc(), false, a.gid(), a.gid(), a.gid(), ID_R_EQ_R | ID_E_EQ_R | ID_S_EQ_R);
    }

    int setegid(KLwp l, SyscallArgs.Setegid a, long[] rv) {
        return setresid(l.proc(), false, ID_UNCHANGED, a.egid(), ID_UNCHANGED, ID_E_EQ_R | ID_E_EQ_S);
    }

    int setreuid(KLwp l, SyscallArgs.Setreuid a, long[] rv) {
        KCred c = l.cred();
        return setresid(l.proc(), true, a.ruid(), a.euid(), savedForSetre(a.ruid(), a.euid(), c.uid(), c.euid()), SETRE_FLAGS);
    }

    int setregid(KLwp l, SyscallArgs.Setregid a, long[] rv) {
        KCred c = l.cred();
        return setresid(l.proc(), false, a.rgid(), a.egid(), savedForSetre(a.rgid(), a.egid(), c.gid(), c.egid()), SETRE_FLAGS);
    }

    /**
     * NetBSD's setreuid (kern_prot.c): the saved id becomes the new effective id only when the real id
     * actually changes. (Linux and XSI also change it when the effective id moves away from the real
     * one; NetBSD, and so jrump, keep it, so root can still regain its effective id.)
     */
    private static int savedForSetre(int r, int e, int curR, int curE) {
        if (r == ID_UNCHANGED || r == curR) return ID_UNCHANGED;
        return e != ID_UNCHANGED ? e : curE;
    }

    /**
     * do_setresuid / do_setresgid: sets the real, effective and saved ids ({@link #ID_UNCHANGED} keeps
     * one). Without privilege each new id must equal one of the current ids the flags allow.
     */
    private int setresid(Proc p, boolean uids, int r, int e, int s, int flags) {
        synchronized (p) {
            KCred c = p.cred();
            int curR = uids ? c.uid() : c.gid();
            int curE = uids ? c.euid() : c.egid();
            int curS = uids ? c.svuid() : c.svgid();
            boolean ok = allowed(r, curR, curE, curS, flags >> 4 & 7)
                    && allowed(e, curR, curE, curS, flags & 7)
                    && allowed(s, curR, curE, curS, flags >> 8 & 7);
            if (!ok && !c.isRoot()) return EPERM;
            int nr = r == ID_UNCHANGED ? curR : r;
            int ne = e == ID_UNCHANGED ? curE : e;
            int ns = s == ID_UNCHANGED ? curS : s;
            if (nr == curR && ne == curE && ns == curS) return 0;
            p.setCred(uids ? c.withUids(nr, ne, ns) : c.withGids(nr, ne, ns), true);
            return 0;
        }
    }

    /** {@code bits}: 1 = may equal effective, 2 = may equal real, 4 = may equal saved. */
    private static boolean allowed(int id, int curR, int curE, int curS, int bits) {
        if (id == ID_UNCHANGED) return true;
        return ((bits & 1) != 0 && id == curE) || ((bits & 2) != 0 && id == curR) || ((bits & 4) != 0 && id == curS);
    }

    int getgroups(KLwp l, SyscallArgs.Getgroups a, long[] rv) {
        KCred c = l.cred();
        int n = c.ngroups();
        if (a.gidsetsize() == 0) {
            rv[0] = n;
            return 0;
        }
        if (a.gidsetsize() < n) return EINVAL;
        System.arraycopy(c.groups(), 0, a.gidset(), 0, n);
        rv[0] = n;
        return 0;
    }

    int setgroups(KLwp l, SyscallArgs.Setgroups a, long[] rv) {
        Proc p = l.proc();
        synchronized (p) {
            KCred c = p.cred();
            if (!c.isRoot()) return EPERM;
            if (a.gidsetsize() < 0 || a.gidsetsize() > Sys.NGROUPS_MAX) return EINVAL;
            p.setCred(c.withGroups(a.gidset()), true);
        }
        return 0;
    }

    int issetugid(KLwp l, SyscallArgs.Issetugid a, long[] rv) {
        rv[0] = l.proc().sugid() ? 1 : 0;
        return 0;
    }

    // --- umask, limits, login -----------------------------------------------------------------

    int umask(KLwp l, SyscallArgs.Umask a, long[] rv) {
        Proc p = l.proc();
        synchronized (p) {
            rv[0] = p.umask();
            p.setUmask(a.newmask() & 07777);
        }
        return 0;
    }

    int getrlimit(KLwp l, SyscallArgs.Getrlimit a, long[] rv) {
        if (a.which() < 0 || a.which() >= Sys.RLIM_NLIMITS) return EINVAL;
        a.rlp().set(l.proc().limit(a.which()));
        return 0;
    }

    int setrlimit(KLwp l, SyscallArgs.Setrlimit a, long[] rv) {
        int which = a.which();
        Rlimit want = a.rlp();
        if (which < 0 || which >= Sys.RLIM_NLIMITS) return EINVAL;
        if (want.cur() < 0 || want.max() < 0 || want.cur() > want.max()) return EINVAL;
        Proc p = l.proc();
        synchronized (p) {
            Rlimit now = p.limit(which);
            if (want.max() > now.max() && !l.cred().isRoot()) return EPERM;
            p.setLimit(which, Proc.clampLimit(which, want));
        }
        return 0;
    }

    int getlogin(KLwp l, SyscallArgs.Getlogin a, long[] rv) {
        byte[] name = l.proc().login().getBytes(StandardCharsets.UTF_8);
        if (a.namelen() < name.length + 1) return Errno.ENAMETOOLONG.number();
        a.namebuf().put(name).put((byte) 0);
        return 0;
    }

    int setlogin(KLwp l, SyscallArgs.Setlogin a, long[] rv) {
        if (!l.cred().isRoot()) return EPERM;
        if (a.namebuf().getBytes(StandardCharsets.UTF_8).length > Sys.MAXLOGNAME) return EINVAL;
        l.proc().setLogin(a.namebuf());
        return 0;
    }

    // --- sessions and process groups ------------------------------------------------------------

    int getpgrp(KLwp l, SyscallArgs.Getpgrp a, long[] rv) {
        rv[0] = l.proc().pgid();
        return 0;
    }

    int getpgid(KLwp l, SyscallArgs.Getpgid a, long[] rv) {
        Proc p = a.pid() == 0 ? l.proc() : kernel.procs().find(a.pid());
        if (p == null) return ESRCH;
        rv[0] = p.pgid();
        return 0;
    }

    int getsid(KLwp l, SyscallArgs.Getsid a, long[] rv) {
        Proc p = a.pid() == 0 ? l.proc() : kernel.procs().find(a.pid());
        if (p == null) return ESRCH;
        rv[0] = p.sid();
        return 0;
    }

    int setsid(KLwp l, SyscallArgs.Setsid a, long[] rv) {
        Proc p = l.proc();
        synchronized (kernel.procs()) {
            if (p.pgid() == p.pid() || groupExists(p.pid())) return EPERM;
            p.setPgrp(p.pid(), p.pid());
        }
        rv[0] = p.pid();
        return 0;
    }

    int setpgid(KLwp l, SyscallArgs.Setpgid a, long[] rv) {
        if (a.pgid() < 0) return EINVAL;
        Proc me = l.proc();
        synchronized (kernel.procs()) {
            Proc target = a.pid() == 0 ? me : kernel.procs().find(a.pid());
            if (target == null || (target != me && target.parent() != me)) return ESRCH;
            if (target.sid() == target.pid() || target.sid() != me.sid()) return EPERM;
            int pgid = a.pgid() == 0 ? target.pid() : a.pgid();
            if (pgid != target.pid() && !groupInSession(pgid, me.sid())) return EPERM;
            target.setPgrp(pgid, target.sid());
        }
        return 0;
    }

    private boolean groupExists(int pgid) {
        for (Proc q : kernel.procs().all()) if (q.pgid() == pgid) return true;
        return false;
    }

    private boolean groupInSession(int pgid, int sid) {
        for (Proc q : kernel.procs().all()) if (q.pgid() == pgid && q.sid() == sid) return true;
        return false;
    }

    // --- reboot -------------------------------------------------------------------------------

    int reboot(KLwp l, SyscallArgs.Reboot a, long[] rv) {
        if (!l.cred().isRoot()) return EPERM;
        kernel.hyp().consoleLine("rump kernel halting" + ((a.opt() & Sys.RB_NOSYNC) != 0 ? " (no sync)" : ""));
        kernel.halt((a.opt() & Sys.RB_NOSYNC) != 0, 10_000_000_000L);
        return 0;
    }
}
