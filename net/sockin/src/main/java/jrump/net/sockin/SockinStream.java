package jrump.net.sockin;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.SocketEvents;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/**
 * A TCP socket carried by a host stream socket. Received bytes are read from the host into the socket's
 * receive buffer while it has room (the host's window then closes by itself); sent bytes go to the host
 * at once and wait in the send buffer only while the host's is full. The socket layer above does the
 * blocking, MSG_PEEK, MSG_WAITALL and poll as for any protocol.
 */
final class SockinStream extends SockinPcb {
    private boolean readArmed;
    /** Reading stopped because the receive buffer is full; {@link #rcvd} resumes it. */
    private boolean readStopped;
    private boolean writeArmed;
    private boolean connected;
    private boolean listening;
    private boolean eof;
    private boolean outputShutPending;
    /** Closed with data still to send: the host socket closes once it is out. */
    private boolean closePending;

    SockinStream(Sockin sk, SocketEvents so, HostSocket host) {
        super(sk, so, host);
    }

    @Override
    public int listen(int backlog) {
        try {
            host.listen(backlog);
        } catch (HyperException e) {
            return e.errno();
        }
        listening = true;
        host.arm(HostSockets.ACCEPT);
        return 0;
    }

    @Override
    public int connect(Sockaddr addr) {
        var a = SockinAddr.toHost(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        boolean now;
        try {
            now = host.connect(a);
        } catch (HyperException e) {
            return e.errno();
        }
        so.isConnecting();
        if (now) established();
        else host.arm(HostSockets.CONNECT);
        return 0;
    }

    private void established() {
        connected = true;
        so.isConnected();
        armRead();
    }

    private void armRead() {
        if (readArmed || eof || detached) return;
        readArmed = true;
        host.arm(HostSockets.READ);
    }

    @Override
    void ready(int ops) {
        if ((ops & HostSockets.CONNECT) != 0) finishConnect();
        if ((ops & HostSockets.ACCEPT) != 0) acceptAll();
        if ((ops & HostSockets.READ) != 0) {
            readArmed = false;
            pullIn();
        }
        if ((ops & HostSockets.WRITE) != 0) {
            writeArmed = false;
            pushOut();
        }
    }

    private void finishConnect() {
        if (detached) return;
        try {
            host.finishConnect();
        } catch (HyperException e) {
            so.setError(e.errno());
            so.isDisconnected();
            return;
        }
        established();
    }

    private void acceptAll() {
        if (detached) return;
        while (true) {
            HostSocket c;
            try {
                c = host.accept();
            } catch (HyperException e) {
                break; // ECONNABORTED and the like: the next one may do
            }
            if (c == null) break;
            SocketEvents child = so.newConnection();
            if (child == null) { // the accept queue is full: refuse as a full backlog would
                c.close();
                continue;
            }
            SockinStream p = new SockinStream(sk, child, c);
            child.attach(p);
            p.inheritOptions();
            p.established();
        }
        host.arm(HostSockets.ACCEPT);
    }

    /** Moves what the host has into the receive buffer, as far as it has room. */
    private void pullIn() {
        if (detached || eof) return;
        boolean got = false;
        while (true) {
            int room = so.rcv().space();
            if (room <= 0) {
                readStopped = true;
                break;
            }
            ByteBuffer b = sk.scratch();
            b.limit(Math.min(room, b.capacity()));
            int n;
            try {
                n = host.read(b);
            } catch (HyperException e) {
                so.setError(e.errno());
                so.isDisconnected();
                return;
            }
            if (n < 0) {
                eof = true;
                so.cantRcvMore();
                break;
            }
            if (n == 0) {
                armRead();
                break;
            }
            byte[] data = new byte[n];
            b.flip().get(data);
            so.rcv().append(Mbuf.wrap(data));
            got = true;
        }
        if (got) so.readable();
    }

    @Override
    public void rcvd() {
        if (readStopped && so.rcv().space() > 0) {
            readStopped = false;
            pullIn();
        }
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        if (!connected) return Errno.ENOTCONN.number();
        so.snd().append(m);
        return pushOut();
    }

    /** Writes the send buffer to the host until it is empty or the host's is full. */
    private int pushOut() {
        var snd = so.snd();
        boolean moved = false;
        while (snd.cc() > 0) {
            ByteBuffer b = sk.scratch();
            int n = snd.read(b, Math.min(snd.cc(), b.capacity()), true);
            b.flip();
            int w;
            try {
                w = host.write(b);
            } catch (HyperException e) {
                snd.flush();
                if (closePending) {
                    closeHost();
                    return e.errno();
                }
                so.setError(e.errno());
                so.cantSendMore();
                return e.errno();
            }
            if (w > 0) {
                snd.drop(w);
                moved = true;
            }
            if (w < n) {
                if (!writeArmed) {
                    writeArmed = true;
                    host.arm(HostSockets.WRITE);
                }
                break;
            }
        }
        if (snd.cc() == 0) {
            if (closePending) {
                closeHost();
                if (!detached) so.isDisconnected(); // a lingering close is waiting for this
                return 0;
            }
            if (outputShutPending) {
                outputShutPending = false;
                shutdownHost();
            }
        }
        if (moved && !detached) so.writable();
        return 0;
    }

    @Override
    public int sendSpace() {
        return so.snd().space();
    }

    @Override
    public int shutdownOutput() {
        if (so.snd().cc() > 0) outputShutPending = true;
        else shutdownHost();
        return 0;
    }

    private void shutdownHost() {
        try {
            host.shutdownOutput();
        } catch (HyperException e) {
            // not connected (any more): nothing to end
        }
    }

    @Override
    public int disconnect() {
        if (so.snd().cc() > 0 && connected) {
            // the rest goes out after close, as the host's own close would send it; a lingering close waits
            // for it (the socket stays connected until then)
            closePending = true;
            so.isDisconnecting();
        } else {
            closeHost();
            so.isDisconnected();
        }
        return 0;
    }

    @Override
    public void abort() {
        setHost(HostSocket.Option.LINGER, 0, true); // a reset, as NetBSD's close with a zero linger
        closeHost();
    }

    @Override
    public void detach() {
        detached = true;
        if (!closePending) closeHost();
    }

    private void closeHost() {
        closePending = false;
        host.attach(null);
        host.close();
    }

    @Override
    HostSocket.Option protoOption(int level, int name) {
        if (level == Sys.IPPROTO_TCP) {
            switch (name) {
                case Sys.TCP_NODELAY -> {
                    return HostSocket.Option.NODELAY;
                }
                case Sys.TCP_KEEPIDLE -> {
                    return HostSocket.Option.KEEPIDLE;
                }
                case Sys.TCP_KEEPINTVL -> {
                    return HostSocket.Option.KEEPINTVL;
                }
                case Sys.TCP_KEEPCNT -> {
                    return HostSocket.Option.KEEPCNT;
                }
                default -> {
                    return null;
                }
            }
        }
        return super.protoOption(level, name);
    }
}
