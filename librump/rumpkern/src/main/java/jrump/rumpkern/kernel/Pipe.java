package jrump.rumpkern.kernel;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * A pipe (NetBSD sys/kern/sys_pipe.c, simplified to one ring buffer): a reader end and a writer end.
 * Writes of at most PIPE_BUF bytes are atomic. Blocking waits give up the virtual CPU. FIFOs (rumpvfs)
 * use the same buffer through {@link #read}, {@link #write}, {@link #closeEnd} and {@link #reopenEnd}.
 */
public final class Pipe {
    /** Buffer size (NetBSD's PIPE_SIZE). */
    static final int PIPE_SIZE = 16384;

    private final Kernel kernel;
    private final Kmutex lock;
    private final Kcondvar cv;
    private final byte[] buf = new byte[PIPE_SIZE];
    private int head;
    private int count;
    private boolean readerClosed;
    private boolean writerClosed;

    private Pipe(Kernel kernel) {
        this.kernel = kernel;
        this.lock = kernel.mutex();
        this.cv = kernel.condvar();
    }

    /** Makes a pipe; its buffer is charged to the kernel's memory limit. Returns null on ENOMEM. */
    public static Pipe create(Kernel kernel) {
        try {
            kernel.hyp().memAlloc(PIPE_SIZE);
        } catch (jrump.rumpuser.HyperException e) {
            return null;
        }
        return new Pipe(kernel);
    }

    /** The file operations of the two ends of a pipe(2) pipe, whose KFile's data is the Pipe. */
    public static final FileOps READ_END = new End(true);
    public static final FileOps WRITE_END = new End(false);

    private record End(boolean reader) implements FileOps {
        @Override
        public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
            return ((Pipe) fp.data()).read(fp.nonblocking(), dst, retval);
        }

        @Override
        public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
            return ((Pipe) fp.data()).write(fp.nonblocking(), src, retval);
        }

        @Override
        public int close(KLwp l, KFile fp) {
            ((Pipe) fp.data()).closeEnd(reader);
            return 0;
        }

        @Override
        public int poll(KLwp l, KFile fp, int events) {
            return ((Pipe) fp.data()).poll(reader, events);
        }

        @Override
        public String type() {
            return "pipe";
        }
    }

    /** Reads what is there (blocking while empty and a writer exists); 0 bytes at end of file. */
    public int read(boolean nonblocking, ByteBuffer dst, long[] retval) {
        if (!dst.hasRemaining()) {
            retval[0] = 0;
            return 0;
        }
        lock.enter();
        try {
            while (count == 0) {
                if (writerClosed) {
                    retval[0] = 0;
                    return 0;
                }
                if (nonblocking) return Errno.EAGAIN.number();
                cv.await(lock);
            }
            int n = Math.min(count, dst.remaining());
            int first = Math.min(n, PIPE_SIZE - head);
            dst.put(buf, head, first);
            if (n > first) dst.put(buf, 0, n - first);
            head = (head + n) % PIPE_SIZE;
            count -= n;
            cv.broadcast();
            kernel.selnotify();
            retval[0] = n;
            return 0;
        } finally {
            lock.exit();
        }
    }

    /** Writes all of {@code src} (blocking while full), or EPIPE when no reader is left. */
    public int write(boolean nonblocking, ByteBuffer src, long[] retval) {
        int total = src.remaining();
        int written = 0;
        lock.enter();
        try {
            while (src.hasRemaining()) {
                if (readerClosed) {
                    // SIGPIPE is not delivered in a rump kernel; the caller sees EPIPE
                    if (written > 0) break;
                    return Errno.EPIPE.number();
                }
                int space = PIPE_SIZE - count;
                boolean atomic = total <= Sys.PIPE_BUF;
                if (space == 0 || (atomic && space < src.remaining())) {
                    if (nonblocking) {
                        if (written > 0) break;
                        return Errno.EAGAIN.number();
                    }
                    cv.await(lock);
                    continue;
                }
                int n = Math.min(space, src.remaining());
                int tail = (head + count) % PIPE_SIZE;
                int first = Math.min(n, PIPE_SIZE - tail);
                src.get(buf, tail, first);
                if (n > first) src.get(buf, 0, n - first);
                count += n;
                written += n;
                cv.broadcast();
                kernel.selnotify();
            }
            retval[0] = written;
            return 0;
        } finally {
            lock.exit();
        }
    }

    /**
     * The ready events for a reader or writer end: data or end of file to read (POLLIN, POLLHUP when the
     * writers are gone), room to write (POLLOUT), or no reader left (POLLHUP... and writes fail EPIPE).
     */
    public int poll(boolean readerEnd, int events) {
        int in = jrump.rumpkern.Pollfd.POLLIN | jrump.rumpkern.Pollfd.POLLRDNORM;
        int out = jrump.rumpkern.Pollfd.POLLOUT;
        lock.enter();
        try {
            int ready = 0;
            if (readerEnd) {
                if (count > 0 || writerClosed) ready |= events & in;
                if (writerClosed) ready |= jrump.rumpkern.Pollfd.POLLHUP;
            } else {
                if (readerClosed) ready |= jrump.rumpkern.Pollfd.POLLHUP;
                else if (count < PIPE_SIZE) ready |= events & out;
            }
            return ready;
        } finally {
            lock.exit();
        }
    }

    /** The last reader or writer went away: readers see end of file, writers EPIPE. */
    public void closeEnd(boolean reader) {
        boolean both;
        lock.enter();
        try {
            if (reader) readerClosed = true;
            else writerClosed = true;
            both = readerClosed && writerClosed;
            cv.broadcast();
        } finally {
            lock.exit();
        }
        kernel.selnotify();
        if (both) kernel.hyp().memFree(PIPE_SIZE);
    }

    /** A FIFO end opened again after it was closed. */
    public void reopenEnd(boolean reader) {
        lock.enter();
        try {
            if (reader) readerClosed = false;
            else writerClosed = false;
        } finally {
            lock.exit();
        }
    }
}
