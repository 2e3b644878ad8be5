package jrump.net.netinet;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.socket.Sockets;

/** TCP and UDP over lo0 through the system calls of one kernel. */
@Timeout(60)
class InetSyscallsTest {
    private RumpKernel rk;
    private Kernel kernel;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "netinet_test";
            }

            @Override
            public ComponentType type() {
                return ComponentType.POSTINIT;
            }

            @Override
            public int init(Kernel k) {
                captured[0] = k;
                return 0;
            }
        }).build());
        kernel = captured[0];
        sys = rk.syscalls();
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(int fd, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        long n = sys.read(fd, b);
        return new String(b.array(), 0, (int) n, StandardCharsets.UTF_8);
    }

    private int listener(int port) {
        int s = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.bind(s, new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, port));
        sys.listen(s, 8);
        return s;
    }

    @Test
    void tcp_connectAcceptEchoClose_overLoopback() {
        int srv = listener(7);
        int cli = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.connect(cli, SockaddrIn.of("127.0.0.1", 7));
        SockaddrStorage peer = new SockaddrStorage();
        int conn = sys.accept(srv, peer);
        SockaddrIn local = (SockaddrIn) sys.getsockname(cli);
        assertThat(peer.get()).isEqualTo(local);
        assertThat(local.port()).isBetween(InPorts.EPHEMERAL_FIRST, InPorts.EPHEMERAL_LAST);
        assertThat(sys.getpeername(cli)).isEqualTo(SockaddrIn.of("127.0.0.1", 7));
        sys.write(cli, bytes("hello over tcp"));
        assertThat(read(conn, 100)).isEqualTo("hello over tcp");
        sys.write(conn, bytes("and back"));
        assertThat(read(cli, 100)).isEqualTo("and back");
        sys.close(cli);
        assertThat(read(conn, 100)).isEmpty(); // the FIN
        sys.close(conn);
        sys.close(srv);
        assertThat(Sockets.of(kernel).liveCount()).isZero();
    }

    @Test
    void tcp_megabytesArriveIntact_withWriterInAnotherThread() throws Exception {
        int srv = listener(9000);
        int cli = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.connect(cli, SockaddrIn.of("127.0.0.1", 9000));
        int conn = sys.accept(srv);
        long seed = new SplittableRandom().nextLong();
        byte[] data = new byte[8 << 20];
        new SplittableRandom(seed).nextBytes(data);
        Throwable[] failed = new Throwable[1];
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) sys.write(cli, b);
                sys.shutdown(cli, Sys.SHUT_WR);
            } catch (Throwable t) {
                failed[0] = t;
            }
        });
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        while (sys.read(conn, got) > 0) {
            // to the end of the stream
        }
        writer.join();
        assertThat(failed[0]).isNull();
        assertThat(got.position()).as("seed %d", seed).isEqualTo(data.length);
        assertThat(Arrays.equals(got.array(), 0, data.length, data, 0, data.length)).as("seed %d", seed).isTrue();
    }

    @Test
    void tcp_connectToClosedPort_isRefused() {
        int cli = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        assertThat(errnoOf(() -> sys.connect(cli, SockaddrIn.of("127.0.0.1", 1)))).isEqualTo(Errno.ECONNREFUSED);
    }

    @Test
    void tcp_nonblockingConnect_isInProgress_thenWritable() {
        int srv = listener(80);
        int cli = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM | Sys.SOCK_NONBLOCK, 0);
        // over lo0 the handshake may finish inside the call (POSIX allows either answer)
        Errno e = errnoOf(() -> sys.connect(cli, SockaddrIn.of("127.0.0.1", 80)));
        assertThat(e).isIn(null, Errno.EINPROGRESS);
        Pollfd[] p = {new Pollfd(cli, Pollfd.POLLOUT)};
        assertThat(sys.poll(p, 5000)).isEqualTo(1);
        assertThat(p[0].revents & Pollfd.POLLOUT).isNotZero();
        ByteBuffer err = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        sys.getsockopt(cli, Sys.SOL_SOCKET, Sys.SO_ERROR, err);
        assertThat(err.getInt(0)).isZero();
        Pollfd[] a = {new Pollfd(srv, Pollfd.POLLIN)};
        assertThat(sys.poll(a, 5000)).isEqualTo(1);
        assertThat(sys.accept(srv)).isPositive();
    }

    @Test
    void tcp_bindInUse_andReuseAddr() {
        int a = listener(5000);
        int b = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        assertThat(errnoOf(() -> sys.bind(b, new SockaddrIn(0, 5000)))).isEqualTo(Errno.EADDRINUSE);
        assertThat(errnoOf(() -> sys.bind(b, SockaddrIn.of("10.9.9.9", 5001)))).isEqualTo(Errno.EADDRNOTAVAIL);
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1);
        sys.setsockopt(b, Sys.SOL_SOCKET, Sys.SO_REUSEPORT, one);
        assertThat(errnoOf(() -> sys.bind(b, new SockaddrIn(0, 5000)))).isEqualTo(Errno.EADDRINUSE); // a has no SO_REUSEPORT
        sys.close(a);
        sys.bind(b, new SockaddrIn(0, 5000));
    }

    @Test
    void tcp_options_nodelayAndMaxseg() {
        int s = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1);
        sys.setsockopt(s, Sys.IPPROTO_TCP, Sys.TCP_NODELAY, one);
        ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        sys.getsockopt(s, Sys.IPPROTO_TCP, Sys.TCP_NODELAY, v);
        assertThat(v.getInt(0)).isEqualTo(1);
        sys.setsockopt(s, Sys.IPPROTO_IP, Sys.IP_TTL, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 7));
        ByteBuffer t = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        sys.getsockopt(s, Sys.IPPROTO_IP, Sys.IP_TTL, t);
        assertThat(t.getInt(0)).isEqualTo(7);
        assertThat(errnoOf(() -> sys.setsockopt(s, Sys.IPPROTO_IP, Sys.IP_TTL,
                ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void udp_sendtoRecvfrom_andPortUnreachableOnConnectedSocket() {
        int a = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        sys.bind(a, SockaddrIn.of("127.0.0.1", 53));
        int b = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        assertThat(sys.sendto(b, bytes("query"), 0, SockaddrIn.of("127.0.0.1", 53))).isEqualTo(5);
        SockaddrStorage from = new SockaddrStorage();
        ByteBuffer buf = ByteBuffer.allocate(100);
        assertThat(sys.recvfrom(a, buf, 0, from)).isEqualTo(5);
        SockaddrIn bound = (SockaddrIn) sys.getsockname(b);
        assertThat(bound.addr()).isZero(); // bound to the wildcard address by the first sendto
        assertThat(from.get()).isEqualTo(new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, bound.port()));
        // a connected socket learns of the ICMP port unreachable (RFC 1122 4.1.3.3)
        int c = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        sys.connect(c, SockaddrIn.of("127.0.0.1", 9));
        sys.write(c, bytes("x"));
        assertThat(errnoOf(() -> sys.read(c, ByteBuffer.allocate(10)))).isEqualTo(Errno.ECONNREFUSED);
    }

    @Test
    void udp_largeDatagram_isFragmentedAndReassembled() {
        // lo0's 64 KiB MTU carries 60000 bytes whole: NetBSD's LOMTU makes it fragment
        NetinetComponent.KernelStack st = NetinetComponent.of(kernel);
        st.locked(() -> st.inet().ifunit("lo0").setMtu(jrump.rumpnet.net.LoopbackIf.LOMTU));
        long before = st.inet().ipFragmentsSent();
        int a = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        sys.bind(a, SockaddrIn.of("127.0.0.1", 4000));
        int b = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        byte[] big = new byte[60000];
        new SplittableRandom(1).nextBytes(big);
        sys.sendto(b, ByteBuffer.wrap(big), 0, SockaddrIn.of("127.0.0.1", 4000));
        ByteBuffer got = ByteBuffer.allocate(65536);
        assertThat(sys.recvfrom(a, got, 0)).isEqualTo(big.length);
        assertThat(Arrays.equals(got.array(), 0, big.length, big, 0, big.length)).isTrue();
        assertThat(st.inet().ipFragmentsSent() - before).isEqualTo(2);
    }

    @Test
    void tcp_fourStreamsBothWaysAtOnce_allArriveIntact() throws Exception {
        int srv = listener(9100);
        int n = 4;
        int size = 2 << 20;
        int[] clients = new int[n];
        int[] servers = new int[n];
        for (int i = 0; i < n; i++) {
            clients[i] = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
            sys.connect(clients[i], SockaddrIn.of("127.0.0.1", 9100));
            servers[i] = sys.accept(srv);
        }
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < n; i++) {
            // even streams client to server, odd ones server to client
            int from = i % 2 == 0 ? clients[i] : servers[i];
            int to = i % 2 == 0 ? servers[i] : clients[i];
            byte[] data = new byte[size];
            new SplittableRandom(i).nextBytes(data);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) sys.write(from, b);
                    sys.shutdown(from, Sys.SHUT_WR);
                } catch (Throwable t) {
                    failed.add(t);
                }
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    ByteBuffer got = ByteBuffer.allocate(size + 1);
                    while (sys.read(to, got) > 0) {
                        // to the end of the stream
                    }
                    if (got.position() != size || !Arrays.equals(got.array(), 0, size, data, 0, size)) {
                        throw new AssertionError("stream corrupted: " + got.position() + " bytes");
                    }
                } catch (Throwable t) {
                    failed.add(t);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(failed).isEmpty();
    }
}
