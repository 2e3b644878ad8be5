package jrump.p2k;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few host C library calls p2k needs, through the FFM API: the FUSE device, mount(2) and umount2(2).
 * Each call returns what C returns; a failed one throws {@link HostErrno} with the host's (Linux) errno.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Linux open(2) flags (asm-generic/fcntl.h). */
    static final int O_RDWR = 02;
    static final int O_CLOEXEC = 02000000;
    /** Linux mount(2) flags (linux/mount.h). */
    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4;
    /** umount2 flags. */
    static final int MNT_DETACH = 2;
    /** Linux errno values seen here. */
    static final int EINTR = 4, ENOENT = 2, EAGAIN = 11, ENODEV = 19, EINVAL = 22, EBUSY = 16;

    private static final MethodHandle OPEN = handle("open", true, FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = handle("read", true, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", true, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = handle("close", false, FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle MOUNT = handle("mount", true, FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 = handle("umount2", true, FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETUID = handle("getuid", false, FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETGID = handle("getgid", false, FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle SETSID = handle("setsid", true, FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, boolean errno, FunctionDescriptor fd, Linker.Option... extra) {
        MemorySegment sym = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        if (!errno) return LINKER.downcallHandle(sym, fd, extra);
        Linker.Option[] opts = java.util.Arrays.copyOf(extra, extra.length + 1);
        opts[extra.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(sym, fd, opts);
    }

    /** A host errno as an exception. */
    static final class HostErrno extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        HostErrno(String what, int errno) {
            super(what + ": errno " + errno + " (" + describe(errno) + ")");
            this.errno = errno;
        }

        private static String describe(int errno) {
            return switch (errno) {
                case 1 -> "Operation not permitted";
                case 2 -> "No such file or directory";
                case 13 -> "Permission denied";
                case 16 -> "Device or resource busy";
                case 19 -> "No such device";
                case 20 -> "Not a directory";
                case 22 -> "Invalid argument";
                default -> "see errno(3)";
            };
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int open(String path, int flags) throws HostErrno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags, 0);
            if (fd < 0) throw new HostErrno("open " + path, errno(st));
            return fd;
        } catch (HostErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * read(2) into {@code buf}; the byte count, or minus the errno (a request loop handles EINTR, EAGAIN and
     * ENODEV itself, so they are values here, not exceptions). {@code state} is a caller-owned capture area.
     */
    static long read(int fd, MemorySegment buf, long len, MemorySegment state) {
        try {
            long n = (long) READ.invokeExact(state, fd, buf, len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** write(2); the byte count, or minus the errno. */
    static long write(int fd, MemorySegment buf, long len, MemorySegment state) {
        try {
            long n = (long) WRITE.invokeExact(state, fd, buf, len);
            return n >= 0 ? n : -errno(state);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A capture area for {@link #read} and {@link #write} in {@code arena}. */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static void close(int fd) {
        try {
            int r = (int) CLOSE.invokeExact(fd);
            assert r == 0 || r == -1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void mount(String source, String target, String type, long flags, String data) throws HostErrno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) MOUNT.invokeExact(st, a.allocateFrom(source), a.allocateFrom(target), a.allocateFrom(type),
                    flags, a.allocateFrom(data));
            if (r != 0) throw new HostErrno("mount " + target, errno(st));
        } catch (HostErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void umount2(String target, int flags) throws HostErrno {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags);
            if (r != 0) throw new HostErrno("umount " + target, errno(st));
        } catch (HostErrno e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getgid() {
        try {
            return (int) GETGID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** setsid(2): a detached daemon leaves its parent's session (the terminal's SIGINT and SIGHUP). */
    static void setsid() {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) SETSID.invokeExact(a.allocate(CAPTURE));
            assert r >= -1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
