package jrump.netchan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.util.concurrent.locks.ReentrantLock;

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
        private final Blocking io;

        Source(KernelChannels p, KernelFd fd) {
            super(p);
            this.fd = fd;
            this.io = new Blocking(fd, this::isBlocking, this::begin, this::end);
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
                return io.read(bufs);
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
        private final Blocking io;

        Sink(KernelChannels p, KernelFd fd) {
            super(p);
            this.fd = fd;
            this.io = new Blocking(fd, this::isBlocking, this::begin, this::end);
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
                return io.write(bufs);
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
