package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import jrump.net.netinet.tcp.TcpState;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * TCP between two stacks over a faulty link on the virtual clock (smoltcp's netsim): every byte must
 * arrive, in order, whatever the loss, duplication, reordering and corruption.
 */
class NetsimTest {
    static final int A = SockaddrIn.parse("10.0.0.1");
    static final int B = SockaddrIn.parse("10.0.0.2");

    /** Moves {@code size} bytes from a client on A to a server on B; returns the virtual seconds it took. */
    /** The sender's timeouts, fast retransmits, retransmitted and sent segments in the last transfer. */
    static long[] lastSenderStats;

    static double transfer(long seed, double loss, int size, int bufSize) {
        return transfer(seed, loss, size, bufSize, "newreno");
    }

    static double transfer(long seed, double loss, int size, int bufSize, String cc) {
        return transfer(seed, loss, size, bufSize, cc, true);
    }

    static double transfer(long seed, double loss, int size, int bufSize, String cc, boolean sack) {
        return transfer(new SimNet(seed), seed, loss, size, bufSize, cc, sack);
    }

    /** The transfer on {@code net} (a caller may have it capture the frames). */
    static double transfer(SimNet net, long seed, double loss, int size, int bufSize, String cc, boolean sack) {
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link(a, A, b, B, 24);
        ifs[0].faults = SimNet.Faults.lossy(loss);
        ifs[1].faults = SimNet.Faults.lossy(loss);
        for (Inet s : new Inet[] {a, b}) {
            s.tcp().tunables().maxRetransmits = 40; // 30% loss needs patience
            s.tcp().tunables().congestionControl = cc;
            s.tcp().tunables().sack = sack;
        }
        SimSocket listener = SimSocket.tcp(b, bufSize);
        assertThat(listener.pcb.bind(new SockaddrIn(B, 80))).isZero();
        assertThat(listener.pcb.listen(5)).isZero();
        SimSocket client = SimSocket.tcp(a, bufSize);
        assertThat(client.pcb.connect(new SockaddrIn(B, 80))).isZero();
        byte[] data = new byte[size];
        new SplittableRandom(seed ^ 0x5eed).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer dst = ByteBuffer.allocate(size + 1);
        SimSocket[] server = new SimSocket[1];
        boolean[] shut = new boolean[1];
        long start = net.now();
        net.runUntil(() -> server[0] != null && server[0].cantRcvMore && server[0].rcv.cc() == 0, () -> {
            if (client.error != 0) throw new AssertionError("client error " + client.error + " (seed " + seed + ")");
            if (client.connected && src.hasRemaining()) {
                int n = Math.min(client.pcb.sendSpace(), src.remaining());
                if (n > 0) client.pcb.send(Mbuf.copyFrom(src, n), null, 0);
            }
            if (!src.hasRemaining() && !shut[0]) {
                shut[0] = true;
                client.pcb.shutdownOutput();
            }
            if (server[0] == null) server[0] = listener.accept();
            if (server[0] != null && server[0].rcv.cc() > 0) {
                server[0].rcv.read(dst, Math.min(server[0].rcv.cc(), dst.remaining()), false);
                server[0].pcb.rcvd();
            }
        }, 3600_000_000_000L);
        double seconds = (net.now() - start) / 1e9;
        lastSenderStats = new long[] {a.tcp().rexmtTimeouts, a.tcp().fastRetransmits, a.tcp().retransmittedSegments, a.tcp().segmentsSent};
        assertThat(dst.position()).as("bytes received (seed %d, loss %.2f)", seed, loss).isEqualTo(size);
        for (int i = 0; i < size; i++) {
            if (dst.get(i) != data[i]) throw new AssertionError("byte " + i + " differs (seed " + seed + ", loss " + loss + ")");
        }
        return seconds;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01, 0.05, 0.10, 0.20, 0.30})
    void transfer_everyByteArrives_underLoss(double loss) {
        long seed = 20261124L + (long) (loss * 1000);
        int size = loss >= 0.2 ? 256 * 1024 : 2 * 1024 * 1024;
        double s = transfer(seed, loss, size, 64 * 1024);
        System.out.printf("netsim: %d KiB at %.0f%% loss: %.3f virtual s (%.1f KiB/s)%n", size / 1024, loss * 100, s, size / 1024 / s);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.02, 0.10})
    void transfer_withCubic_everyByteArrives(double loss) {
        double s = transfer(777 + (long) (loss * 1000), loss, 1024 * 1024, 256 * 1024, "cubic");
        System.out.printf("netsim cubic: 1024 KiB at %.0f%% loss: %.3f virtual s%n", loss * 100, s);
    }

    /**
     * RFC 2018/6675 against NewReno alone on the same seeds: every byte arrives either way, and with SACK the
     * transfers take far less virtual time. The ratio asserted (1.5) is well below the smallest seen per
     * seed (2.4 at 10% loss; BENCHMARKS.md has the figures); it is checked on the sum of three seeds.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.02, 0.05, 0.10})
    void transfer_withSack_muchFasterThanWithout(double loss) {
        double with = 0;
        double without = 0;
        StringBuilder perSeed = new StringBuilder();
        for (long seed = 1; seed <= 3; seed++) {
            long s = seed * 31 + (long) (loss * 1000);
            double on = transfer(s, loss, 2 * 1024 * 1024, 64 * 1024, "newreno", true);
            long[] onStats = lastSenderStats;
            double off = transfer(s, loss, 2 * 1024 * 1024, 64 * 1024, "newreno", false);
            long[] offStats = lastSenderStats;
            with += on;
            without += off;
            perSeed.append(String.format(" seed %d: %.3f s (%d RTOs) vs %.3f s (%d RTOs);", s, on, onStats[0], off, offStats[0]));
        }
        System.out.printf("netsim sack: 3 x 2048 KiB at %.0f%% loss: SACK %.3f s, NewReno alone %.3f s, %.2fx;%s%n",
                loss * 100, with, without, without / with, perSeed);
        if (loss >= 0.05) assertThat(without / with).as("virtual time without SACK / with SACK at %.0f%% loss", loss * 100).isGreaterThan(1.5);
    }

    @Test
    void transfer_manySeeds_smallBuffers() {
        for (long seed = 1; seed <= 20; seed++) transfer(seed, 0.1, 64 * 1024, 4096);
    }

    /**
     * Buffers of 2 KiB, less than two segments, with and without SACK: the window is mostly too small to send
     * into, and a lost window update must not leave both ends waiting (RFC 1122 4.2.3.4's override timeout;
     * seed 1102 stalled before it).
     */
    @Test
    void transfer_manySeeds_tinyBuffers_withAndWithoutSack() {
        for (long seed = 1100; seed < 1115; seed++) {
            transfer(seed, 0.05, 256 * 1024, 2048, "newreno", true);
            transfer(seed, 0.05, 256 * 1024, 2048, "newreno", false);
        }
    }

    @Test
    void connectClose_manyCycles_leaveNoState() {
        SimNet net = new SimNet(7);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link(a, A, b, B, 24);
        for (Inet s : new Inet[] {a, b}) s.tcp().tunables().mslNanos = 1_000_000_000L;
        SimSocket listener = SimSocket.tcp(b, 8192);
        listener.pcb.bind(new SockaddrIn(B, 7));
        listener.pcb.listen(128);
        int cycles = Integer.getInteger("netsim.cycles", 10_000);
        for (int i = 0; i < cycles; i++) {
            SimSocket c = SimSocket.tcp(a, 8192);
            assertThat(c.pcb.connect(new SockaddrIn(B, 7))).isZero();
            SimSocket[] s = new SimSocket[1];
            net.runUntil(() -> c.connected && s[0] != null, () -> {
                if (s[0] == null) s[0] = listener.accept();
            }, 60_000_000_000L);
            c.pcb.send(Mbuf.wrap(new byte[] {(byte) i}), null, 0);
            net.runUntil(() -> s[0].rcv.cc() == 1, () -> { }, 60_000_000_000L);
            s[0].rcv.drop(1);
            c.pcb.disconnect();
            c.pcb.detach();
            net.runUntil(() -> s[0].cantRcvMore, () -> { }, 60_000_000_000L);
            s[0].pcb.disconnect();
            s[0].pcb.detach();
        }
        net.advance(10_000_000_000L); // past every TIME-WAIT (2 MSL = 2 s here)
        listener.pcb.detach();
        for (Inet s : new Inet[] {a, b}) {
            assertThat(s.tcp().connectionCount()).as("connections left").isZero();
            assertThat(s.arp().entries()).as("ARP entries (the peer's)").isEqualTo(1);
            assertThat(s.timers().pendingCount()).as("timers left besides ARP's").isEqualTo(1);
            assertThat(s.ip().reassembly().queueCount()).isZero();
        }
        assertThat(b.tcp().count(TcpState.LISTEN)).isZero();
        assertThat(b.tcp().segmentsReceived).as("every cycle's handshake, data and close reached b").isGreaterThanOrEqualTo(5L * cycles);
    }
}
