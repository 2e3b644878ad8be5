package jrump.rumpuser.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import jrump.rumpuser.HostErrno;

/**
 * The Linux C library calls a tap device needs, through the FFM API. Calls return what C returns, with a
 * failure as minus the host's errno. read and write take Java arrays directly (critical downcalls with
 * heap access: the frame is not copied on its way to or from the kernel).
 */
final class TapLibc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** asm-generic/fcntl.h. */
    static final int O_RDWR = 02;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    /** sys/eventfd.h: EFD_CLOEXEC and EFD_NONBLOCK have the values of O_CLOEXEC and O_NONBLOCK. */
    private static final int EFD_FLAGS = O_CLOEXEC | O_NONBLOCK;
    /** poll.h. */
    static final short POLLIN = 0x1;
    /** asm-generic/errno-base.h and errno.h (Linux numbering). */
    static final int EINTR = 4, EBADF = 9, EAGAIN = 11, EBADFD = 77;

    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    /** The same two calls on Java arrays: non-blocking, so a critical call is short. */
    private static final MethodHandle READ_HEAP = handle("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(true), CAPTURE_ERRNO);
    private static final MethodHandle WRITE_HEAP = handle("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(true), CAPTURE_ERRNO);
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD = handle("eventfd", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private TapLibc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... opts) {
        MemorySegment sym = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        return LINKER.downcallHandle(sym, fd, opts);
    }

    static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** open(2): the descriptor, or minus errno. */
    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags, 0);
            return fd >= 0 ? fd : -errno(st);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** ioctl(2) with a pointer argument: the result, or minus errno. */
    static int ioctl(int fd, long request, MemorySegment arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) IOCTL.invokeExact(st, fd, request, arg);
            return r >= 0 ? r : -errno(st);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** eventfd(2), non-blocking and close-on-exec: the descriptor, or minus errno. */
    static int eventfd() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) EVENTFD.invokeExact(st, 0, EFD_FLAGS);
            return r >= 0 ? r : -errno(st);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long read(int fd, MemorySegment buf, long len, MemorySegment state) {
        try {
            long n = (long) READ.invokeExact(state, fd, buf, len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long write(int fd, MemorySegment buf, long len, MemorySegment state) {
        try {
            long n = (long) WRITE.invokeExact(state, fd, buf, len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long readHeap(int fd, byte[] buf, int off, int len, MemorySegment state) {
        try {
            long n = (long) READ_HEAP.invokeExact(state, fd, MemorySegment.ofArray(buf).asSlice(off, len), (long) len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long writeHeap(int fd, byte[] buf, int off, int len, MemorySegment state) {
        try {
            long n = (long) WRITE_HEAP.invokeExact(state, fd, MemorySegment.ofArray(buf).asSlice(off, len), (long) len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** poll(2) on {@code n} pollfds: the ready count, 0 on timeout, or minus errno. */
    static int poll(MemorySegment fds, int n, int timeoutMs, MemorySegment state) {
        try {
            int r = (int) POLL.invokeExact(state, fds, (long) n, timeoutMs);
            return r >= 0 ? r : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) {
        try {
            int r = (int) CLOSE.invokeExact(fd);
            assert r == 0 || r == -1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A Linux errno as NetBSD's (rumpuser(3): the hypervisor translates): the two agree below 35. */
    static int toNetbsd(int linux) {
        return switch (linux) {
            case EAGAIN -> HostErrno.EAGAIN;
            case 19 -> 19; // ENODEV
            case 95 -> 45; // EOPNOTSUPP
            case EBADFD -> HostErrno.EBADF;
            default -> linux > 0 && linux < 35 ? linux : HostErrno.EIO;
        };
    }

    /** strerror for the errors opening a tap gives, in words a command line can show. */
    static String describe(int linux) {
        return switch (linux) {
            case 1 -> "operation not permitted (creating or attaching a tap needs root or CAP_NET_ADMIN)";
            case 2 -> "no such file or directory (no /dev/net/tun: is the tun module loaded?)";
            case 13 -> "permission denied";
            case 16 -> "device or resource busy (another process has the tap open)";
            case 19 -> "no such device (no tun driver in this kernel)";
            case 22 -> "invalid argument (a device of that name exists and is not a tap)";
            case 24 -> "too many open files";
            default -> "errno " + linux;
        };
    }
}
