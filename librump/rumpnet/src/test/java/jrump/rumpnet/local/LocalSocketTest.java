package jrump.rumpnet.local;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Msghdr;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.SockaddrUn;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.socket.Sockets;

/** PF_LOCAL sockets through the system calls: the sockets layer without IP. */
class LocalSocketTest {
    private RumpKernel rk;
    private Kernel kernel;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "rumpnet_test";
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
        sys = rk.syscalls(); // every thread of the test runs in init, so they share its descriptors
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

    @Test
    void socketpair_stream_carriesBytesBothWays_thenEofAfterClose() {
        int[] sv = sys.socketpair(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        assertThat(sys.write(sv[0], bytes("ping"))).isEqualTo(4);
        assertThat(read(sv[1], 100)).isEqualTo("ping");
        assertThat(sys.sendto(sv[1], bytes("pong"), 0, null)).isEqualTo(4);
        assertThat(read(sv[0], 100)).isEqualTo("pong");
        sys.close(sv[0]);
        assertThat(read(sv[1], 100)).isEmpty();
        assertThat(errnoOf(() -> sys.write(sv[1], bytes("x")))).isEqualTo(Errno.EPIPE);
        sys.close(sv[1]);
        assertThat(Sockets.of(kernel).liveCount()).isZero();
    }

    @Test
    void socketpair_nonblocking_fillsUpThenEagain_andPollSaysWhen() {
        int[] sv = sys.socketpair(Sys.PF_LOCAL, Sys.SOCK_STREAM | Sys.SOCK_NONBLOCK, 0);
        Pollfd[] p = {new Pollfd(sv[1], Pollfd.POLLIN), new Pollfd(sv[0], Pollfd.POLLOUT)};
        assertThat(sys.poll(p, 0)).isEqualTo(1);
        assertThat(p[1].revents & Pollfd.POLLOUT).isNotZero();
        assertThat(errnoOf(() -> sys.read(sv[1], ByteBuffer.allocate(1)))).isEqualTo(Errno.EAGAIN);
        long total = 0;
        while (true) {
            try {
                total += sys.write(sv[0], ByteBuffer.allocate(10000));
            } catch (jrump.rumpkern.RumpException e) {
                assertThat(e.errno()).isEqualTo(Errno.EAGAIN);
                break;
            }
        }
        assertThat(total).isEqualTo(Sockets.DEFAULT_STREAM_BUF);
        p[0].revents = 0;
        p[1].revents = 0;
        assertThat(sys.poll(p, 0)).isEqualTo(1);
        assertThat(p[0].revents & Pollfd.POLLIN).isNotZero();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void blockingWriter_isWokenByReader_andEveryByteArrivesInOrder() throws Exception {
        int[] sv = sys.socketpair(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        long seed = new SplittableRandom().nextLong();
        byte[] data = new byte[1 << 20];
        new SplittableRandom(seed).nextBytes(data);
        Throwable[] failed = new Throwable[1];
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) sys.write(sv[0], b);
            } catch (Throwable t) {
                failed[0] = t;
            } finally {
                sys.close(sv[0]);
            }
        });
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        while (sys.read(sv[1], got) > 0) {
            // until end of stream
        }
        writer.join();
        assertThat(failed[0]).isNull();
        assertThat(got.position()).as("seed %d", seed).isEqualTo(data.length);
        assertThat(java.util.Arrays.equals(got.array(), 0, data.length, data, 0, data.length)).as("seed %d", seed).isTrue();
    }

    @Test
    void listenConnectAccept_namesAndData() {
        int srv = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.bind(srv, new SockaddrUn("/tmp/srv.sock"));
        sys.listen(srv, 5);
        int cli = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.connect(cli, new SockaddrUn("/tmp/srv.sock"));
        sys.write(cli, bytes("hello"));
        sys.close(cli); // before accept: the data and the end of stream wait in the accepted socket
        SockaddrStorage peer = new SockaddrStorage();
        int conn = sys.accept(srv, peer);
        assertThat(peer.get()).isEqualTo(new SockaddrUn(""));
        assertThat(sys.getsockname(conn)).isEqualTo(new SockaddrUn("/tmp/srv.sock"));
        assertThat(read(conn, 100)).isEqualTo("hello");
        assertThat(read(conn, 100)).isEmpty();
        sys.close(conn);
        sys.close(srv);
        assertThat(Sockets.of(kernel).liveCount()).isZero();
    }

    @Test
    void connectErrors_andBindInUse() {
        int s = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        assertThat(errnoOf(() -> sys.connect(s, new SockaddrUn("/nope")))).isEqualTo(Errno.ENOENT);
        int b = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.bind(b, new SockaddrUn("/x"));
        assertThat(errnoOf(() -> sys.connect(s, new SockaddrUn("/x")))).isEqualTo(Errno.ECONNREFUSED);
        int c = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        assertThat(errnoOf(() -> sys.bind(c, new SockaddrUn("/x")))).isEqualTo(Errno.EADDRINUSE);
        assertThat(errnoOf(() -> sys.getpeername(s))).isEqualTo(Errno.ENOTCONN);
        assertThat(errnoOf(() -> sys.read(s, ByteBuffer.allocate(1)))).isEqualTo(Errno.ENOTCONN);
        assertThat(errnoOf(() -> sys.socket(Sys.AF_INET6, Sys.SOCK_STREAM, 0))).isEqualTo(Errno.EAFNOSUPPORT);
        assertThat(errnoOf(() -> sys.listen(sys.pipe()[0], 1))).isEqualTo(Errno.ENOTSOCK);
        int nb = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM | Sys.SOCK_NONBLOCK, 0);
        sys.bind(nb, new SockaddrUn("/nb"));
        sys.listen(nb, 1);
        assertThat(errnoOf(() -> sys.accept(nb))).isEqualTo(Errno.EAGAIN);
    }

    @Test
    void datagrams_keepBoundaries_truncateWithFlag_andPeek() {
        int[] sv = sys.socketpair(Sys.PF_LOCAL, Sys.SOCK_DGRAM, 0);
        sys.write(sv[0], bytes("one"));
        sys.write(sv[0], bytes("twotwo"));
        ByteBuffer b = ByteBuffer.allocate(100);
        assertThat(sys.recvfrom(sv[1], b, Sys.MSG_PEEK)).isEqualTo(3);
        assertThat(read(sv[1], 100)).isEqualTo("one");
        Msghdr m = new Msghdr(ByteBuffer.allocate(2), ByteBuffer.allocate(2));
        assertThat(sys.recvmsg(sv[1], m, 0)).isEqualTo(4);
        assertThat(m.flags & Sys.MSG_TRUNC).isNotZero();
        assertThat(new String(m.iov[0].array(), StandardCharsets.UTF_8) + new String(m.iov[1].array(), StandardCharsets.UTF_8))
                .isEqualTo("twot");
    }

    @Test
    void unboundDatagram_sendtoBoundName_reportsSender() {
        int r = sys.socket(Sys.PF_LOCAL, Sys.SOCK_DGRAM, 0);
        sys.bind(r, new SockaddrUn("/dg"));
        int s = sys.socket(Sys.PF_LOCAL, Sys.SOCK_DGRAM, 0);
        sys.bind(s, new SockaddrUn("/me"));
        assertThat(sys.sendto(s, bytes("hi"), 0, new SockaddrUn("/dg"))).isEqualTo(2);
        SockaddrStorage from = new SockaddrStorage();
        assertThat(sys.recvfrom(r, ByteBuffer.allocate(10), 0, from)).isEqualTo(2);
        assertThat(from.get()).isEqualTo(new SockaddrUn("/me"));
    }

    @Test
    void options_bufferSizesTypeAndError() {
        int s = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        assertThat(sys.getsockopt(s, Sys.SOL_SOCKET, Sys.SO_TYPE, v)).isEqualTo(4);
        assertThat(v.flip().getInt()).isEqualTo(Sys.SOCK_STREAM);
        sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVBUF, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 12345));
        ByteBuffer r = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        sys.getsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVBUF, r);
        assertThat(r.getInt(0)).isEqualTo(12345);
        assertThat(errnoOf(() -> sys.setsockopt(s, Sys.SOL_SOCKET, 0x7777, ByteBuffer.allocate(4)))).isEqualTo(Errno.ENOPROTOOPT);
        assertThat(errnoOf(() -> sys.getsockopt(s, Sys.SOL_SOCKET, Sys.SO_TYPE, ByteBuffer.allocate(2)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void shutdownWrite_givesPeerEof_butKeepsTheOtherDirection() {
        int[] sv = sys.socketpair(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.shutdown(sv[0], Sys.SHUT_WR);
        assertThat(read(sv[1], 10)).isEmpty();
        sys.write(sv[1], bytes("still"));
        assertThat(read(sv[0], 10)).isEqualTo("still");
        assertThat(errnoOf(() -> sys.write(sv[0], bytes("x")))).isEqualTo(Errno.EPIPE);
    }

    @Test
    void closingListener_dropsUnacceptedConnections() {
        int srv = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.bind(srv, new SockaddrUn("/l"));
        sys.listen(srv, 5);
        int cli = sys.socket(Sys.PF_LOCAL, Sys.SOCK_STREAM, 0);
        sys.connect(cli, new SockaddrUn("/l"));
        sys.close(srv);
        assertThat(read(cli, 10)).isEmpty();
        sys.close(cli);
        assertThat(Sockets.of(kernel).liveCount()).isZero();
    }
}
