package jrump.rumpkern.impl;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.FileOps;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;

/**
 * A pipe (NetBSD sys/kern/sys_pipe.c, simplified to one ring buffer): a reader end and a writer end.
 * Writes of at most PIPE_BUF bytes are atomic. Blocking waits give up the virtual CPU.
 */
final class Pipe {
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
    static Pipe create(Kernel kernel) {
        try {
            kernel.hyp().memAlloc(PIPE_SIZE);
        } catch (jrump.rumpuser.HyperException e) {
            return null;
        }
        return new Pipe(kernel);
    }

    static final FileOps READ_END = new End(true);
    static final FileOps WRITE_END = new End(false);

    private record End(boolean reader) implements FileOps {
        @Override
        public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
            return ((Pipe) fp.data()).read(fp, dst, retval);
        }

        @Override
        public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
            return ((Pipe) fp.data()).write(fp, src, retval);
        }

        @Override
        public int close(KLwp l, KFile fp) {
            ((Pipe) fp.data()).closeEnd(reader);
            return 0;
        }

        @Override
        public String type() {
            return "pipe";
        }
    }

    private int read(KFile fp, ByteBuffer dst, long[] retval) {
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
                if (fp.nonblocking()) return Errno.EAGAIN.number();
                cv.await(lock);
            }
            int n = Math.min(count, dst.remaining());
            int first = Math.min(n, PIPE_SIZE - head);
            dst.put(buf, head, first);
            if (n > first) dst.put(buf, 0, n - first);
            head = (head + n) % PIPE_SIZE;
            count -= n;
            cv.broadcast();
            retval[0] = n;
            return 0;
        } finally {
            lock.exit();
        }
    }

    private int write(KFile fp, ByteBuffer src, long[] retval) {
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
                    if (fp.nonblocking()) {
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
            }
            retval[0] = written;
            return 0;
        } finally {
            lock.exit();
        }
    }

    private void closeEnd(boolean reader) {
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
        if (both) kernel.hyp().memFree(PIPE_SIZE);
    }
}
