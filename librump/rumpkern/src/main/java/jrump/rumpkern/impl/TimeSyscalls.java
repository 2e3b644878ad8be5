package jrump.rumpkern.impl;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Timespec;
import jrump.rumpkern.Timeval;
import jrump.rumpkern.Timezone;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.SyscallArgs;

/**
 * Clocks and sleeping (NetBSD sys/kern/kern_time.c). Each kernel has its own wall clock: setting it moves
 * only that kernel's CLOCK_REALTIME. CLOCK_MONOTONIC counts from the kernel's boot. CPU-time clocks are
 * not kept (rump does not account lwp run time either): they are EINVAL.
 */
final class TimeSyscalls {
    private static final int EINVAL = Errno.EINVAL.number();
    private static final int EPERM = Errno.EPERM.number();
    /** Resolution reported by clock_getres: the hypervisor's clocks count nanoseconds. */
    private static final Timespec RESOLUTION = new Timespec(0, 1);

    private final Kernel kernel;

    TimeSyscalls(Kernel kernel) {
        this.kernel = kernel;
    }

    int gettimeofday(KLwp l, SyscallArgs.Gettimeofday a, long[] rv) {
        a.tp().set(Timeval.ofNanos(kernel.wallNanos()));
        if (a.tzp() != null) a.tzp().set(new Timezone(0, 0));
        return 0;
    }

    int settimeofday(KLwp l, SyscallArgs.Settimeofday a, long[] rv) {
        if (!l.cred().isRoot()) return EPERM;
        if (!a.tv().valid() || a.tv().sec() < 0) return EINVAL;
        kernel.setWallNanos(a.tv().toNanos());
        return 0;
    }

    int clockGettime(KLwp l, SyscallArgs.ClockGettime a, long[] rv) {
        switch (a.clockId()) {
            case Sys.CLOCK_REALTIME -> a.tp().set(Timespec.ofNanos(kernel.wallNanos()));
            case Sys.CLOCK_MONOTONIC -> a.tp().set(Timespec.ofNanos(kernel.uptimeNanos()));
            default -> {
                return EINVAL;
            }
        }
        return 0;
    }

    int clockSettime(KLwp l, SyscallArgs.ClockSettime a, long[] rv) {
        if (a.clockId() != Sys.CLOCK_REALTIME) return EINVAL;
        if (!l.cred().isRoot()) return EPERM;
        if (!a.tp().valid() || a.tp().sec() < 0) return EINVAL;
        kernel.setWallNanos(a.tp().toNanos());
        return 0;
    }

    int clockGetres(KLwp l, SyscallArgs.ClockGetres a, long[] rv) {
        if (a.clockId() != Sys.CLOCK_REALTIME && a.clockId() != Sys.CLOCK_MONOTONIC) return EINVAL;
        a.tp().set(RESOLUTION);
        return 0;
    }

    int nanosleep(KLwp l, SyscallArgs.Nanosleep a, long[] rv) {
        Timespec rq = a.rqtp();
        if (!rq.valid()) return EINVAL;
        if (rq.sec() < 0) return 0;
        long start = kernel.uptimeNanos();
        long want = rq.toNanos();
        int error = kernel.sleep(want);
        if (error != 0 && a.rmtp() != null) {
            a.rmtp().set(Timespec.ofNanos(Math.max(0, want - (kernel.uptimeNanos() - start))));
        }
        return error;
    }
}
