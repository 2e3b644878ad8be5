package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.FileOps;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.Pipe;
import jrump.rumpvfs.vnode.Vnode;

/**
 * A named pipe (FIFO): the pipe behind a VFIFO vnode while anyone has it open (NetBSD's fifofs). Opening
 * for reading waits for a writer and opening for writing waits for a reader, unless O_NONBLOCK: then a
 * reader opens at once and a writer without a reader fails with ENXIO. O_RDWR never waits.
 */
final class Fifo {
    private final Kernel kernel;
    private final Kmutex lock;
    private final Kcondvar cv;
    private int readers;
    private int writers;
    private long readerOpens;
    private long writerOpens;
    private Pipe pipe;

    /** What an open FIFO descriptor holds: the vnode (for fstat), the FIFO and this session's pipe. */
    record Handle(Vnode vp, Fifo fifo, Pipe pipe) {
    }

    Fifo(Kernel kernel) {
        this.kernel = kernel;
        this.lock = kernel.mutex();
        this.cv = kernel.condvar();
    }

    /** Opens an end (or both); returns the pipe in {@code out[0]} or an errno. */
    int open(boolean read, boolean write, boolean nonblock, Pipe[] out) {
        lock.enter();
        try {
            if (write && !read && nonblock && readers == 0) return Errno.ENXIO.number();
            // the pipe's closed flags always mirror the counts: no readers reads as EPIPE for writers,
            // no writers as end of file for readers
            boolean fresh = pipe == null;
            if (fresh) {
                pipe = Pipe.create(kernel);
                if (pipe == null) return Errno.ENOMEM.number();
            }
            if (read && readers++ == 0 && !fresh) pipe.reopenEnd(true);
            if (write && writers++ == 0 && !fresh) pipe.reopenEnd(false);
            if (fresh) {
                if (readers == 0) pipe.closeEnd(true);
                if (writers == 0) pipe.closeEnd(false);
            }
            if (read) readerOpens++;
            if (write) writerOpens++;
            cv.broadcast();
            Pipe mine = pipe;
            if (!nonblock && read != write) {
                if (read) {
                    long seen = writerOpens;
                    while (writers == 0 && writerOpens == seen) cv.await(lock);
                } else {
                    long seen = readerOpens;
                    while (readers == 0 && readerOpens == seen) cv.await(lock);
                }
            }
            out[0] = mine;
            return 0;
        } finally {
            lock.exit();
        }
    }

    void close(boolean read, boolean write) {
        lock.enter();
        try {
            if (read && --readers == 0) pipe.closeEnd(true);
            if (write && --writers == 0) pipe.closeEnd(false);
            if (readers == 0 && writers == 0) pipe = null; // closeEnd gave its memory back
            cv.broadcast();
        } finally {
            lock.exit();
        }
    }

    /** The file operations of an open FIFO. */
    static final FileOps OPS = new FileOps() {
        @Override
        public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
            return ((Handle) fp.data()).pipe().read(fp.nonblocking(), dst, retval);
        }

        @Override
        public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
            return ((Handle) fp.data()).pipe().write(fp.nonblocking(), src, retval);
        }

        @Override
        public int close(KLwp l, KFile fp) {
            ((Handle) fp.data()).fifo().close(fp.readable(), fp.writable());
            return 0;
        }

        @Override
        public int poll(KLwp l, KFile fp, int events) {
            Pipe pipe = ((Handle) fp.data()).pipe();
            int ready = 0;
            if (fp.readable()) ready |= pipe.poll(true, events);
            if (fp.writable()) ready |= pipe.poll(false, events);
            return ready;
        }

        @Override
        public String type() {
            return "fifo";
        }
    };
}
