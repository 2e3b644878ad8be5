package jrump.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Device nodes and FIFOs on the host, which java.nio cannot make: libc's mknod(2) and utimensat(2)
 * through the FFM API (device numbers in Linux's form: {@link DevNumbers}).
 */
final class HostNodes {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    /** int mknod(const char *path, mode_t mode, dev_t dev): glibc exports it since 2.33. */
    private static final MethodHandle MKNOD = LINKER.downcallHandle(LINKER.defaultLookup().find("mknod").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    /** char *strerror(int errnum): the host's own words for its errno. */
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /**
     * int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags): java.nio's
     * setTimes opens the file first, which blocks on a FIFO with no writer and fails on a device without
     * a driver; this sets a special file's times without opening it.
     */
    private static final MethodHandle UTIMENSAT = LINKER.downcallHandle(LINKER.defaultLookup().find("utimensat").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    /** Linux's AT_FDCWD and AT_SYMLINK_NOFOLLOW (fcntl.h). */
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private HostNodes() {
    }

    /** Sets access and modification times (nanoseconds since 1970) of {@code path} itself, never opening it. */
    static void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4); // two struct timespec {long sec; long nsec;}
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, Math.floorDiv(atimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, Math.floorMod(atimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, Math.floorDiv(mtimeNanos, 1_000_000_000L));
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, Math.floorMod(mtimeNanos, 1_000_000_000L));
            int r = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), times, AT_SYMLINK_NOFOLLOW);
            if (r != 0) throw new IOException(path + ": " + strerror((int) ERRNO.get(state, 0L)));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": utimensat: " + t, t);
        }
    }

    /** mknod(2) on the host; IOException with the host's message ("Operation not permitted") when it fails. */
    static void mknod(Path path, int mode, long linuxDev) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, linuxDev);
            if (r != 0) throw new IOException(path + ": " + strerror((int) ERRNO.get(state, 0L)));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(path + ": mknod: " + t, t);
        }
    }

    private static String strerror(int errno) throws Throwable {
        MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
        return s.reinterpret(256).getString(0);
    }
}
