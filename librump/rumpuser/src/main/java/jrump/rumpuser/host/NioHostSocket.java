package jrump.rumpuser.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.EnumMap;
import java.util.Map;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSocketErrno;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/**
 * One host socket as a java.nio channel. java.nio decides at creation whether a stream socket connects or
 * listens, so a bound stream socket holds its address with a {@link SocketChannel} and changes to a
 * {@link ServerSocketChannel} on the same address at listen (the address is free for an instant then).
 */
final class NioHostSocket implements HostSocket {
    private final NioHostSockets owner;
    private final int type;
    private final boolean inet6;
    private SelectableChannel ch;
    private SelectionKey key;
    private Object attachment;
    private final Map<Option, Integer> options = new EnumMap<>(Option.class);
    private boolean closed;

    NioHostSocket(NioHostSockets owner, int type, boolean inet6) throws HyperException {
        this.owner = owner;
        this.type = type;
        this.inet6 = inet6;
        StandardProtocolFamily f = inet6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        try {
            ch = type == HostSockets.STREAM ? SocketChannel.open(f) : DatagramChannel.open(f);
            ch.configureBlocking(false);
        } catch (IOException e) {
            throw fail("socket", e);
        }
    }

    private NioHostSocket(NioHostSockets owner, SocketChannel accepted, boolean inet6) throws IOException {
        this.owner = owner;
        this.type = HostSockets.STREAM;
        this.inet6 = inet6;
        this.ch = accepted;
        accepted.configureBlocking(false);
    }

    private static HyperException fail(String what, IOException e) {
        return new HyperException(HostSocketErrno.of(e), what + ": " + e.getMessage(), e);
    }

    private static HyperException fail(String what, RuntimeException e) {
        return new HyperException(HostSocketErrno.of(e), what + ": " + e, e);
    }

    private HyperException closedError() {
        return new HyperException(HostErrno.EBADF, "host socket closed");
    }

    static InetSocketAddress toJava(HostSockets.Address a) throws HyperException {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a.ip()), a.port());
        } catch (UnknownHostException e) {
            throw new HyperException(HostErrno.EINVAL, "address: " + e.getMessage(), e);
        }
    }

    static HostSockets.Address fromJava(SocketAddress s) {
        if (!(s instanceof InetSocketAddress i) || i.getAddress() == null) return null;
        return new HostSockets.Address(i.getAddress().getAddress(), i.getPort());
    }

    @Override
    public void bind(HostSockets.Address a) throws HyperException {
        if (closed) throw closedError();
        try {
            ((NetworkChannel) ch).bind(toJava(a));
        } catch (IOException e) {
            throw fail("bind", e);
        } catch (RuntimeException e) {
            throw fail("bind", e);
        }
    }

    @Override
    public void listen(int backlog) throws HyperException {
        if (closed) throw closedError();
        if (!(ch instanceof SocketChannel sc)) {
            if (ch instanceof ServerSocketChannel) return; // listen again: the backlog stays
            throw new HyperException(HostSocketErrno.EOPNOTSUPP, "listen on a datagram socket");
        }
        try {
            SocketAddress local = sc.getLocalAddress();
            if (local == null) local = new InetSocketAddress(inet6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0"), 0);
            ServerSocketChannel ss = ServerSocketChannel.open(inet6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                ss.configureBlocking(false);
                ss.setOption(StandardSocketOptions.SO_REUSEADDR, options.getOrDefault(Option.REUSEADDR, 0) != 0);
                Integer rcv = options.get(Option.RCVBUF);
                if (rcv != null) ss.setOption(StandardSocketOptions.SO_RCVBUF, rcv);
                sc.close();
                ss.bind(local, Math.max(backlog, 1));
            } catch (IOException | RuntimeException e) {
                ss.close();
                throw e;
            }
            ch = ss;
        } catch (IOException e) {
            throw fail("listen", e);
        } catch (RuntimeException e) {
            throw fail("listen", e);
        }
    }

    @Override
    public HostSocket accept() throws HyperException {
        if (closed) throw closedError();
        if (!(ch instanceof ServerSocketChannel ss)) throw new HyperException(HostErrno.EINVAL, "accept on a socket not listening");
        try {
            SocketChannel c = ss.accept();
            if (c == null) return null;
            NioHostSocket s = new NioHostSocket(owner, c, inet6);
            owner.open.add(s);
            return s;
        } catch (IOException e) {
            throw fail("accept", e);
        }
    }

    @Override
    public boolean connect(HostSockets.Address a) throws HyperException {
        if (closed) throw closedError();
        try {
            if (ch instanceof SocketChannel sc) return sc.connect(toJava(a));
            if (ch instanceof DatagramChannel dc) {
                if (dc.isConnected()) dc.disconnect();
                dc.connect(toJava(a));
                return true;
            }
            throw new HyperException(HostSocketErrno.EOPNOTSUPP, "connect on a listening socket");
        } catch (IOException e) {
            throw fail("connect", e);
        } catch (RuntimeException e) {
            throw fail("connect", e);
        }
    }

    @Override
    public void finishConnect() throws HyperException {
        if (closed) throw closedError();
        try {
            if (ch instanceof SocketChannel sc && !sc.finishConnect()) {
                throw new HyperException(HostSocketErrno.EINPROGRESS, "connect in progress");
            }
        } catch (IOException e) {
            throw fail("connect", e);
        } catch (RuntimeException e) {
            throw fail("connect", e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws HyperException {
        if (closed) throw closedError();
        try {
            return ((SocketChannel) ch).read(dst);
        } catch (IOException e) {
            throw fail("read", e);
        } catch (RuntimeException e) {
            throw fail("read", e);
        }
    }

    @Override
    public int write(ByteBuffer src) throws HyperException {
        if (closed) throw closedError();
        try {
            return ((SocketChannel) ch).write(src);
        } catch (IOException e) {
            throw fail("write", e);
        } catch (RuntimeException e) {
            throw fail("write", e);
        }
    }

    @Override
    public HostSockets.Address receive(ByteBuffer dst) throws HyperException {
        if (closed) throw closedError();
        try {
            return fromJava(((DatagramChannel) ch).receive(dst));
        } catch (IOException e) {
            throw fail("recvfrom", e);
        } catch (RuntimeException e) {
            throw fail("recvfrom", e);
        }
    }

    @Override
    public boolean send(ByteBuffer src, HostSockets.Address to) throws HyperException {
        if (closed) throw closedError();
        DatagramChannel dc = (DatagramChannel) ch;
        try {
            int n = src.remaining();
            if (to == null) return dc.write(src) == n;
            return dc.send(src, toJava(to)) == n;
        } catch (IOException e) {
            throw fail("sendto", e);
        } catch (RuntimeException e) {
            throw fail("sendto", e);
        }
    }

    @Override
    public void shutdownOutput() throws HyperException {
        if (closed) throw closedError();
        try {
            if (ch instanceof SocketChannel sc) sc.shutdownOutput();
        } catch (IOException e) {
            throw fail("shutdown", e);
        } catch (RuntimeException e) {
            throw fail("shutdown", e);
        }
    }

    @Override
    public void shutdownInput() throws HyperException {
        if (closed) throw closedError();
        try {
            if (ch instanceof SocketChannel sc) sc.shutdownInput();
        } catch (IOException e) {
            throw fail("shutdown", e);
        } catch (RuntimeException e) {
            throw fail("shutdown", e);
        }
    }

    @Override
    public HostSockets.Address localAddress() throws HyperException {
        if (closed) throw closedError();
        try {
            return fromJava(((NetworkChannel) ch).getLocalAddress());
        } catch (IOException e) {
            throw fail("getsockname", e);
        }
    }

    @Override
    public HostSockets.Address remoteAddress() throws HyperException {
        if (closed) throw closedError();
        try {
            if (ch instanceof SocketChannel sc) return fromJava(sc.getRemoteAddress());
            if (ch instanceof DatagramChannel dc) return fromJava(dc.getRemoteAddress());
            return null;
        } catch (IOException e) {
            throw fail("getpeername", e);
        }
    }

    private static SocketOption<?> javaOption(Option o) {
        return switch (o) {
            case REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
            case KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
            case RCVBUF -> StandardSocketOptions.SO_RCVBUF;
            case SNDBUF -> StandardSocketOptions.SO_SNDBUF;
            case NODELAY -> StandardSocketOptions.TCP_NODELAY;
            case LINGER -> StandardSocketOptions.SO_LINGER;
            case TOS -> StandardSocketOptions.IP_TOS;
            case BROADCAST -> StandardSocketOptions.SO_BROADCAST;
            case KEEPIDLE -> jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE;
            case KEEPINTVL -> jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL;
            case KEEPCNT -> jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT;
        };
    }

    @SuppressWarnings("unchecked")
    @Override
    public void setOption(Option o, int value) throws HyperException {
        if (closed) throw closedError();
        SocketOption<?> so = javaOption(o);
        NetworkChannel nc = (NetworkChannel) ch;
        if (!nc.supportedOptions().contains(so)) {
            // a stream socket not yet listening or connecting keeps what a later channel needs
            if (ch instanceof ServerSocketChannel && o != Option.BROADCAST) {
                options.put(o, value);
                return;
            }
            throw new HyperException(HostSocketErrno.ENOPROTOOPT, "option " + o);
        }
        try {
            if (so.type() == Boolean.class) nc.setOption((SocketOption<Boolean>) so, value != 0);
            else nc.setOption((SocketOption<Integer>) so, value);
            options.put(o, value);
        } catch (IOException e) {
            throw fail("setsockopt", e);
        } catch (RuntimeException e) {
            throw fail("setsockopt", e);
        }
    }

    @SuppressWarnings("unchecked")
    @Override
    public int getOption(Option o) throws HyperException {
        if (closed) throw closedError();
        SocketOption<?> so = javaOption(o);
        NetworkChannel nc = (NetworkChannel) ch;
        if (!nc.supportedOptions().contains(so)) {
            Integer v = options.get(o);
            if (v != null) return v;
            throw new HyperException(HostSocketErrno.ENOPROTOOPT, "option " + o);
        }
        try {
            if (so.type() == Boolean.class) return nc.getOption((SocketOption<Boolean>) so) ? 1 : 0;
            return nc.getOption((SocketOption<Integer>) so);
        } catch (IOException e) {
            throw fail("getsockopt", e);
        }
    }

    @Override
    public void arm(int ops) {
        if (closed) return;
        try {
            if (key == null || key.channel() != ch || !key.isValid()) {
                key = ch.register(owner.selector(), ops, this);
            } else {
                key.interestOpsOr(ops);
            }
        } catch (java.nio.channels.ClosedChannelException | java.nio.channels.ClosedSelectorException
                 | java.nio.channels.CancelledKeyException e) {
            return; // closing: nobody waits any more
        }
        owner.wakeup();
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object o) {
        attachment = o;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.open.remove(this);
        try {
            ch.close();
        } catch (IOException ignored) {
            // the descriptor is gone either way
        }
        // a registered channel's descriptor is released at the selector's next round
        if (key != null) owner.wakeup();
    }
}
