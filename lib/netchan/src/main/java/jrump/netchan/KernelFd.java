package jrump.netchan;

import java.nio.channels.ClosedChannelException;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Syscalls;

/**
 * One kernel descriptor shared by a channel's threads and the selectors it is registered with. A descriptor
 * number is reused by the kernel as soon as it is closed, so it is closed only when nobody is inside a call
 * on it: {@link #enter()} / {@link #exit()} count users, {@link #close()} marks it and the last user out
 * closes it (the JDK does the same with its preClose/readers count). The descriptor is always O_NONBLOCK:
 * blocking mode is a poll loop in {@link #await}, in slices so that an asynchronous close is seen.
 */
final class KernelFd {
    /** How long one poll of a blocking call lasts before it looks whether the channel was closed. */
    private static final int SLICE_MS = 50;

    final Syscalls sys;
    final int fd;
    /** A PF_INET6 socket: its sockaddrs are sockaddr_in6, IPv4 peers v4-mapped (pipes: false). */
    final boolean v6;
    private int users;
    private boolean closing;
    private boolean closed;

    KernelFd(Syscalls sys, int fd) {
        this(sys, fd, false);
    }

    KernelFd(Syscalls sys, int fd, boolean v6) {
        this.sys = sys;
        this.fd = fd;
        this.v6 = v6;
    }

    /** Makes {@code fd} non-blocking and wraps it. */
    static KernelFd nonBlocking(Syscalls sys, int fd) {
        int fl = sys.fcntl(fd, jrump.rumpkern.Sys.F_GETFL, 0);
        sys.fcntl(fd, jrump.rumpkern.Sys.F_SETFL, fl | jrump.rumpkern.Sys.O_NONBLOCK);
        return new KernelFd(sys, fd);
    }

    /** Enters a call on the descriptor; false once it is closing. */
    synchronized boolean tryEnter() {
        if (closing) return false;
        users++;
        return true;
    }

    /** Enters a call on the descriptor or throws ClosedChannelException. */
    void enter() throws ClosedChannelException {
        if (!tryEnter()) throw new ClosedChannelException();
    }

    void exit() {
        boolean last;
        synchronized (this) {
            users--;
            last = closing && users == 0 && !closed;
            if (last) closed = true;
        }
        if (last) closeNow();
    }

    /**
     * bind(2) to {@code addr} (then listen(2) with {@code backlog} when it is positive); the address the
     * kernel bound, as Java sees it.
     */
    java.net.InetSocketAddress bind(java.net.SocketAddress addr, int backlog) throws java.io.IOException {
        var sa = InetAddrs.toKernel(addr, v6);
        enter();
        try {
            sys.bind(fd, sa);
            if (backlog > 0) sys.listen(fd, backlog);
            return InetAddrs.toJava(sys.getsockname(fd));
        } catch (RumpException e) {
            throw Errnos.io(e);
        } finally {
            exit();
        }
    }

    synchronized boolean isClosing() {
        return closing;
    }

    /** Marks the descriptor closed; the kernel's close happens now or when the last user leaves. */
    void close() {
        boolean now;
        synchronized (this) {
            if (closing) return;
            closing = true;
            now = users == 0;
            if (now) closed = true;
        }
        if (now) closeNow();
    }

    private void closeNow() {
        try {
            sys.close(fd);
        } catch (RumpException e) {
            // the kernel halted under us: nothing left to close
        }
    }

    /**
     * Waits until the descriptor is ready for {@code events} (POLLERR and POLLHUP count as ready) or
     * {@code timeoutMs} passed (negative: no limit). Returns the events, 0 on time out; throws
     * ClosedChannelException (made asynchronous by the channel's end()) when the channel was closed meanwhile.
     */
    short await(short events, long timeoutMs) throws ClosedChannelException {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000;
        Pollfd[] p = {new Pollfd(fd, events)};
        while (true) {
            // an interrupt closes the channel through AbstractInterruptibleChannel's interruptor, which runs
            // just after the thread's flag is set: wait for the close, so that end() reports the interrupt
            if (isClosing()) throw new ClosedChannelException();
            long left = deadline == Long.MAX_VALUE ? SLICE_MS : (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 && timeoutMs >= 0) return 0;
            p[0].revents = 0;
            int n;
            try {
                n = sys.poll(p, (int) Math.min(SLICE_MS, Math.max(left, 1)));
            } catch (RumpException e) {
                if (e.errno() == Errno.EINTR) continue;
                throw e;
            }
            if (n > 0 && p[0].revents != 0) return p[0].revents;
        }
    }
}
