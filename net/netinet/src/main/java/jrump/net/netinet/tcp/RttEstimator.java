package jrump.net.netinet.tcp;

/** The retransmission timer's estimator (RFC 6298 section 2), in nanoseconds. */
final class RttEstimator {
    /** RFC 6298 (2.3): alpha = 1/8, beta = 1/4, K = 4. */
    private static final int ALPHA_SHIFT = 3;
    private static final int BETA_SHIFT = 2;
    private static final int K = 4;
    /** RFC 6298 (2.3): G, the clock granularity (1 ms for our millisecond timestamps). */
    private static final long G = 1_000_000L;

    private final TcpTunables tun;
    private long srtt;
    private long rttvar;
    private long rto;
    private boolean measured;
    /** RFC 6298 (5.5): the back-off factor applied after each timeout. */
    private int backoff;

    RttEstimator(TcpTunables tun) {
        this.tun = tun;
        this.rto = tun.initialRtoNanos;
    }

    /** Takes one RTT measurement R (RFC 6298 2.2 and 2.3). */
    void sample(long r) {
        if (r < 0) return;
        if (!measured) {
            srtt = r;
            rttvar = r / 2;
            measured = true;
        } else {
            rttvar += (Math.abs(srtt - r) - rttvar) >> BETA_SHIFT;
            srtt += (r - srtt) >> ALPHA_SHIFT;
        }
        rto = clamp(srtt + Math.max(G, K * rttvar));
        backoff = 0;
    }

    private long clamp(long v) {
        return Math.min(Math.max(v, tun.minRtoNanos), tun.maxRtoNanos);
    }

    /** The current RTO with back-off. */
    long rto() {
        return clamp(rto << Math.min(backoff, 16));
    }

    /** RFC 6298 (5.5): the timer expired: back off. */
    void backOff() {
        if (backoff < 30) backoff++;
    }

    int backoffCount() {
        return backoff;
    }

    long srtt() {
        return srtt;
    }

    boolean measured() {
        return measured;
    }
}
