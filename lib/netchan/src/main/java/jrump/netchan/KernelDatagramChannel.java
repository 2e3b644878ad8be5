package jrump.netchan;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.SockaddrStorage;

/** A UDP socket of the kernel as a DatagramChannel (no multicast: the stack has none yet). */
final class KernelDatagramChannel extends DatagramChannel implements KernelChannel {
    /** The kernel's "unconnect": connect to AF_UNSPEC is not in the sockaddr types, so INADDR_ANY port 0. */
    private static final SockaddrIn UNCONNECT = new SockaddrIn(SockaddrIn.INADDR_ANY, 0);
    private static final SockaddrIn6 UNCONNECT6 = new SockaddrIn6(0, 0, 0);

    private final KernelFd fd;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile SocketAddress local;
    private volatile SocketAddress remote;

    KernelDatagramChannel(KernelChannels provider, KernelFd fd) {
        super(provider);
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
    public DatagramChannel bind(SocketAddress addr) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (local != null) throw new AlreadyBoundException();
            local = fd.bind(addr, 0);
        }
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        SockOpts.set(fd, SockOpts.DATAGRAM, name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        return SockOpts.get(fd, SockOpts.DATAGRAM, name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SockOpts.DATAGRAM;
    }

    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("no DatagramSocket adaptor on a kernel's channels");
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    public DatagramChannel connect(SocketAddress addr) throws IOException {
        var sa = InetAddrs.toKernel(Objects.requireNonNull(addr), fd.v6);
        synchronized (this) {
            ensureOpen();
            if (remote != null) throw new AlreadyConnectedException();
            fd.enter();
            try {
                fd.sys.connect(fd.fd, sa);
                local = InetAddrs.toJava(fd.sys.getsockname(fd.fd));
                remote = addr;
            } catch (RumpException e) {
                throw Errnos.io(e);
            } finally {
                fd.exit();
            }
        }
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        synchronized (this) {
            if (!isOpen() || remote == null) return this;
            fd.enter();
            try {
                fd.sys.connect(fd.fd, fd.v6 ? UNCONNECT6 : UNCONNECT);
            } catch (RumpException e) {
                if (e.errno() != Errno.EAFNOSUPPORT && e.errno() != Errno.EINVAL) throw Errnos.io(e);
            } finally {
                fd.exit();
            }
            remote = null;
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return local;
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        readLock.lock();
        try {
            ensureOpen();
            if (local == null) bind(null);
            boolean done = false;
            boolean entered = false;
            begin();
            try {
                fd.enter(); // inside the try: end() runs even when the descriptor is closing
                entered = true;
                while (true) {
                    SockaddrStorage from = new SockaddrStorage();
                    try {
                        // a datagram longer than dst is truncated, as DatagramChannel.receive says
                        fd.sys.recvfrom(fd.fd, dst, 0, from);
                        done = true;
                        return InetAddrs.toJava(from.get());
                    } catch (RumpException e) {
                        if (e.errno() != Errno.EAGAIN) throw Errnos.datagram(e);
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
            readLock.unlock();
        }
    }

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        var sa = InetAddrs.toKernel(Objects.requireNonNull(target), fd.v6);
        writeLock.lock();
        try {
            ensureOpen();
            if (remote != null && !remote.equals(target)) throw new AlreadyConnectedException();
            return (int) sendOrWrite(src, remote != null ? null : sa);
        } finally {
            writeLock.unlock();
        }
    }

    private long sendOrWrite(ByteBuffer src, Sockaddr to) throws IOException {
        boolean done = false;
        int before = src.remaining();
        boolean entered = false;
        begin();
        try {
            fd.enter(); // inside the try: end() runs even when the descriptor is closing
            entered = true;
            while (true) {
                try {
                    long n = to == null ? fd.sys.write(fd.fd, src) : fd.sys.sendto(fd.fd, src, 0, to);
                    done = true;
                    if (local == null) {
                        try {
                            local = InetAddrs.toJava(fd.sys.getsockname(fd.fd));
                        } catch (RumpException e) {
                            // closed meanwhile
                        }
                    }
                    return n;
                } catch (RumpException e) {
                    if (e.errno() != Errno.EAGAIN) throw Errnos.datagram(e);
                    if (!isBlocking()) {
                        done = true;
                        return 0;
                    }
                }
                fd.await(Pollfd.POLLOUT, -1);
            }
        } finally {
            if (entered) fd.exit();
            end(done || src.remaining() != before);
        }
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
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            boolean done = false;
            boolean entered = false;
            begin();
            try {
                fd.enter(); // inside the try: end() runs even when the descriptor is closing
                entered = true;
                while (true) {
                    try {
                        long n = bufs.length == 1 ? fd.sys.read(fd.fd, bufs[0]) : fd.sys.readv(fd.fd, bufs);
                        done = true;
                        return n;
                    } catch (RumpException e) {
                        if (e.errno() != Errno.EAGAIN) throw Errnos.datagram(e);
                        if (!isBlocking()) {
                            done = true;
                            return 0;
                        }
                    }
                    fd.await(Pollfd.POLLIN, -1);
                }
            } finally {
                if (entered) fd.exit();
                end(done);
            }
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            ensureOpen();
            if (remote == null) throw new NotYetConnectedException();
            return (int) sendOrWrite(src, null);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer[] bufs = Bufs.subArray(srcs, offset, length);
        // one datagram of all the buffers, as writev on a datagram socket sends
        ByteBuffer one = ByteBuffer.allocate((int) Math.min(Bufs.remaining(bufs), 65535));
        for (ByteBuffer b : bufs) {
            ByteBuffer d = b.duplicate();
            if (d.remaining() > one.remaining()) d.limit(d.position() + one.remaining());
            one.put(d);
        }
        one.flip();
        long n = write(one);
        long left = n;
        for (ByteBuffer b : bufs) {
            int k = (int) Math.min(left, b.remaining());
            b.position(b.position() + k);
            left -= k;
        }
        return n;
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) {
        throw new UnsupportedOperationException("multicast is not in the kernel's stack yet");
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) {
        throw new UnsupportedOperationException("multicast is not in the kernel's stack yet");
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
