package jrump.rumpkern.impl;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Filedesc;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Pipe;
import jrump.rumpkern.kernel.Proc;
import jrump.rumpkern.kernel.SyscallArgs;

/**
 * Descriptor system calls that need no file system (NetBSD sys/kern/sys_descrip.c, sys_generic.c,
 * sys_pipe.c): read/write and their positioned forms, dup/dup2/dup3, fcntl, close, lseek, pipe/pipe2.
 */
final class DescSyscalls {
    private static final int EBADF = Errno.EBADF.number();
    private static final int EINVAL = Errno.EINVAL.number();
    private static final int ESPIPE = Errno.ESPIPE.number();

    private final jrump.rumpkern.kernel.Kernel kernel;

    DescSyscalls(jrump.rumpkern.kernel.Kernel kernel) {
        this.kernel = kernel;
    }

    private static long nofile(Proc p) {
        return p.limit(Sys.RLIMIT_NOFILE).cur();
    }

    // --- read and write -----------------------------------------------------------------------

    int read(KLwp l, SyscallArgs.Read a, long[] rv) {
        return transfer(l, a.fd(), a.buf(), -1, true, rv);
    }

    int write(KLwp l, SyscallArgs.Write a, long[] rv) {
        return transfer(l, a.fd(), a.buf(), -1, false, rv);
    }

    int pread(KLwp l, SyscallArgs.Pread a, long[] rv) {
        if (a.offset() < 0) return EINVAL;
        return transfer(l, a.fd(), a.buf(), a.offset(), true, rv);
    }

    int pwrite(KLwp l, SyscallArgs.Pwrite a, long[] rv) {
        if (a.offset() < 0) return EINVAL;
        return transfer(l, a.fd(), a.buf(), a.offset(), false, rv);
    }

    private int transfer(KLwp l, int fd, ByteBuffer buf, long offset, boolean read, long[] rv) {
        Filedesc fdt = l.proc().fd();
        KFile fp = fdt.get(fd);
        if (fp == null) return EBADF;
        try {
            if (read ? !fp.readable() : !fp.writable()) return EBADF;
            if (offset >= 0 && !fp.ops().seekable()) return ESPIPE;
            return read ? fp.ops().read(l, fp, buf, offset, rv) : fp.ops().write(l, fp, buf, offset, rv);
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    // --- poll -------------------------------------------------------------------------------------

    /**
     * poll: checks every descriptor, and while none is ready waits for the kernel's poll generation to
     * move (selnotify), up to {@code timeout} milliseconds (negative: forever). A closed descriptor is
     * ready with POLLNVAL; a negative fd is skipped.
     */
    int poll(KLwp l, SyscallArgs.Poll a, long[] rv) {
        jrump.rumpkern.Pollfd[] fds = a.fds();
        if (fds.length > Filedesc.maxDescriptors(nofile(l.proc()))) return EINVAL;
        for (jrump.rumpkern.Pollfd p : fds) if (p == null) return Errno.EFAULT.number();
        long timeoutNanos = a.timeout() < 0 ? -1 : a.timeout() * 1_000_000L;
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : kernel.uptimeNanos() + timeoutNanos;
        while (true) {
            long generation = kernel.selGeneration();
            int ready = 0;
            for (jrump.rumpkern.Pollfd p : fds) {
                p.revents = 0;
                if (p.fd < 0) continue;
                KFile fp = l.proc().fd().get(p.fd);
                if (fp == null) {
                    p.revents = jrump.rumpkern.Pollfd.POLLNVAL;
                } else {
                    try {
                        p.revents = (short) fp.ops().poll(l, fp, p.events);
                    } finally {
                        Filedesc.drop(l, fp);
                    }
                }
                if (p.revents != 0) ready++;
            }
            if (ready > 0 || timeoutNanos == 0) {
                rv[0] = ready;
                return 0;
            }
            long left = timeoutNanos < 0 ? -1 : deadline - kernel.uptimeNanos();
            if (timeoutNanos >= 0 && left <= 0) {
                rv[0] = 0;
                return 0;
            }
            int error = kernel.selwait(generation, left);
            if (error == Errno.EINTR.number()) return error;
        }
    }

    /** poll events that make a descriptor ready for each of select's sets (NetBSD's sel_flag). */
    private static final short SEL_READ = jrump.rumpkern.Pollfd.POLLRDNORM | jrump.rumpkern.Pollfd.POLLHUP | jrump.rumpkern.Pollfd.POLLERR;
    private static final short SEL_WRITE = jrump.rumpkern.Pollfd.POLLWRNORM | jrump.rumpkern.Pollfd.POLLHUP | jrump.rumpkern.Pollfd.POLLERR;
    private static final short SEL_EXCEPT = jrump.rumpkern.Pollfd.POLLPRI;

    /**
     * select (NetBSD's selcommon over the poll methods): the descriptors below {@code nd} named in the sets;
     * on return each set holds just its ready descriptors and the result counts the bits. An unopened
     * descriptor in a set is EBADF; the caller's sets change only on success.
     */
    int select(KLwp l, SyscallArgs.Select a, long[] rv) {
        if (a.nd() < 0) return EINVAL;
        long timeoutNanos = -1;
        if (a.tv() != null) {
            jrump.rumpkern.Timeval tv = a.tv();
            if (tv.sec() < 0 || tv.usec() < 0 || tv.usec() >= 1_000_000) return EINVAL;
            timeoutNanos = tv.sec() > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : tv.sec() * 1_000_000_000L + tv.usec() * 1000L;
        }
        jrump.rumpkern.FdSet[] sets = {a.in(), a.ou(), a.ex()};
        short[] wants = {SEL_READ, SEL_WRITE, SEL_EXCEPT};
        int nd = (int) Math.min(a.nd(), Filedesc.maxDescriptors(nofile(l.proc())));
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : kernel.uptimeNanos() + timeoutNanos;
        while (true) {
            long generation = kernel.selGeneration();
            java.util.BitSet[] ready = {new java.util.BitSet(), new java.util.BitSet(), new java.util.BitSet()};
            int count = 0;
            for (int fd = 0; fd < nd; fd++) {
                int events = 0;
                for (int i = 0; i < 3; i++) if (sets[i] != null && sets[i].isSet(fd)) events |= wants[i];
                if (events == 0) continue;
                KFile fp = l.proc().fd().get(fd);
                if (fp == null) return EBADF;
                int revents;
                try {
                    revents = fp.ops().poll(l, fp, events);
                } finally {
                    Filedesc.drop(l, fp);
                }
                for (int i = 0; i < 3; i++) {
                    if (sets[i] != null && sets[i].isSet(fd) && (revents & wants[i]) != 0) {
                        ready[i].set(fd);
                        count++;
                    }
                }
            }
            long left = timeoutNanos < 0 ? -1 : deadline - kernel.uptimeNanos();
            if (count > 0 || timeoutNanos == 0 || (timeoutNanos > 0 && left <= 0)) {
                for (int i = 0; i < 3; i++) {
                    if (sets[i] == null) continue;
                    sets[i].zero();
                    ready[i].stream().forEach(sets[i]::set);
                }
                rv[0] = count;
                return 0;
            }
            int error = kernel.selwait(generation, left);
            if (error == Errno.EINTR.number()) return error;
        }
    }

    // --- scatter and gather --------------------------------------------------------------------

    int readv(KLwp l, SyscallArgs.Readv a, long[] rv) {
        return transferv(l, a.fd(), a.iovp(), -1, true, rv);
    }

    int writev(KLwp l, SyscallArgs.Writev a, long[] rv) {
        return transferv(l, a.fd(), a.iovp(), -1, false, rv);
    }

    int preadv(KLwp l, SyscallArgs.Preadv a, long[] rv) {
        if (a.offset() < 0) return EINVAL;
        return transferv(l, a.fd(), a.iovp(), a.offset(), true, rv);
    }

    int pwritev(KLwp l, SyscallArgs.Pwritev a, long[] rv) {
        if (a.offset() < 0) return EINVAL;
        return transferv(l, a.fd(), a.iovp(), a.offset(), false, rv);
    }

    /**
     * One transfer per buffer, in order, stopping at the first short one; an error after some bytes moved
     * reports the bytes (as dofilereadv does).
     */
    private int transferv(KLwp l, int fd, ByteBuffer[] iov, long offset, boolean read, long[] rv) {
        if (iov.length > jrump.rumpkern.kernel.Iovecs.IOV_MAX) return EINVAL;
        long total = 0;
        long[] one = new long[2];
        for (ByteBuffer b : iov) {
            int want = b.remaining();
            if (want == 0) continue;
            one[0] = 0;
            int error = transfer(l, fd, b, offset < 0 ? -1 : offset + total, read, one);
            if (error != 0) {
                if (total > 0) break;
                return error;
            }
            total += one[0];
            if (one[0] < want) break;
        }
        rv[0] = total;
        return 0;
    }

    int lseek(KLwp l, SyscallArgs.Lseek a, long[] rv) {
        KFile fp = l.proc().fd().get(a.fd());
        if (fp == null) return EBADF;
        try {
            if (!fp.ops().seekable()) return ESPIPE;
            long base = switch (a.whence()) {
                case Sys.SEEK_SET -> 0;
                case Sys.SEEK_CUR -> fp.offset().get();
                case Sys.SEEK_END -> fp.ops().size(l, fp);
                default -> Long.MIN_VALUE;
            };
            if (base == Long.MIN_VALUE) return EINVAL;
            if (base < 0) return (int) -base;
            long off = base + a.offset();
            if (off < 0) return EINVAL;
            fp.offset().set(off);
            rv[0] = off;
            return 0;
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    // --- descriptors --------------------------------------------------------------------------

    int close(KLwp l, SyscallArgs.Close a, long[] rv) {
        KFile fp = l.proc().fd().remove(a.fd());
        if (fp == null) return EBADF;
        return Filedesc.close(l, fp);
    }

    int dup(KLwp l, SyscallArgs.Dup a, long[] rv) {
        return dupTo(l, a.fd(), 0, false, rv);
    }

    private int dupTo(KLwp l, int fd, int min, boolean cloexec, long[] rv) {
        Filedesc fdt = l.proc().fd();
        KFile fp = fdt.get(fd);
        if (fp == null) return EBADF;
        int nfd = fdt.alloc(fp, min, cloexec, nofile(l.proc()));
        if (nfd < 0) {
            Filedesc.drop(l, fp);
            return -nfd;
        }
        rv[0] = nfd;
        return 0;
    }

    int dup2(KLwp l, SyscallArgs.Dup2 a, long[] rv) {
        return dup3common(l, a.from(), a.to(), 0, false, rv);
    }

    int dup3(KLwp l, SyscallArgs.Dup3 a, long[] rv) {
        if (!Filedesc.validOpenFlags(a.flags())) return EINVAL;
        if (a.from() == a.to()) return EINVAL;
        return dup3common(l, a.from(), a.to(), a.flags(), true, rv);
    }

    private int dup3common(KLwp l, int from, int to, int flags, boolean isDup3, long[] rv) {
        Filedesc fdt = l.proc().fd();
        KFile fp = fdt.get(from);
        if (fp == null) return EBADF;
        if (to < 0 || to >= Filedesc.maxDescriptors(nofile(l.proc()))) {
            Filedesc.drop(l, fp);
            return EBADF;
        }
        if (from == to && !isDup3) {
            Filedesc.drop(l, fp);
            rv[0] = to;
            return 0;
        }
        if ((flags & Sys.O_NONBLOCK) != 0) fp.setFlag(fp.flag() | Sys.O_NONBLOCK);
        if ((flags & Sys.O_NOSIGPIPE) != 0) fp.setFlag(fp.flag() | Sys.O_NOSIGPIPE);
        KFile old = fdt.replace(to, fp, (flags & Sys.O_CLOEXEC) != 0);
        if (old != null) Filedesc.close(l, old);
        rv[0] = to;
        return 0;
    }

    int fcntl(KLwp l, SyscallArgs.Fcntl a, long[] rv) {
        Filedesc fdt = l.proc().fd();
        int fd = a.fd();
        switch (a.cmd()) {
            case Sys.F_CLOSEM -> {
                if (fd < 0) return EBADF;
                for (KFile f : fdt.removeFrom(fd)) Filedesc.close(l, f);
                return 0;
            }
            case Sys.F_MAXFD -> {
                rv[0] = fdt.maxOpen();
                return 0;
            }
            default -> {
            }
        }
        if (!fdt.isOpen(fd)) return EBADF;
        switch (a.cmd()) {
            case Sys.F_DUPFD, Sys.F_DUPFD_CLOEXEC -> {
                if (a.arg() < 0 || a.arg() >= Filedesc.maxDescriptors(nofile(l.proc()))) return EINVAL;
                return dupTo(l, fd, (int) a.arg(), a.cmd() == Sys.F_DUPFD_CLOEXEC, rv);
            }
            case Sys.F_GETFD -> {
                rv[0] = fdt.closeOnExec(fd) ? Sys.FD_CLOEXEC : 0;
                return 0;
            }
            case Sys.F_SETFD -> {
                fdt.setCloseOnExec(fd, (a.arg() & Sys.FD_CLOEXEC) != 0);
                return 0;
            }
            case Sys.F_GETFL, Sys.F_SETFL -> {
                KFile fp = fdt.get(fd);
                if (fp == null) return EBADF;
                try {
                    if (a.cmd() == Sys.F_GETFL) {
                        rv[0] = toOpenFlags(fp.flag());
                    } else {
                        fp.setFlag((fp.flag() & ~KFile.SETFL_MASK) | ((int) a.arg() & KFile.SETFL_MASK));
                    }
                    return 0;
                } finally {
                    Filedesc.drop(l, fp);
                }
            }
            case Sys.F_GETLK, Sys.F_SETLK, Sys.F_SETLKW -> {
                if (a.fl() == null) return Errno.EFAULT.number();
                KFile fp = fdt.get(fd);
                if (fp == null) return EBADF;
                try {
                    return fp.ops().advlock(l, fp, a.cmd(), a.fl());
                } finally {
                    Filedesc.drop(l, fp);
                }
            }
            default -> {
                return EINVAL;
            }
        }
    }

    /** OFLAGS(): FREAD/FWRITE back to O_RDONLY/O_WRONLY/O_RDWR. */
    static int toOpenFlags(int fflag) {
        return (fflag & ~Sys.O_ACCMODE) | ((fflag & Sys.O_ACCMODE) - 1);
    }

    // --- pipes --------------------------------------------------------------------------------

    int pipe(KLwp l, SyscallArgs.Pipe a, long[] rv) {
        return makePipe(l, a.fildes(), 0);
    }

    int pipe2(KLwp l, SyscallArgs.Pipe2 a, long[] rv) {
        if (!Filedesc.validOpenFlags(a.flags())) return EINVAL;
        return makePipe(l, a.fildes(), a.flags());
    }

    private int makePipe(KLwp l, int[] fildes, int flags) {
        Pipe pipe = Pipe.create(kernel);
        if (pipe == null) return Errno.ENOMEM.number();
        int extra = flags & (Sys.O_NONBLOCK | Sys.O_NOSIGPIPE);
        KFile rf = new KFile(Pipe.READ_END, pipe, KFile.FREAD | extra);
        KFile wf = new KFile(Pipe.WRITE_END, pipe, KFile.FWRITE | extra);
        Filedesc fdt = l.proc().fd();
        boolean cloexec = (flags & Sys.O_CLOEXEC) != 0;
        long limit = nofile(l.proc());
        int r = fdt.alloc(rf, 0, cloexec, limit);
        if (r < 0) {
            Filedesc.drop(l, rf);
            Filedesc.drop(l, wf);
            return -r;
        }
        int w = fdt.alloc(wf, 0, cloexec, limit);
        if (w < 0) {
            // another lwp sharing the table may have closed or reused r meanwhile: take back only our file
            if (fdt.removeIf(r, rf)) Filedesc.drop(l, rf);
            Filedesc.drop(l, wf);
            return -w;
        }
        fildes[0] = r;
        fildes[1] = w;
        return 0;
    }
}
