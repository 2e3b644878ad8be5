package jrump.tests.vfs;

import jrump.rumpkern.Lwp;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Runs code as another user: in a new rump process (rfork with a clean descriptor table) whose
 * credentials are set before the code runs and which exits after it, as NetBSD's t_unpriv does with
 * rump_pub_lwproc_rfork + setuid + rump_pub_lwproc_releaselwp.
 */
final class Users {
    private Users() {
    }

    /** Runs {@code body} as uid and gid {@code uid}, without supplementary groups. */
    static void as(RumpKernel rk, int uid, Runnable body) {
        as(rk, uid, uid, new int[0], body);
    }

    /** Runs {@code body} with the given ids; the calling thread's lwp is current again afterwards. */
    static void as(RumpKernel rk, int uid, int gid, int[] groups, Runnable body) {
        Lwp before = rk.pub().lwprocCurlwp();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        try {
            Syscalls sys = rk.syscalls();
            sys.setgroups(groups);
            sys.setgid(gid);
            sys.setuid(uid);
            body.run();
        } finally {
            rk.pub().lwprocReleaselwp();
            if (before != null) rk.pub().lwprocSwitch(before);
        }
    }
}
