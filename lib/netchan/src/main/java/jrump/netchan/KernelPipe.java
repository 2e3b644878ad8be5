package jrump.netchan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;

/** A kernel pipe(2) as a java.nio.channels.Pipe. */
final class KernelPipe extends Pipe {
    private final Source source;
    private final Sink sink;

    KernelPipe(KernelChannels provider, KernelFd r, KernelFd w) {
        source = new Source(provider, r);
        sink = new Sink(provider, w);
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }

    static final class Source extends SourceChannel implements KernelChannel {
        private final KernelFd fd;
        private final ReentrantLock lock = new ReentrantLock();

        Source(KernelChannels p, KernelFd fd) {
            super(p);
            this.fd = fd;
        }

        @Override
        public KernelFd kfd() {
            return fd;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) read(new ByteBuffer[] {dst}, 0, 1);
        }

        @Override
        public long read(ByteBuffer[] dsts) throws IOException {
            return read(dsts, 0, dsts.length);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            ByteBuffer[] bufs = Bufs.writable(dsts, offset, length);
            lock.lock();
            try {
                if (!isOpen()) throw new ClosedChannelException();
                if (Bufs.remaining(bufs) == 0) return 0;
                boolean done = false;
                begin();
                fd.enter();
                try {
                    while (true) {
                        try {
                            long n = bufs.length == 1 ? fd.sys.read(fd.fd, bufs[0]) : fd.sys.readv(fd.fd, bufs);
                            done = true;
                            return n == 0 ? -1 : n;
                        } catch (RumpException e) {
                            if (e.errno() != Errno.EAGAIN) throw Errnos.io(e);
                            if (!isBlocking()) {
                                done = true;
                                return 0;
                            }
                        }
                        fd.await(Pollfd.POLLIN, -1);
                    }
                } finally {
                    fd.exit();
                    end(done);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected void implCloseSelectableChannel() {
            fd.close();
            KernelSelector.wakeSelectorsOf(this);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            // always O_NONBLOCK underneath
        }
    }

    static final class Sink extends SinkChannel implements KernelChannel {
        private final KernelFd fd;
        private final ReentrantLock lock = new ReentrantLock();

        Sink(KernelChannels p, KernelFd fd) {
            super(p);
            this.fd = fd;
        }

        @Override
        public KernelFd kfd() {
            return fd;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            ByteBuffer[] bufs = Bufs.subArray(srcs, offset, length);
            lock.lock();
            try {
                if (!isOpen()) throw new ClosedChannelException();
                long total = 0;
                boolean done = false;
                begin();
                fd.enter();
                try {
                    while (Bufs.remaining(bufs) > 0) {
                        try {
                            total += bufs.length == 1 ? fd.sys.write(fd.fd, bufs[0]) : fd.sys.writev(fd.fd, bufs);
                            continue;
                        } catch (RumpException e) {
                            if (e.errno() != Errno.EAGAIN) throw Errnos.io(e);
                        }
                        if (!isBlocking()) break;
                        fd.await(Pollfd.POLLOUT, -1);
                    }
                    done = true;
                    return total;
                } finally {
                    fd.exit();
                    end(done);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        protected void implCloseSelectableChannel() {
            fd.close();
            KernelSelector.wakeSelectorsOf(this);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            // always O_NONBLOCK underneath
        }
    }
}
