package jrump.rumpkern.kernel;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;

/**
 * The Java side of struct iovec arrays: the generated readv/writev entry points hand the kernel slices of
 * the caller's buffers (the copyin of the iovecs) and afterwards advance the caller's positions by what
 * was moved, buffer by buffer.
 */
public final class Iovecs {
    /** NetBSD's IOV_MAX / UIO_MAXIOV. */
    public static final int IOV_MAX = 1024;

    private Iovecs() {
    }

    /** Slices of the caller's buffers; for a read they must be writable. EFAULT for a null or read-only one. */
    public static ByteBuffer[] slices(ByteBuffer[] bufs, boolean forRead) {
        ByteBuffer[] out = new ByteBuffer[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            ByteBuffer b = bufs[i];
            if (b == null) throw new RumpException(Errno.EFAULT, "iovec " + i + " is null");
            if (forRead && b.isReadOnly()) throw new RumpException(Errno.EFAULT, "iovec " + i + " is read-only");
            out[i] = forRead ? b.slice() : b.slice().asReadOnlyBuffer();
        }
        return out;
    }

    /** Moves the caller's buffers' positions forward by {@code n} bytes in all, in order. */
    public static void advance(ByteBuffer[] bufs, long n) {
        long left = n;
        for (ByteBuffer b : bufs) {
            if (left <= 0) break;
            int step = (int) Math.min(left, b.remaining());
            b.position(b.position() + step);
            left -= step;
        }
    }
}
