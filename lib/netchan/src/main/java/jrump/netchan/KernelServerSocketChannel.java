package jrump.netchan;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;

/** A listening TCP socket of the kernel as a ServerSocketChannel. */
final class KernelServerSocketChannel extends ServerSocketChannel implements KernelChannel {
    /** The JDK's default backlog when bind is given 0 or less. */
    private static final int DEFAULT_BACKLOG = 50;

    private final KernelChannels provider;
    private final KernelFd fd;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private volatile SocketAddress local;
    private ServerSocket adaptor;

    KernelServerSocketChannel(KernelChannels provider, KernelFd fd) {
        super(provider);
        this.provider = provider;
        this.fd = fd;
    }

    @Override
    public KernelFd kfd() {
        return fd;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public ServerSocketChannel bind(SocketAddress addr, int backlog) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (local != null) throw new AlreadyBoundException();
            local = fd.bind(addr, backlog < 1 ? DEFAULT_BACKLOG : backlog);
        }
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        SockOpts.set(fd, SockOpts.LISTENER, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return SockOpts.get(fd, SockOpts.LISTENER, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SockOpts.LISTENER;
    }

    @Override
    public synchronized ServerSocket socket() {
        if (adaptor == null) adaptor = ServerSocketAdaptor.of(this);
        return adaptor;
    }

    @Override
    public SocketChannel accept() throws IOException {
        acceptLock.lock();
        try {
            ensureOpen();
            if (local == null) throw new NotYetBoundException();
            boolean done = false;
            boolean entered = false;
            begin();
            try {
                fd.enter(); // inside the try: end() runs even when the descriptor is closing
                entered = true;
                while (true) {
                    SockaddrStorage peer = new SockaddrStorage();
                    try {
                        int c = fd.sys.paccept(fd.fd, peer, Sys.SOCK_NONBLOCK);
                        done = true;
                        var conn = new KernelFd(fd.sys, c, fd.v6);
                        SocketAddress mine;
                        try {
                            mine = InetAddrs.toJava(fd.sys.getsockname(c));
                        } catch (RumpException e) {
                            mine = local;
                        }
                        return new KernelSocketChannel(provider, conn, mine, InetAddrs.toJava(peer.get()));
                    } catch (RumpException e) {
                        if (e.errno() == Errno.ECONNABORTED) continue; // reset before we took it: the next one
                        if (e.errno() != Errno.EAGAIN) throw Errnos.io(e);
                        if (!isBlocking()) {
                            done = true;
                            return null;
                        }
                    }
                    fd.await(Pollfd.POLLIN, -1);
                }
            } finally {
                if (entered) fd.exit();
                end(done);
            }
        } finally {
            acceptLock.unlock();
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return local;
    }

    @Override
    protected void implCloseSelectableChannel() {
        fd.close();
        KernelSelector.wakeSelectorsOf(this);
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // the descriptor stays O_NONBLOCK; blocking mode polls
    }

    @Override
    public String toString() {
        return "KernelServerSocketChannel[fd=" + fd.fd + (isOpen() ? "" : " closed") + " local=" + local + "]";
    }
}
