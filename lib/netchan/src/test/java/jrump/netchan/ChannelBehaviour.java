package jrump.netchan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.net.Inet6Address;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What java.nio.channels code may rely on, run against the JDK's own provider on the host's loopback
 * (the reference) and against a kernel's provider (lo0 of one kernel, and two kernels on a shmif bus). A
 * case passing on the host and failing on a kernel is a bug of ours.
 */
@Timeout(60)
abstract class ChannelBehaviour {
    /** The provider servers and listeners are opened with. */
    abstract SelectorProvider serverSide();

    /** The provider clients are opened with (another kernel's, or the same). */
    abstract SelectorProvider clientSide();

    /** The address the server side listens on, reachable from the client side. */
    abstract InetAddress serverAddress();

    /** The family every channel of the suite is opened with (INET6: dual-stack sockets over IPv6). */
    ProtocolFamily family() {
        return StandardProtocolFamily.INET;
    }

    SocketChannel tcp(SelectorProvider p) throws IOException {
        return p.openSocketChannel(family());
    }

    ServerSocketChannel listener(SelectorProvider p) throws IOException {
        return p.openServerSocketChannel(family());
    }

    DatagramChannel udp(SelectorProvider p) throws IOException {
        return p.openDatagramChannel(family());
    }

    final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    ServerSocketChannel listen() throws IOException {
        ServerSocketChannel ss = listener(serverSide());
        ss.bind(new InetSocketAddress(serverAddress(), 0), 16);
        return ss;
    }

    InetSocketAddress addressOf(ServerSocketChannel ss) throws IOException {
        return new InetSocketAddress(serverAddress(), ((InetSocketAddress) ss.getLocalAddress()).getPort());
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) throw new IOException("EOF after " + b.position());
        }
    }

    @Test
    void blockingEcho_oneMebibyte_scatterGather() throws Exception {
        byte[] data = random(1, 1 << 20);
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide())) {
            Future<?> server = pool.submit(() -> {
                try (SocketChannel s = ss.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(8192);
                    while (s.read(b) >= 0) {
                        b.flip();
                        while (b.hasRemaining()) s.write(b);
                        b.clear();
                    }
                }
                return null;
            });
            assertThat(c.connect(addressOf(ss))).isTrue();
            assertThat(c.isConnected()).isTrue();
            assertThat(c.getRemoteAddress()).isEqualTo(addressOf(ss));
            Future<byte[]> reader = pool.submit(() -> {
                ByteBuffer[] two = {ByteBuffer.allocate(1000), ByteBuffer.allocateDirect(data.length - 1000)};
                while (two[1].hasRemaining()) {
                    if (c.read(two) < 0) throw new IOException("EOF");
                }
                byte[] got = new byte[data.length];
                two[0].flip();
                two[1].flip();
                two[0].get(got, 0, 1000);
                two[1].get(got, 1000, data.length - 1000);
                return got;
            });
            for (int off = 0; off < data.length; off += 3 * 7000) {
                ByteBuffer[] three = new ByteBuffer[3];
                for (int i = 0; i < 3; i++) {
                    int from = Math.min(data.length, off + i * 7000);
                    three[i] = ByteBuffer.wrap(data, from, Math.min(7000, data.length - from));
                }
                long want = Arrays.stream(three).mapToLong(ByteBuffer::remaining).sum();
                assertThat(c.write(three)).isEqualTo(want); // blocking writes write everything
            }
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(data);
            c.shutdownOutput();
            server.get(30, TimeUnit.SECONDS);
            assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    /** A non-blocking echo server on one selector serving eight blocking clients at once. */
    @Test
    void selectorEchoServer_eightClientsAtOnce() throws Exception {
        try (ServerSocketChannel ss = listen(); Selector sel = serverSide().openSelector()) {
            ss.configureBlocking(false);
            SelectionKey acceptKey = ss.register(sel, SelectionKey.OP_ACCEPT);
            assertThat(acceptKey.interestOps()).isEqualTo(SelectionKey.OP_ACCEPT);
            InetSocketAddress at = addressOf(ss);
            List<Future<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = 100 + i;
                clients.add(pool.submit(() -> {
                    byte[] data = random(seed, 100_000 + seed);
                    try (SocketChannel c = tcp(clientSide())) {
                        c.connect(at);
                        Future<?> w = pool.submit(() -> {
                            c.write(ByteBuffer.wrap(data));
                            return null;
                        });
                        ByteBuffer got = ByteBuffer.allocate(data.length);
                        readFully(c, got);
                        w.get();
                        return Arrays.equals(got.array(), data);
                    }
                }));
            }
            int closed = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (closed < 8 && System.nanoTime() < deadline) {
                sel.select(1000);
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel s = ss.accept();
                        if (s == null) continue;
                        s.configureBlocking(false);
                        s.register(sel, SelectionKey.OP_READ, ByteBuffer.allocate(4096));
                    } else if (k.isReadable() || k.isWritable()) {
                        SocketChannel s = (SocketChannel) k.channel();
                        ByteBuffer b = (ByteBuffer) k.attachment();
                        if (k.isReadable() && s.read(b) < 0) {
                            s.close();
                            closed++;
                            continue;
                        }
                        b.flip();
                        s.write(b);
                        b.compact();
                        // a full buffer waits for the peer to take data: write interest only then
                        k.interestOps(b.position() > 0 ? SelectionKey.OP_WRITE | (b.hasRemaining() ? SelectionKey.OP_READ : 0)
                                : SelectionKey.OP_READ);
                        if (b.position() > 0 && !b.hasRemaining()) k.interestOps(SelectionKey.OP_WRITE);
                    }
                }
                for (Future<Boolean> f : clients) {
                    if (f.isDone() && !f.get()) throw new AssertionError("a client got other bytes");
                }
            }
            for (Future<Boolean> f : clients) assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(closed).isEqualTo(8);
            sel.selectNow();
            assertThat(sel.keys()).containsExactly(acceptKey); // closed channels' keys are gone
        }
    }

    @Test
    void connectRefused_blockingAndNonBlocking() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocketChannel ss = listen()) {
            nobody = addressOf(ss);
        }
        try (SocketChannel c = tcp(clientSide())) {
            assertThatThrownBy(() -> c.connect(nobody)).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
            assertThat(c.isOpen()).isFalse();
        }
        try (SocketChannel c = tcp(clientSide()); Selector sel = clientSide().openSelector()) {
            c.configureBlocking(false);
            if (!c.connect(nobody)) {
                c.register(sel, SelectionKey.OP_CONNECT);
                assertThat(sel.select(10_000)).isEqualTo(1);
                assertThat(sel.selectedKeys().iterator().next().isConnectable()).isTrue();
                assertThatThrownBy(c::finishConnect).isInstanceOf(ConnectException.class).hasMessage("Connection refused");
            }
            assertThat(c.isOpen()).isFalse();
        } catch (ConnectException e) {
            assertThat(e).hasMessage("Connection refused"); // refused within connect itself: also the JDK's answer
        }
    }

    @Test
    void nonBlockingConnect_opConnect_finishConnect() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide());
                Selector sel = clientSide().openSelector()) {
            c.configureBlocking(false);
            assertThatThrownBy(c::finishConnect).isInstanceOf(NoConnectionPendingException.class);
            boolean now = c.connect(addressOf(ss));
            if (!now) {
                assertThat(c.isConnectionPending()).isTrue();
                SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT);
                assertThat(sel.select(10_000)).isEqualTo(1);
                assertThat(k.readyOps()).isEqualTo(SelectionKey.OP_CONNECT);
                assertThat(c.finishConnect()).isTrue();
            }
            assertThat(c.isConnected()).isTrue();
            assertThat(c.isConnectionPending()).isFalse();
            assertThatThrownBy(() -> c.connect(addressOf(ss))).isInstanceOf(AlreadyConnectedException.class);
            try (SocketChannel s = ss.accept()) {
                assertThat(s.getRemoteAddress()).isEqualTo(c.getLocalAddress());
                s.write(ByteBuffer.wrap("hi".getBytes()));
                ByteBuffer b = ByteBuffer.allocate(2);
                c.register(sel, SelectionKey.OP_READ);
                sel.selectedKeys().clear();
                assertThat(sel.select(10_000)).isEqualTo(1);
                assertThat(c.read(b)).isEqualTo(2);
                assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(0); // non-blocking, nothing more
            }
        }
    }

    @Test
    void misuse_theJdksExceptions() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide())) {
            assertThatThrownBy(() -> ss.bind(null)).isInstanceOf(AlreadyBoundException.class);
            assertThatThrownBy(() -> c.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
            assertThatThrownBy(() -> c.write(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
            assertThatThrownBy(c::shutdownOutput).isInstanceOf(NotYetConnectedException.class);
            try (ServerSocketChannel again = listener(serverSide())) {
                assertThatThrownBy(() -> again.bind(ss.getLocalAddress())).isInstanceOf(java.net.BindException.class)
                        .hasMessageContaining("Address already in use");
            }
            try (ServerSocketChannel unbound = listener(serverSide())) {
                assertThatThrownBy(unbound::accept).isInstanceOf(NotYetBoundException.class);
                assertThat(unbound.getLocalAddress()).isNull();
            }
            c.bind(null);
            assertThatThrownBy(() -> c.bind(null)).isInstanceOf(AlreadyBoundException.class);
            assertThatThrownBy(() -> c.connect(new InetSocketAddress(Inet6Address.getByName("::1"), 80)))
                    .isInstanceOfAny(UnsupportedAddressTypeException.class, java.net.SocketException.class, IOException.class);
            try (Selector sel = serverSide().openSelector()) {
                assertThatThrownBy(() -> ss.register(sel, SelectionKey.OP_ACCEPT)).isInstanceOf(IllegalBlockingModeException.class);
            }
        }
        SocketChannel closed = tcp(clientSide());
        closed.close();
        assertThatThrownBy(() -> closed.connect(new InetSocketAddress(serverAddress(), 1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> closed.setOption(StandardSocketOptions.TCP_NODELAY, true)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void socketOptions_roundTrip() throws Exception {
        try (SocketChannel c = tcp(clientSide())) {
            assertThat(c.supportedOptions()).contains(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE,
                    StandardSocketOptions.SO_LINGER, StandardSocketOptions.IP_TOS);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            assertThat(c.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            c.setOption(StandardSocketOptions.TCP_NODELAY, false);
            assertThat(c.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            assertThat(c.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            c.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            assertThat(c.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
            assertThat(c.getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(-1);
            c.setOption(StandardSocketOptions.SO_LINGER, 5);
            assertThat(c.getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(5);
            c.setOption(StandardSocketOptions.SO_LINGER, -1);
            assertThat(c.getOption(StandardSocketOptions.SO_LINGER)).isEqualTo(-1);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 100_000);
            assertThat(c.getOption(StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(100_000); // Linux doubles it
            c.setOption(StandardSocketOptions.SO_SNDBUF, 50_000);
            assertThat(c.getOption(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(50_000);
            c.setOption(StandardSocketOptions.IP_TOS, 0x10);
            assertThat(c.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x10);
            assertThatThrownBy(() -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 3))
                    .isInstanceOf(UnsupportedOperationException.class);
            Socket s = c.socket();
            s.setTcpNoDelay(true);
            assertThat(s.getTcpNoDelay()).isTrue();
            assertThat(s.isConnected()).isFalse();
            assertThat(s.getChannel()).isSameAs(c);
        }
    }

    @Test
    void shutdownOutput_peerSeesEof_shutdownInput_readsEof() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide())) {
            c.connect(addressOf(ss));
            try (SocketChannel s = ss.accept()) {
                c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                c.shutdownOutput();
                assertThat(c.socket().isOutputShutdown()).isTrue();
                assertThatThrownBy(() -> c.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
                ByteBuffer b = ByteBuffer.allocate(10);
                while (b.position() < 3) assertThat(s.read(b)).isPositive();
                assertThat(s.read(b)).isEqualTo(-1);
                s.write(ByteBuffer.wrap(new byte[] {9})); // the other direction still flows
                ByteBuffer one = ByteBuffer.allocate(1);
                readFully(c, one);
                assertThat(one.get(0)).isEqualTo((byte) 9);
                c.shutdownInput();
                assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                // the socket adaptor sees the same connection
                assertThat(c.socket().getPort()).isEqualTo(addressOf(ss).getPort());
                assertThat(c.socket().getLocalPort()).isEqualTo(((InetSocketAddress) s.getRemoteAddress()).getPort());
            }
        }
    }

    @Test
    void wakeup_releasesABlockedSelect_andTheNextOneIfEarly() throws Exception {
        try (Selector sel = serverSide().openSelector()) {
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return sel.select();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            Thread.sleep(200);
            assertThat(blocked).isNotDone();
            sel.wakeup();
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(0);
            sel.wakeup();
            long t0 = System.nanoTime();
            assertThat(sel.select(20_000)).isEqualTo(0);
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(sel.selectNow()).isEqualTo(0);
            assertThatThrownBy(() -> sel.selectedKeys().add(null)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void closingARegisteredChannel_cancelsItsKey_andThePeerSeesEof() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide());
                Selector sel = clientSide().openSelector()) {
            c.connect(addressOf(ss));
            try (SocketChannel s = ss.accept()) {
                c.configureBlocking(false);
                SelectionKey k = c.register(sel, SelectionKey.OP_READ);
                CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return sel.select();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, pool);
                Thread.sleep(100);
                c.close();
                assertThat(k.isValid()).isFalse();
                sel.wakeup(); // the JDK's close does not wake a selector (ours does); the key goes at the next select
                blocked.get(10, TimeUnit.SECONDS);
                sel.selectNow();
                assertThat(sel.keys()).isEmpty();
                ByteBuffer b = ByteBuffer.allocate(1);
                assertThat(s.read(b)).isEqualTo(-1);
            }
        }
    }

    @Test
    void asynchronousClose_andInterrupt_ofABlockedRead() throws Exception {
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide())) {
            c.connect(addressOf(ss));
            try (SocketChannel s = ss.accept()) {
                Future<Integer> reader = pool.submit(() -> c.read(ByteBuffer.allocate(10)));
                Thread.sleep(200);
                c.close();
                assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AsynchronousCloseException.class);
            }
        }
        try (ServerSocketChannel ss = listen(); SocketChannel c = tcp(clientSide())) {
            c.connect(addressOf(ss));
            try (SocketChannel s = ss.accept()) {
                Thread[] t = new Thread[1];
                Future<Integer> reader = pool.submit(() -> {
                    t[0] = Thread.currentThread();
                    return c.read(ByteBuffer.allocate(10));
                });
                Thread.sleep(200);
                t[0].interrupt();
                assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClosedByInterruptException.class);
                assertThat(c.isOpen()).isFalse();
            }
        }
        try (ServerSocketChannel ss = listen()) {
            Future<SocketChannel> acceptor = pool.submit(ss::accept);
            Thread.sleep(200);
            ss.close();
            assertThatThrownBy(() -> acceptor.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AsynchronousCloseException.class);
        }
    }

    @Test
    void pipe_throughASelector() throws Exception {
        Pipe p = serverSide().openPipe();
        try (Selector sel = serverSide().openSelector(); Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            src.configureBlocking(false);
            SelectionKey k = src.register(sel, SelectionKey.OP_READ);
            assertThat(sel.selectNow()).isEqualTo(0);
            assertThat(src.read(ByteBuffer.allocate(4))).isEqualTo(0);
            sink.write(new ByteBuffer[] {ByteBuffer.wrap("ab".getBytes()), ByteBuffer.wrap("cd".getBytes())});
            assertThat(sel.select(10_000)).isEqualTo(1);
            assertThat(k.isReadable()).isTrue();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertThat(src.read(b)).isEqualTo(4);
            assertThat(new String(b.array(), 0, 4)).isEqualTo("abcd");
            sink.close();
            assertThat(src.read(b)).isEqualTo(-1);
        }
    }

    @Test
    void datagrams_sendReceive_connected_nonBlocking() throws Exception {
        try (DatagramChannel server = udp(serverSide()); DatagramChannel client = udp(clientSide())) {
            server.bind(new InetSocketAddress(serverAddress(), 0));
            InetSocketAddress at = new InetSocketAddress(serverAddress(), ((InetSocketAddress) server.getLocalAddress()).getPort());
            assertThat(client.send(ByteBuffer.wrap("ping".getBytes()), at)).isEqualTo(4);
            ByteBuffer b = ByteBuffer.allocate(100);
            InetSocketAddress from = (InetSocketAddress) server.receive(b);
            assertThat(new String(b.array(), 0, b.position())).isEqualTo("ping");
            assertThat(from.getPort()).isEqualTo(((InetSocketAddress) client.getLocalAddress()).getPort());
            client.connect(at); // before the reply: the JDK's connect discards datagrams already queued
            server.send(ByteBuffer.wrap("pong!".getBytes()), from);
            assertThat(client.isConnected()).isTrue();
            ByteBuffer r = ByteBuffer.allocate(100);
            assertThat(client.read(r)).isEqualTo(5);
            server.configureBlocking(false);
            assertThat(server.receive(ByteBuffer.allocate(10))).isNull();
            try (Selector sel = serverSide().openSelector()) {
                server.register(sel, SelectionKey.OP_READ);
                client.write(new ByteBuffer[] {ByteBuffer.wrap("a".getBytes()), ByteBuffer.wrap("bc".getBytes())});
                assertThat(sel.select(10_000)).isEqualTo(1);
                ByteBuffer small = ByteBuffer.allocate(2);
                assertThat(server.receive(small)).isEqualTo(from);
                assertThat(new String(small.array())).isEqualTo("ab"); // the rest of the datagram is discarded
            }
            DatagramChannel unconnected = udp(clientSide());
            assertThatThrownBy(() -> unconnected.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
            unconnected.close();
        }
    }
}
