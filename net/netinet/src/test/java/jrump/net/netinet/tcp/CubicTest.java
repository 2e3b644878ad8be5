package jrump.net.netinet.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** CUBIC's window rules (RFC 9438) on their own, with a virtual clock and a fixed RTT. */
class CubicTest {
    static final int MSS = 1000;
    static final long RTT = 100_000_000L;

    /** Acks one window per RTT for {@code seconds}; returns the time reached. */
    static long run(Cubic c, long now, double seconds) {
        long end = now + (long) (seconds * 1e9);
        while (now < end) {
            long w = c.cwnd();
            for (long a = 0; a < w; a += MSS) c.onAck(MSS, MSS, w, now, RTT);
            now += RTT;
        }
        return now;
    }

    @Test
    void afterALoss_theWindowIsBetaTimesWmax_andReturnsToWmaxAfterK() { // RFC 9438 4.2, 4.6
        Cubic c = new Cubic();
        c.init(MSS);
        c.enterRecovery(100L * MSS, MSS); // leave slow start at once
        c.exitRecovery(0, MSS);
        long now = run(c, 0, 20);
        long wmaxBytes = c.cwnd();
        c.enterRecovery(wmaxBytes, MSS);
        assertThat(c.ssthresh()).isEqualTo((long) (wmaxBytes * Cubic.BETA));
        c.exitRecovery(wmaxBytes, MSS);
        assertThat(c.cwnd()).isEqualTo(c.ssthresh());
        double wmax = c.wMax();
        double k = Math.cbrt(wmax * (1 - Cubic.BETA) / Cubic.C);
        now = run(c, now, k);
        // at t = K the cubic function is back at W_max (within a few segments of the per-RTT steps)
        assertThat((double) c.cwnd() / MSS).isCloseTo(wmax, within(Math.max(3.0, wmax * 0.08)));
        run(c, now, 2);
        assertThat((double) c.cwnd() / MSS).as("convex region: beyond W_max").isGreaterThan(wmax);
    }

    @Test
    void renoFriendly_neverSlowerThanReno_forSmallWindows() { // RFC 9438 4.3
        Cubic c = new Cubic();
        c.init(MSS);
        c.enterRecovery(20L * MSS, MSS);
        c.exitRecovery(0, MSS);
        long before = c.cwnd();
        run(c, 0, 1.0); // ten RTTs
        // Reno with alpha = 3(1-beta)/(1+beta) adds about 0.53 segments per RTT
        assertThat(c.cwnd() - before).isGreaterThanOrEqualTo((long) (10 * Cubic.ALPHA * MSS * 0.9));
    }

    @Test
    void timeout_fallsToOneSegment() { // RFC 9438 4.8
        Cubic c = new Cubic();
        c.init(MSS);
        long before = c.cwnd();
        c.onTimeout(10L * MSS, MSS);
        assertThat(c.cwnd()).isEqualTo(MSS);
        assertThat(c.ssthresh()).isEqualTo(Math.max((long) (before * Cubic.BETA), 2L * MSS));
    }
}
