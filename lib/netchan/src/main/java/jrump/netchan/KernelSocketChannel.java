package jrump.netchan;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;

/** A TCP socket of the kernel as a SocketChannel (sun.nio.ch.SocketChannelImpl's contract). */
final class KernelSocketChannel extends SocketChannel implements KernelChannel {
    private enum State { UNCONNECTED, PENDING, CONNECTED }

    private final KernelFd fd;
    private final Blocking io;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private volatile State state;
    private volatile SocketAddress local;
    private volatile SocketAddress remote;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private Socket adaptor;

    KernelSocketChannel(KernelChannels provider, KernelFd fd) {
        super(provider);
        this.fd = fd;
        this.io = new Blocking(fd, this::isBlocking, this::begin, this::end);
        this.state = State.UNCONNECTED;
    }

    /** An accepted connection. */
    KernelSocketChannel(KernelChannels provider, KernelFd fd, SocketAddress local, SocketAddress remote) {
        this(provider, fd);
        this.state = State.CONNECTED;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public KernelFd kfd() {
        return fd;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public SocketChannel bind(SocketAddress addr) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state == State.PENDING) throw new ConnectionPendingException();
            if (state == State.CONNECTED) throw new AlreadyConnectedException();
            if (local != null) throw new AlreadyBoundException();
            local = fd.bind(addr, 0);
        }
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        SockOpts.set(fd, SockOpts.STREAM, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return SockOpts.get(fd, SockOpts.STREAM, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SockOpts.STREAM;
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        shutdown(Sys.SHUT_RD);
        inputShut = true;
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        shutdown(Sys.SHUT_WR);
        outputShut = true;
        return this;
    }

    private void shutdown(int how) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (state != State.CONNECTED) throw new NotYetConnectedException();
            fd.enter();
            try {
                fd.sys.shutdown(fd.fd, how);
            } catch (RumpException e) {
                if (e.errno() != Errno.ENOTCONN) throw Errnos.io(e); // the peer reset it: nothing left to shut
            } finally {
                fd.exit();
            }
        }
    }

    boolean isInputShutdown() {
        return inputShut;
    }

    boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public synchronized Socket socket() {
        if (adaptor == null) adaptor = SocketAdaptor.of(this);
        return adaptor;
    }

    @Override
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    @Override
    public boolean isConnectionPending() {
        return state == State.PENDING;
    }

    @Override
    public boolean connect(SocketAddress addr) throws IOException {
        var sa = InetAddrs.toKernel(Objects.requireNonNull(addr), fd.v6);
        readLock.lock();
        try {
            writeLock.lock();
            try {
                synchronized (stateLock) {
                    ensureOpen();
                    if (state == State.CONNECTED) throw new AlreadyConnectedException();
                    if (state == State.PENDING) throw new ConnectionPendingException();
                    remote = addr;
                    state = State.PENDING;
                }
                boolean done = false;
                boolean entered = false;
                begin();
                try {
                    fd.enter(); // inside the try: end() runs even when the descriptor is closing
                    entered = true;
                    try {
                        fd.sys.connect(fd.fd, sa);
                        done = true;
                    } catch (RumpException e) {
                        if (e.errno() != Errno.EINPROGRESS) throw Errnos.io(e);
                    }
                    while (!done && isBlocking()) {
                        fd.await(Pollfd.POLLOUT, -1);
                        done = checkConnected();
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (stateLock) {
                        if (state == State.PENDING) state = State.UNCONNECTED;
                    }
                    if (isOpen()) {
                        done = true; // a failed connect, not an asynchronous close: the JDK closes and throws it
                        close();
                    }
                    throw e;
                } finally {
                    if (entered) fd.exit();
                    end(done || !isBlocking());
                }
                if (done) connected();
                return done;
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** SO_ERROR after the socket became writable: true once established, an exception when it failed. */
    private boolean checkConnected() throws IOException {
        var err = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
        try {
            fd.sys.getsockopt(fd.fd, Sys.SOL_SOCKET, Sys.SO_ERROR, err);
        } catch (RumpException ex) {
            throw Errnos.io(ex);
        }
        int e = err.getInt(0);
        if (e != 0) throw Errnos.io(Errno.of(e));
        try {
            fd.sys.getpeername(fd.fd);
            return true;
        } catch (RumpException ex) {
            if (ex.errno() == Errno.ENOTCONN) return false;
            throw Errnos.io(ex);
        }
    }

    private void connected() {
        synchronized (stateLock) {
            state = State.CONNECTED;
            try {
                local = InetAddrs.toJava(fd.sys.getsockname(fd.fd));
            } catch (RumpException e) {
                // closed meanwhile; the address stays unknown
            }
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                synchronized (stateLock) {
                    ensureOpen();
                    if (state == State.CONNECTED) return true;
                    if (state != State.PENDING) throw new NoConnectionPendingException();
                }
                boolean done = false;
                boolean entered = false;
                begin();
                try {
                    fd.enter(); // inside the try: end() runs even when the descriptor is closing
                    entered = true;
                    if (isBlocking()) {
                        while (!done) {
                            fd.await(Pollfd.POLLOUT, -1);
                            done = checkConnected();
                        }
                    } else {
                        Pollfd[] p = {new Pollfd(fd.fd, Pollfd.POLLOUT)};
                        if (fd.sys.poll(p, 0) > 0) done = checkConnected();
                    }
                } catch (RumpException e) {
                    done = true;
                    close();
                    throw Errnos.io(e);
                } catch (IOException | RuntimeException e) {
                    if (isOpen()) {
                        done = true;
                        close();
                    }
                    throw e;
                } finally {
                    if (entered) fd.exit();
                    end(done || !isBlocking());
                }
                if (done) connected();
                return done;
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return state == State.CONNECTED ? remote : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        if (local == null && state != State.UNCONNECTED) {
            fd.enter();
            try {
                local = InetAddrs.toJava(fd.sys.getsockname(fd.fd));
            } catch (RumpException e) {
                throw Errnos.io(e);
            } finally {
                fd.exit();
            }
        }
        return local;
    }

    private void ensureReadable() throws IOException {
        ensureOpen();
        if (state != State.CONNECTED) throw new NotYetConnectedException();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) read(new ByteBuffer[] {dst}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ByteBuffer[] bufs = Bufs.writable(dsts, offset, length);
        readLock.lock();
        try {
            ensureReadable();
            if (inputShut) return -1;
            if (Bufs.remaining(bufs) == 0) return 0;
            return io.read(bufs);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer[] bufs = Bufs.subArray(srcs, offset, length);
        writeLock.lock();
        try {
            ensureReadable();
            if (outputShut) throw new java.nio.channels.ClosedChannelException();
            return io.write(bufs);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        fd.close();
        KernelSelector.wakeSelectorsOf(this);
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // the descriptor stays O_NONBLOCK; blocking mode polls (KernelFd.await)
    }

    @Override
    public int readyOps(short revents, int interest) {
        int ready = KernelChannel.super.readyOps(revents, interest);
        // OP_CONNECT only while a connection is pending, OP_WRITE only once connected
        if (state == State.PENDING) ready &= ~SelectionKey.OP_WRITE;
        else ready &= ~SelectionKey.OP_CONNECT;
        return ready;
    }

    @Override
    public String toString() {
        return "KernelSocketChannel[fd=" + fd.fd + (isOpen() ? "" : " closed") + " local=" + local + " remote=" + remote + "]";
    }

    static AsynchronousCloseException asyncClose() {
        return new AsynchronousCloseException();
    }
}
