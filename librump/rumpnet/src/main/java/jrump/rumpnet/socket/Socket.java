package jrump.rumpnet.socket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * A socket (struct socket, with sys/kern/uipc_socket.c's operations): its buffers, state, options and,
 * for a listening socket, the queues of embryonic and completed connections.
 *
 * <p>Locking: every method runs with the kernel's network lock ({@link Sockets#lock()}) held; blocking
 * waits release it on the socket's condition variable. The socket calls (sosend, soreceive...) are
 * entered through {@link SocketCalls}, which takes the lock.
 */
public final class Socket implements SocketEvents {
    // so_state bits (sys/socketvar.h)
    static final int SS_ISCONNECTED = 0x001;
    static final int SS_ISCONNECTING = 0x002;
    static final int SS_ISDISCONNECTING = 0x004;
    static final int SS_CANTSENDMORE = 0x008;
    static final int SS_CANTRCVMORE = 0x010;
    static final int SS_ISDISCONNECTED = 0x800;

    private final Sockets sockets;
    private final int type;
    private final Kcondvar cv;
    private ProtoSocket pcb;
    private final SockBuf rcv;
    private final SockBuf snd;
    private int state;
    private int options;
    private int error;
    private int lingerSeconds = -1;
    private long rcvTimeoutNanos;
    private long sndTimeoutNanos;
    private boolean closed;

    // listening sockets
    private boolean listening;
    private int qlimit;
    private final ArrayDeque<Socket> q0 = new ArrayDeque<>();
    private final ArrayDeque<Socket> q = new ArrayDeque<>();
    // an embryonic or unaccepted socket's listener
    private Socket head;

    Socket(Sockets sockets, int type) {
        this.sockets = sockets;
        this.type = type;
        this.cv = sockets.kernel().condvar();
        boolean stream = type == Sys.SOCK_STREAM;
        int size = stream ? Sockets.DEFAULT_STREAM_BUF : Sockets.DEFAULT_DGRAM_BUF;
        this.rcv = new SockBuf(stream, size);
        this.snd = new SockBuf(stream, size);
    }

    public int type() {
        return type;
    }

    ProtoSocket pcb() {
        return pcb;
    }

    private Kmutex lock() {
        return sockets.lock();
    }

    // --- SocketEvents (protocol side) -------------------------------------------------------------

    @Override
    public SockBuf rcv() {
        return rcv;
    }

    @Override
    public SockBuf snd() {
        return snd;
    }

    @Override
    public int options() {
        return options;
    }

    @Override
    public void attach(ProtoSocket p) {
        this.pcb = p;
    }

    @Override
    public void isConnecting() {
        state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING);
        state |= SS_ISCONNECTING;
    }

    @Override
    public void isConnected() {
        state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING);
        state |= SS_ISCONNECTED;
        Socket h = head;
        if (h != null && h.q0.remove(this)) {
            h.q.add(this);
            h.wakeAll();
        }
        wakeAll();
    }

    @Override
    public void isDisconnecting() {
        state &= ~SS_ISCONNECTING;
        state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
        wakeAll();
    }

    @Override
    public void isDisconnected() {
        state &= ~(SS_ISCONNECTING | SS_ISCONNECTED | SS_ISDISCONNECTING);
        state |= SS_ISDISCONNECTED | SS_CANTRCVMORE | SS_CANTSENDMORE;
        Socket h = head;
        if (h != null && h.q0.remove(this)) {
            // an embryo that failed: nobody will ever see it (a completed one stays acceptable, with its data)
            head = null;
            pcb.detach();
            closed = true;
            sockets.forget(this);
        }
        wakeAll();
    }

    @Override
    public void cantRcvMore() {
        state |= SS_CANTRCVMORE;
        wakeAll();
    }

    @Override
    public void cantSendMore() {
        state |= SS_CANTSENDMORE;
        wakeAll();
    }

    @Override
    public void setError(int errno) {
        error = errno;
        wakeAll();
    }

    @Override
    public void readable() {
        wakeAll();
    }

    @Override
    public void writable() {
        wakeAll();
    }

    @Override
    public boolean acceptQueueFull() {
        // NetBSD sonewconn: refuse beyond 3/2 of the backlog
        return q0.size() + q.size() >= 3 * qlimit / 2 + 1;
    }

    @Override
    public SocketEvents newConnection() {
        if (!listening || closed) return null;
        if (acceptQueueFull()) return null;
        Socket so = sockets.createChild(this);
        so.options = options & ~Sys.SO_ACCEPTCONN;
        so.lingerSeconds = lingerSeconds;
        so.rcv.setHiwat(rcv.hiwat());
        so.snd.setHiwat(snd.hiwat());
        so.head = this;
        q0.add(so);
        return so;
    }

    void wakeAll() {
        cv.broadcast();
        sockets.kernel().selnotify();
    }

    /** Waits for a change, up to {@code timeoutNanos} (0: forever); returns 0, EWOULDBLOCK or EINTR. */
    private int sbwait(long timeoutNanos) {
        if (sockets.halting()) return Errno.EINTR.number();
        if (timeoutNanos > 0) return cv.awaitNanos(lock(), timeoutNanos);
        cv.await(lock());
        return sockets.halting() ? Errno.EINTR.number() : 0;
    }

    private int takeError() {
        int e = error;
        error = 0;
        return e;
    }

    // --- socket calls (uipc_socket.c) --------------------------------------------------------------

    int bind(Sockaddr a) {
        return pcb.bind(a);
    }

    int listen(int backlog) {
        if ((state & (SS_ISCONNECTED | SS_ISCONNECTING)) != 0) return Errno.EINVAL.number();
        int e = pcb.listen(backlog);
        if (e != 0) return e;
        listening = true;
        options |= Sys.SO_ACCEPTCONN;
        qlimit = Math.max(0, Math.min(backlog < 0 ? Sys.SOMAXCONN : backlog, Sys.SOMAXCONN));
        return 0;
    }

    /** soconnect: starts the connection, then (blocking sockets) waits for it to complete. */
    int connect(Sockaddr a, boolean nonblocking) {
        if (listening) return Errno.EOPNOTSUPP.number();
        if (type == Sys.SOCK_STREAM) {
            if ((state & SS_ISCONNECTED) != 0) return Errno.EISCONN.number();
            if ((state & SS_ISCONNECTING) != 0) return Errno.EALREADY.number();
        }
        int e = pcb.connect(a);
        if (e != 0) return e;
        if (type != Sys.SOCK_STREAM) {
            state |= SS_ISCONNECTED;
            return 0;
        }
        if ((state & SS_ISCONNECTING) != 0 && nonblocking) return Errno.EINPROGRESS.number();
        while ((state & SS_ISCONNECTING) != 0 && error == 0) {
            int w = sbwait(0);
            if (w != 0) return w;
        }
        if (error != 0) return takeError();
        return 0;
    }

    /** Joins two fresh sockets (socketpair). */
    int connect2(Socket other) {
        int e = pcb.connect2(other.pcb);
        if (e != 0) return e;
        if (type == Sys.SOCK_STREAM) {
            isConnected();
            other.isConnected();
        } else {
            state |= SS_ISCONNECTED;
            other.state |= SS_ISCONNECTED;
        }
        return 0;
    }

    /** soaccept: takes the first completed connection, waiting for one unless non-blocking. */
    Socket accept(boolean nonblocking, int[] err) {
        if (!listening) {
            err[0] = Errno.EINVAL.number();
            return null;
        }
        while (q.isEmpty()) {
            if (error != 0) {
                err[0] = takeError();
                return null;
            }
            if ((state & SS_CANTRCVMORE) != 0 || closed) {
                err[0] = Errno.ECONNABORTED.number();
                return null;
            }
            if (nonblocking) {
                err[0] = Errno.EAGAIN.number();
                return null;
            }
            int w = sbwait(0);
            if (w != 0) {
                err[0] = w;
                return null;
            }
        }
        Socket so = q.poll();
        so.head = null;
        return so;
    }

    /** sosend: one copy from {@code src} into packet buffers per chunk the protocol can take. */
    long send(ByteBuffer src, Sockaddr to, int flags, boolean nonblocking) {
        boolean dontwait = nonblocking || (flags & Sys.MSG_DONTWAIT) != 0;
        int total = src.remaining();
        if (type != Sys.SOCK_STREAM) return sendDatagram(src, to, flags, dontwait);
        int sent = 0;
        while (true) {
            if ((state & SS_CANTSENDMORE) != 0) return sent > 0 ? sent : -Errno.EPIPE.number();
            if (error != 0) return sent > 0 ? sent : -takeError();
            if ((state & SS_ISCONNECTED) == 0) return -(to != null ? Errno.EISCONN : Errno.ENOTCONN).number();
            if (!src.hasRemaining() && sent == total) return sent;
            int space = pcb.sendSpace();
            if (space <= 0) {
                if (dontwait) return sent > 0 ? sent : -Errno.EAGAIN.number();
                int w = sbwait(sndTimeoutNanos);
                if (w != 0) return sent > 0 ? sent : -(w == Errno.EWOULDBLOCK.number() ? Errno.EAGAIN.number() : w);
                continue;
            }
            int n = Math.min(space, src.remaining());
            int e = pcb.send(Mbuf.copyFrom(src, n), null, flags);
            if (e != 0) return sent > 0 ? sent : -e;
            sent += n;
            if (!src.hasRemaining()) return sent;
        }
    }

    private long sendDatagram(ByteBuffer src, Sockaddr to, int flags, boolean dontwait) {
        if (error != 0) return -takeError();
        if ((state & SS_CANTSENDMORE) != 0) return -Errno.EPIPE.number();
        int n = src.remaining();
        if (n > snd.hiwat()) return -Errno.EMSGSIZE.number();
        if (to == null && (state & SS_ISCONNECTED) == 0) return -Errno.EDESTADDRREQ.number();
        while (pcb.sendSpace() < n) {
            if (dontwait) return -Errno.EAGAIN.number();
            int w = sbwait(sndTimeoutNanos);
            if (w != 0) return -(w == Errno.EWOULDBLOCK.number() ? Errno.EAGAIN.number() : w);
        }
        int e = pcb.send(Mbuf.copyFrom(src, n), to, flags);
        return e != 0 ? -e : n;
    }

    /**
     * soreceive into {@code dsts} in order; returns the count or a negated errno. {@code from} gets the
     * sender of a datagram; {@code msgFlags[0]} gets MSG_TRUNC when a datagram did not fit.
     */
    long receive(ByteBuffer[] dsts, int flags, boolean nonblocking, SockaddrStorage from, int[] msgFlags) {
        boolean dontwait = nonblocking || (flags & Sys.MSG_DONTWAIT) != 0;
        boolean peek = (flags & Sys.MSG_PEEK) != 0;
        long want = 0;
        for (ByteBuffer b : dsts) want += b.remaining();
        if (type != Sys.SOCK_STREAM) return receiveDatagram(dsts, peek, dontwait, from, msgFlags);
        long got = 0;
        boolean waitall = (flags & Sys.MSG_WAITALL) != 0 && !peek;
        while (true) {
            int need = (int) Math.min(waitall ? want - got : Math.max(1, rcv.lowat()), want - got);
            // MSG_WAITALL takes what is there and waits for the rest: a request larger than the buffer
            // would otherwise wait for bytes the buffer can never hold at once
            if (rcv.cc() >= need && rcv.cc() > 0 || want == got || waitall && rcv.cc() > 0) {
                got += copyStream(dsts, peek);
                if (!peek) pcb.rcvd();
                if (!waitall || got == want) return got;
                continue;
            }
            if (rcv.cc() > 0 && ((state & SS_CANTRCVMORE) != 0 || error != 0)) {
                got += copyStream(dsts, peek);
                if (!peek) pcb.rcvd();
                return got;
            }
            if (error != 0) return got > 0 ? got : -takeError();
            if ((state & SS_CANTRCVMORE) != 0) return got;
            if ((state & (SS_ISCONNECTED | SS_ISCONNECTING)) == 0) return got > 0 ? got : -Errno.ENOTCONN.number();
            if (dontwait) return got > 0 ? got : -Errno.EAGAIN.number();
            int w = sbwait(rcvTimeoutNanos);
            if (w != 0) return got > 0 ? got : -(w == Errno.EWOULDBLOCK.number() ? Errno.EAGAIN.number() : w);
        }
    }

    private int copyStream(ByteBuffer[] dsts, boolean peek) {
        int copied = 0;
        for (ByteBuffer d : dsts) {
            int n = Math.min(d.remaining(), rcv.cc() - (peek ? copied : 0));
            if (n <= 0) continue;
            if (peek) {
                Mbuf ref = rcv.reference(copied, n);
                Mbuf.copyOut(ref, 0, d, n);
            } else {
                rcv.read(d, n, false);
            }
            copied += n;
        }
        return copied;
    }

    private long receiveDatagram(ByteBuffer[] dsts, boolean peek, boolean dontwait, SockaddrStorage from, int[] msgFlags) {
        while (rcv.peekDatagram() == null) {
            if (error != 0) return -takeError();
            if ((state & SS_CANTRCVMORE) != 0) return 0;
            if (dontwait) return -Errno.EAGAIN.number();
            int w = sbwait(rcvTimeoutNanos);
            if (w != 0) return -(w == Errno.EWOULDBLOCK.number() ? Errno.EAGAIN.number() : w);
        }
        SockBuf.Datagram d = peek ? rcv.peekDatagram() : rcv.takeDatagram();
        int off = 0;
        for (ByteBuffer b : dsts) {
            int n = Math.min(b.remaining(), d.length() - off);
            if (n <= 0) continue;
            Mbuf.copyOut(d.data(), off, b, n);
            off += n;
        }
        if (off < d.length() && msgFlags != null) msgFlags[0] |= Sys.MSG_TRUNC;
        if (from != null) from.set(d.from());
        if (!peek) pcb.rcvd();
        return off;
    }

    int shutdown(int how) {
        if (how < Sys.SHUT_RD || how > Sys.SHUT_RDWR) return Errno.EINVAL.number();
        if ((state & (SS_ISCONNECTED | SS_ISCONNECTING)) == 0 && !listening) return Errno.ENOTCONN.number();
        if (how != Sys.SHUT_WR) {
            rcv.flush();
            cantRcvMore();
        }
        if (how != Sys.SHUT_RD) {
            cantSendMore();
            return pcb.shutdownOutput();
        }
        return 0;
    }

    /** soclose: drops pending connections, disconnects (lingering if asked) and detaches the protocol. */
    int close() {
        if (closed) return 0;
        int e = 0;
        if (listening) {
            for (Socket so : q0.toArray(Socket[]::new)) so.abortEmbryo();
            for (Socket so : q.toArray(Socket[]::new)) so.abortEmbryo();
        } else if ((state & (SS_ISCONNECTED | SS_ISCONNECTING)) != 0) {
            if (lingerSeconds == 0 && (options & Sys.SO_LINGER) != 0) {
                pcb.abort();
            } else {
                e = pcb.disconnect();
                if ((options & Sys.SO_LINGER) != 0 && lingerSeconds > 0) {
                    long deadline = sockets.kernel().uptimeNanos() + lingerSeconds * 1_000_000_000L;
                    while ((state & SS_ISCONNECTED) != 0 && (state & SS_ISDISCONNECTED) == 0) {
                        long left = deadline - sockets.kernel().uptimeNanos();
                        if (left <= 0 || sbwait(left) == Errno.EINTR.number()) break;
                    }
                }
            }
        }
        closed = true;
        pcb.detach();
        sockets.forget(this);
        wakeAll();
        return e;
    }

    private void abortEmbryo() {
        q0.remove(this);
        q.remove(this);
        if (head != null) {
            head.q0.remove(this);
            head.q.remove(this);
        }
        head = null;
        pcb.abort();
        pcb.detach();
        closed = true;
        sockets.forget(this);
    }

    /** sopoll. */
    int poll(int events) {
        int in = Pollfd.POLLIN | Pollfd.POLLRDNORM;
        int ready = 0;
        if (listening) {
            if (!q.isEmpty() || error != 0) ready |= events & in;
            return ready;
        }
        boolean readable = type == Sys.SOCK_STREAM ? rcv.cc() >= rcv.lowat() : rcv.peekDatagram() != null;
        if (readable || (state & SS_CANTRCVMORE) != 0 || error != 0) ready |= events & in;
        boolean connected = (state & SS_ISCONNECTED) != 0 || type != Sys.SOCK_STREAM;
        if ((state & SS_CANTSENDMORE) != 0 || error != 0 || (connected && pcb.sendSpace() >= snd.lowat())) {
            ready |= events & Pollfd.POLLOUT;
        }
        if ((state & SS_CANTRCVMORE) != 0 && (state & SS_CANTSENDMORE) != 0) ready |= Pollfd.POLLHUP;
        if (error != 0) ready |= Pollfd.POLLERR;
        return ready;
    }

    // --- options (SOL_SOCKET) ---------------------------------------------------------------------

    int setopt(int level, int name, ByteBuffer val) {
        if (level != Sys.SOL_SOCKET) return pcb.setopt(level, name, val);
        int e = setSocketOpt(name, val.duplicate());
        return e != 0 ? e : pcb.socketOptionSet(name, val.duplicate().order(java.nio.ByteOrder.nativeOrder()));
    }

    private int setSocketOpt(int name, ByteBuffer val) {
        val = val.order(java.nio.ByteOrder.nativeOrder());
        switch (name) {
            case Sys.SO_DEBUG, Sys.SO_REUSEADDR, Sys.SO_REUSEPORT, Sys.SO_KEEPALIVE, Sys.SO_DONTROUTE,
                 Sys.SO_BROADCAST, Sys.SO_OOBINLINE -> {
                if (val.remaining() < 4) return Errno.EINVAL.number();
                if (val.getInt(val.position()) != 0) options |= name;
                else options &= ~name;
                return 0;
            }
            case Sys.SO_LINGER -> {
                // struct linger { int l_onoff; int l_linger; }
                if (val.remaining() < 8) return Errno.EINVAL.number();
                int onoff = val.getInt(val.position());
                int secs = val.getInt(val.position() + 4);
                if (onoff != 0) options |= Sys.SO_LINGER;
                else options &= ~Sys.SO_LINGER;
                lingerSeconds = Math.max(0, secs);
                return 0;
            }
            case Sys.SO_SNDBUF, Sys.SO_RCVBUF -> {
                if (val.remaining() < 4) return Errno.EINVAL.number();
                int v = val.getInt(val.position());
                if (v <= 0 || v > Sockets.SB_MAX) return Errno.ENOBUFS.number();
                (name == Sys.SO_SNDBUF ? snd : rcv).setHiwat(v);
                return 0;
            }
            case Sys.SO_SNDLOWAT, Sys.SO_RCVLOWAT -> {
                if (val.remaining() < 4) return Errno.EINVAL.number();
                int v = val.getInt(val.position());
                if (v < 0) return Errno.EINVAL.number();
                (name == Sys.SO_SNDLOWAT ? snd : rcv).setLowat(v);
                return 0;
            }
            case Sys.SO_SNDTIMEO, Sys.SO_RCVTIMEO -> {
                // struct timeval { int64 tv_sec; int32 tv_usec; } as NetBSD's LP64 layout
                if (val.remaining() < 12) return Errno.EINVAL.number();
                long sec = val.getLong(val.position());
                int usec = val.getInt(val.position() + 8);
                if (sec < 0 || usec < 0 || usec >= 1_000_000) return Errno.EDOM.number();
                long nanos = sec * 1_000_000_000L + usec * 1000L;
                if (name == Sys.SO_SNDTIMEO) sndTimeoutNanos = nanos;
                else rcvTimeoutNanos = nanos;
                return 0;
            }
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
    }

    int getopt(int level, int name, ByteBuffer out) {
        if (level != Sys.SOL_SOCKET) return pcb.getopt(level, name, out);
        out.order(java.nio.ByteOrder.nativeOrder());
        switch (name) {
            case Sys.SO_DEBUG, Sys.SO_REUSEADDR, Sys.SO_REUSEPORT, Sys.SO_KEEPALIVE, Sys.SO_DONTROUTE,
                 Sys.SO_BROADCAST, Sys.SO_OOBINLINE, Sys.SO_ACCEPTCONN -> {
                return putInt(out, (options & name) != 0 ? 1 : 0);
            }
            case Sys.SO_LINGER -> {
                if (out.remaining() < 8) return Errno.EINVAL.number();
                out.putInt((options & Sys.SO_LINGER) != 0 ? 1 : 0).putInt(Math.max(lingerSeconds, 0));
                return 0;
            }
            case Sys.SO_SNDBUF -> {
                return putInt(out, snd.hiwat());
            }
            case Sys.SO_RCVBUF -> {
                return putInt(out, rcv.hiwat());
            }
            case Sys.SO_SNDLOWAT -> {
                return putInt(out, snd.lowat());
            }
            case Sys.SO_RCVLOWAT -> {
                return putInt(out, rcv.lowat());
            }
            case Sys.SO_ERROR -> {
                return putInt(out, takeError());
            }
            case Sys.SO_TYPE -> {
                return putInt(out, type);
            }
            case Sys.SO_SNDTIMEO, Sys.SO_RCVTIMEO -> {
                if (out.remaining() < 12) return Errno.EINVAL.number();
                long n = name == Sys.SO_SNDTIMEO ? sndTimeoutNanos : rcvTimeoutNanos;
                out.putLong(n / 1_000_000_000L).putInt((int) (n % 1_000_000_000L / 1000));
                return 0;
            }
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
    }

    private static int putInt(ByteBuffer out, int v) {
        if (out.remaining() < 4) return Errno.EINVAL.number();
        out.putInt(v);
        return 0;
    }

    Sockaddr sockaddr() {
        return pcb.sockaddr();
    }

    Sockaddr peeraddr() {
        return pcb.peeraddr();
    }

    /** Runs {@code body} with the network lock held. */
    long lockedCall(java.util.function.LongSupplier body) {
        Kmutex m = lock();
        m.enter();
        try {
            return body.getAsLong();
        } finally {
            m.exit();
        }
    }

    boolean connected() {
        return (state & SS_ISCONNECTED) != 0;
    }

    @Override
    public String toString() {
        return "socket(type " + type + ", state 0x" + Integer.toHexString(state) + ")";
    }
}
