package jrump.rumpkern.impl;

import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpkern.kernel.Sysent;
import jrump.rumpkern.kernel.SyscallTable;

/**
 * The kernel core's system calls (NetBSD's generated rumpkern_syscalls.c): processes, identities, limits,
 * time, descriptors and pipes. A SYSCALL component like any other, found through ServiceLoader.
 */
public final class KernSysComponent implements RumpComponent {
    public static final String NAME = "rumpkern_sys";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentType type() {
        return ComponentType.SYSCALL;
    }

    @Override
    public int init(Kernel kernel) {
        Sysent s = kernel.sysent();
        ProcSyscalls p = new ProcSyscalls(kernel);
        s.establish(SyscallTable.GETPID, p::getpid, NAME);
        s.establish(SyscallTable.GETPPID, p::getppid, NAME);
        s.establish(SyscallTable.GETUID, p::getuid, NAME);
        s.establish(SyscallTable.GETEUID, p::geteuid, NAME);
        s.establish(SyscallTable.GETGID, p::getgid, NAME);
        s.establish(SyscallTable.GETEGID, p::getegid, NAME);
        s.establish(SyscallTable.SETUID, p::setuid, NAME);
        s.establish(SyscallTable.SETEUID, p::seteuid, NAME);
        s.establish(SyscallTable.SETGID, p::setgid, NAME);
        s.establish(SyscallTable.SETEGID, p::setegid, NAME);
        s.establish(SyscallTable.SETREUID, p::setreuid, NAME);
        s.establish(SyscallTable.SETREGID, p::setregid, NAME);
        s.establish(SyscallTable.GETGROUPS, p::getgroups, NAME);
        s.establish(SyscallTable.SETGROUPS, p::setgroups, NAME);
        s.establish(SyscallTable.ISSETUGID, p::issetugid, NAME);
        s.establish(SyscallTable.UMASK, p::umask, NAME);
        s.establish(SyscallTable.GETRLIMIT, p::getrlimit, NAME);
        s.establish(SyscallTable.SETRLIMIT, p::setrlimit, NAME);
        s.establish(SyscallTable.GETLOGIN, p::getlogin, NAME);
        s.establish(SyscallTable.SETLOGIN, p::setlogin, NAME);
        s.establish(SyscallTable.GETPGRP, p::getpgrp, NAME);
        s.establish(SyscallTable.GETPGID, p::getpgid, NAME);
        s.establish(SyscallTable.GETSID, p::getsid, NAME);
        s.establish(SyscallTable.SETSID, p::setsid, NAME);
        s.establish(SyscallTable.SETPGID, p::setpgid, NAME);
        s.establish(SyscallTable.REBOOT, p::reboot, NAME);

        TimeSyscalls t = new TimeSyscalls(kernel);
        s.establish(SyscallTable.GETTIMEOFDAY, t::gettimeofday, NAME);
        s.establish(SyscallTable.SETTIMEOFDAY, t::settimeofday, NAME);
        s.establish(SyscallTable.CLOCK_GETTIME, t::clockGettime, NAME);
        s.establish(SyscallTable.CLOCK_SETTIME, t::clockSettime, NAME);
        s.establish(SyscallTable.CLOCK_GETRES, t::clockGetres, NAME);
        s.establish(SyscallTable.NANOSLEEP, t::nanosleep, NAME);

        DescSyscalls d = new DescSyscalls(kernel);
        s.establish(SyscallTable.READ, d::read, NAME);
        s.establish(SyscallTable.WRITE, d::write, NAME);
        s.establish(SyscallTable.PREAD, d::pread, NAME);
        s.establish(SyscallTable.PWRITE, d::pwrite, NAME);
        s.establish(SyscallTable.READV, d::readv, NAME);
        s.establish(SyscallTable.POLL, d::poll, NAME);
        s.establish(SyscallTable.SELECT, d::select, NAME);
        s.establish(SyscallTable.WRITEV, d::writev, NAME);
        s.establish(SyscallTable.PREADV, d::preadv, NAME);
        s.establish(SyscallTable.PWRITEV, d::pwritev, NAME);
        s.establish(SyscallTable.LSEEK, d::lseek, NAME);
        s.establish(SyscallTable.CLOSE, d::close, NAME);
        s.establish(SyscallTable.DUP, d::dup, NAME);
        s.establish(SyscallTable.DUP2, d::dup2, NAME);
        s.establish(SyscallTable.DUP3, d::dup3, NAME);
        s.establish(SyscallTable.FCNTL, d::fcntl, NAME);
        s.establish(SyscallTable.PIPE, d::pipe, NAME);
        s.establish(SyscallTable.PIPE2, d::pipe2, NAME);
        return 0;
    }
}
