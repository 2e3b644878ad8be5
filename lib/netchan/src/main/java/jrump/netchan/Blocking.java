package jrump.netchan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.function.BooleanSupplier;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;

/**
 * The read and write loops of a stream channel (TCP socket, pipe end). Its descriptor stays O_NONBLOCK, so
 * blocking mode is "try the call; on EAGAIN poll and try again", and non-blocking mode returns instead.
 * The loops run between the channel's own begin() and end() (AbstractInterruptibleChannel), which make an
 * interrupt or an asynchronous close end a blocked call as java.nio specifies; those are protected, so
 * the channel hands them in.
 *
 * <p>Locking: the caller holds the channel's read (or write) lock and has checked that it is open.
 */
final class Blocking {
    /** The channel's {@code end(boolean)}: it throws when the call was interrupted or closed under it. */
    @FunctionalInterface
    interface End {
        void end(boolean completed) throws AsynchronousCloseException;
    }

    private final KernelFd fd;
    private final BooleanSupplier blocking;
    private final Runnable begin;
    private final End end;

    /** Loops on {@code fd}; {@code blocking} is read again at every EAGAIN, as configureBlocking may change it. */
    Blocking(KernelFd fd, BooleanSupplier blocking, Runnable begin, End end) {
        this.fd = fd;
        this.blocking = blocking;
        this.begin = begin;
        this.end = end;
    }

    /**
     * Reads into {@code bufs}, which have room: the bytes read, -1 at end of stream, 0 when non-blocking
     * and nothing is there yet.
     */
    long read(ByteBuffer[] bufs) throws IOException {
        boolean done = false;
        boolean entered = false;
        begin.run();
        try {
            // inside the try: a descriptor already closing throws here, and end() must still run
            fd.enter();
            entered = true;
            while (true) {
                try {
                    long n = bufs.length == 1 ? fd.sys.read(fd.fd, bufs[0]) : fd.sys.readv(fd.fd, bufs);
                    done = true;
                    return n == 0 ? -1 : n;
                } catch (RumpException e) {
                    if (e.errno() != Errno.EAGAIN) throw Errnos.io(e);
                    if (!blocking.getAsBoolean()) {
                        done = true;
                        return 0;
                    }
                }
                fd.await(Pollfd.POLLIN, -1);
            }
        } finally {
            if (entered) fd.exit();
            end.end(done);
        }
    }

    /** Writes all of {@code bufs} (non-blocking: what fits now): the bytes written. */
    long write(ByteBuffer[] bufs) throws IOException {
        long total = 0;
        boolean done = false;
        boolean entered = false;
        begin.run();
        try {
            // inside the try: a descriptor already closing throws here, and end() must still run
            fd.enter();
            entered = true;
            while (Bufs.remaining(bufs) > 0) {
                try {
                    total += bufs.length == 1 ? fd.sys.write(fd.fd, bufs[0]) : fd.sys.writev(fd.fd, bufs);
                    continue;
                } catch (RumpException e) {
                    if (e.errno() != Errno.EAGAIN) throw Errnos.io(e);
                }
                if (!blocking.getAsBoolean()) break;
                fd.await(Pollfd.POLLOUT, -1);
            }
            done = true;
            return total;
        } finally {
            if (entered) fd.exit();
            end.end(done);
        }
    }
}
