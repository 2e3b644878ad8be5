package jrump.p2k;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import jrump.rumpkern.Syscalls;

/**
 * Mounts a directory of a rump kernel on the host through FUSE: {@code P2k.mount(kernel.syscalls(), "/mnt",
 * Path.of("/media/x"), P2k.Options.defaults())} returns once the host sees the mount; requests are served on
 * the session's own threads until the host unmounts it ({@code umount}, {@code fusermount3 -u}) or
 * {@link Session#unmount()} is called. The caller then unmounts the rump kernel's file system (which syncs).
 */
public final class P2k {
    private P2k() {
    }

    /**
     * Mount options: {@code readOnly} (MS_RDONLY; writes answer EROFS before reaching the kernel),
     * {@code allowOther} (other users see the mount), the kernel's caching timeouts, the number of reader
     * threads and the maximum size of one read or write.
     */
    public record Options(boolean readOnly, boolean allowOther, Duration entryTimeout, Duration attrTimeout,
                          int threads, int maxWrite, String fsName) {
        public static Options defaults() {
            return new Options(false, false, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1 << 20, "jrump");
        }

        public Options withReadOnly(boolean ro) {
            return new Options(ro, allowOther, entryTimeout, attrTimeout, threads, maxWrite, fsName);
        }

        public Options withAllowOther(boolean a) {
            return new Options(readOnly, a, entryTimeout, attrTimeout, threads, maxWrite, fsName);
        }

        public Options withTimeouts(Duration entry, Duration attr) {
            return new Options(readOnly, allowOther, entry, attr, threads, maxWrite, fsName);
        }

        public Options withThreads(int n) {
            return new Options(readOnly, allowOther, entryTimeout, attrTimeout, n, maxWrite, fsName);
        }

        public Options withFsName(String name) {
            return new Options(readOnly, allowOther, entryTimeout, attrTimeout, threads, maxWrite, name);
        }

        public Options {
            if (threads < 1 || threads > 64) throw new IllegalArgumentException("threads: 1 to 64, not " + threads);
            if (maxWrite < 4096 || maxWrite > (1 << 20)) throw new IllegalArgumentException("maxWrite: 4 KiB to 1 MiB");
            if (entryTimeout.isNegative() || attrTimeout.isNegative()) throw new IllegalArgumentException("negative timeout");
        }
    }

    /** A live mount. */
    public interface Session extends AutoCloseable {
        /** Waits until the host unmounts the file system and the request threads have stopped. */
        void awaitUnmount() throws InterruptedException;

        /** Unmounts from the host side (lazily, aborting the connection, when files are still open) and waits. */
        void unmount();

        /** The host mount point. */
        Path mountpoint();

        /** Requests answered so far. */
        long requests();

        @Override
        default void close() {
            unmount();
        }
    }

    /**
     * Mounts {@code kernelDir} of the kernel behind {@code sys} on {@code mountpoint}; returns once the host's
     * kernel has finished the FUSE handshake (INIT). As root through mount(2), otherwise through fusermount3.
     * IOException when /dev/fuse, mount(2) or fusermount3 refuses.
     */
    public static Session mount(Syscalls sys, String kernelDir, Path mountpoint, Options options) throws IOException {
        return FuseSession.start(sys, kernelDir, mountpoint, options, Libc.getuid() != 0);
    }
}
