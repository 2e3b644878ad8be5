package jrump.rumpkern.kernel;

import java.nio.ByteBuffer;

/**
 * The operations of an open file (NetBSD's struct fileops): vnodes, sockets and pipes each supply theirs.
 * Every method returns an errno (0 for success) and reports counts through {@code retval[0]}.
 */
public interface FileOps {
    /** Reads into {@code dst}'s remaining bytes at {@code offset} (-1: the file's own offset or none). */
    int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval);

    /** Writes {@code src}'s remaining bytes. */
    int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval);

    /** Whether the file has a seekable offset (pread/lseek on a pipe: ESPIPE). */
    default boolean seekable() {
        return false;
    }

    /** The file's size for SEEK_END, or an errno as a negative number. */
    default long size(KLwp l, KFile fp) {
        return -jrump.rumpkern.Errno.ESPIPE.number();
    }

    /**
     * The poll events of {@code events} that are ready now (fo_poll). Files that never block (vnodes of
     * regular files) are always readable and writable.
     */
    default int poll(KLwp l, KFile fp, int events) {
        return events & (jrump.rumpkern.Pollfd.POLLIN | jrump.rumpkern.Pollfd.POLLRDNORM | jrump.rumpkern.Pollfd.POLLOUT);
    }

    /**
     * fcntl's record locks: F_GETLK, F_SETLK or F_SETLKW with {@code fl} as the caller gave it (whence
     * relative to this open file). Files that are not vnodes have none: EINVAL, as NetBSD's fcntl says.
     */
    default int advlock(KLwp l, KFile fp, int cmd, jrump.rumpkern.Flock fl) {
        return jrump.rumpkern.Errno.EINVAL.number();
    }

    /** A descriptor of {@code l}'s process that named this file was closed (the file may stay open). */
    default void descriptorClosed(KLwp l, KFile fp) {
    }

    /** The last descriptor reference went away. */
    int close(KLwp l, KFile fp);

    /** A type name for diagnostics (DTYPE_PIPE, DTYPE_VNODE...). */
    String type();
}
