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

    /** The last descriptor reference went away. */
    int close(KLwp l, KFile fp);

    /** A type name for diagnostics (DTYPE_PIPE, DTYPE_VNODE...). */
    String type();
}
