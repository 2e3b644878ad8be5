package jrump.rumpuser.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSocketErrno;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/** The host-socket hypercalls on their own: one-shot readiness, errors as errnos, closing everything. */
@Timeout(30)
class NioHostSocketsTest {
    private static final HostSockets.Address LOOPBACK_ANY_PORT = new HostSockets.Address(new byte[] {127, 0, 0, 1}, 0);
    private final HostHypercalls hyp = new HostHypercalls(Map.of(), true, null);

    @AfterEach
    void fini() {
        hyp.fini();
    }

    private static int errnoOf(ThrowingRunnable r) {
        try {
            r.run();
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    interface ThrowingRunnable {
        void run() throws HyperException;
    }

    @Test
    void readinessIsReportedOnce_untilArmedAgain() throws Exception {
        HostSockets hs = hyp.hostSockets();
        assertThat(hyp.hostSockets()).isSameAs(hs);
        HostSocket l = hs.socket(HostSockets.STREAM, false);
        l.bind(LOOPBACK_ANY_PORT);
        l.listen(4);
        int port = l.localAddress().port();
        assertThat(port).isPositive();
        l.arm(HostSockets.ACCEPT);
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            List<HostSockets.Ready> r = hs.await(5_000_000_000L);
            assertThat(r).hasSize(1);
            assertThat(r.getFirst().socket()).isSameAs(l);
            assertThat(r.getFirst().ops()).isEqualTo(HostSockets.ACCEPT);
            assertThat(hs.await(50_000_000L)).as("disarmed: the pending connection is not reported again").isEmpty();
            l.arm(HostSockets.ACCEPT);
            assertThat(hs.await(5_000_000_000L)).hasSize(1);
            HostSocket a = l.accept();
            assertThat(a).isNotNull();
            assertThat(a.remoteAddress().port()).isEqualTo(c.getLocalPort());
            assertThat(l.accept()).as("nothing else waits").isNull();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertThat(a.read(b)).as("no data yet, non-blocking").isZero();
            c.getOutputStream().write(new byte[] {1, 2, 3});
            a.arm(HostSockets.READ);
            assertThat(hs.await(5_000_000_000L)).extracting(HostSockets.Ready::ops).containsExactly(HostSockets.READ);
            assertThat(a.read(b)).isEqualTo(3);
            assertThat(hs.openCount()).isEqualTo(2);
            a.close();
        }
        l.close();
        assertThat(hs.openCount()).isZero();
    }

    @Test
    void hostErrorsAreNetBsdErrnos() throws Exception {
        HostSockets hs = hyp.hostSockets();
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            HostSocket s = hs.socket(HostSockets.STREAM, false);
            assertThat(errnoOf(() -> s.bind(new HostSockets.Address(new byte[] {127, 0, 0, 1}, taken.getLocalPort()))))
                    .isEqualTo(HostSocketErrno.EADDRINUSE);
            assertThat(errnoOf(() -> s.bind(new HostSockets.Address(new byte[] {(byte) 192, 0, 2, 9}, 0))))
                    .isEqualTo(HostSocketErrno.EADDRNOTAVAIL);
            s.close();
        }
        HostSocket c = hs.socket(HostSockets.STREAM, false);
        boolean now;
        try {
            now = c.connect(new HostSockets.Address(new byte[] {127, 0, 0, 1}, port));
        } catch (HyperException e) {
            assertThat(e.errno()).isEqualTo(HostSocketErrno.ECONNREFUSED);
            c.close();
            return;
        }
        assertThat(now).isFalse();
        c.arm(HostSockets.CONNECT);
        assertThat(hs.await(5_000_000_000L)).extracting(HostSockets.Ready::ops).containsExactly(HostSockets.CONNECT);
        assertThat(errnoOf(c::finishConnect)).isEqualTo(HostSocketErrno.ECONNREFUSED);
        c.close();
        HostSocket d = hs.socket(HostSockets.DGRAM, false);
        assertThat(errnoOf(() -> d.listen(1))).isEqualTo(HostSocketErrno.EOPNOTSUPP);
        assertThat(errnoOf(() -> hs.socket(3, false))).isEqualTo(HostErrno.EINVAL);
    }

    @Test
    void closeClosesEverySocket_andEndsAwait() throws Exception {
        HostSockets hs = hyp.hostSockets();
        HostSocket u = hs.socket(HostSockets.DGRAM, false);
        u.bind(LOOPBACK_ANY_PORT);
        u.arm(HostSockets.READ);
        HostSocket t = hs.socket(HostSockets.STREAM, false);
        t.bind(LOOPBACK_ANY_PORT);
        int port = t.localAddress().port();
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            hs.close();
        });
        assertThatThrownBy(() -> {
            while (true) hs.await(0);
        }).isInstanceOfSatisfying(HyperException.class, e -> assertThat(e.errno()).isEqualTo(HostErrno.EBADF));
        closer.join();
        assertThat(hs.openCount()).isZero();
        assertThat(errnoOf(() -> u.send(ByteBuffer.allocate(1), LOOPBACK_ANY_PORT))).isEqualTo(HostErrno.EBADF);
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the bound port is free again").isEqualTo(port);
        }
    }
}
