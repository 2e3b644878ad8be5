package jrump.net.netinet.tcp;

/** Reno's window growth (RFC 5681) with NewReno's recovery (RFC 6582). */
final class NewReno implements CongestionControl {
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    /** Bytes acknowledged in congestion avoidance since cwnd last grew (RFC 5681 3.1's byte counting). */
    private long bytesAcked;

    @Override
    public long cwnd() {
        return cwnd;
    }

    @Override
    public long ssthresh() {
        return ssthresh;
    }

    /** RFC 5681 (3.1) equation 1: IW = min(4*SMSS, max(2*SMSS, 4380 bytes)). */
    @Override
    public void init(int mss) {
        cwnd = Math.min(4L * mss, Math.max(2L * mss, 4380));
    }

    @Override
    public void onAck(long acked, int mss, long flight, long nowNanos, long srttNanos) {
        if (cwnd < ssthresh) {
            // RFC 5681 (3.1) equation 2, with RFC 3465's limit L = 2*SMSS per ACK
            cwnd += Math.min(acked, 2L * mss);
        } else {
            // RFC 5681 (3.1) equation 3 by byte counting: one SMSS per cwnd of data acknowledged
            bytesAcked += acked;
            if (bytesAcked >= cwnd) {
                bytesAcked -= cwnd;
                cwnd += mss;
            }
        }
    }

    /** RFC 6582 (3.2) step 2: ssthresh = max(FlightSize / 2, 2*SMSS); cwnd = ssthresh + 3*SMSS. */
    @Override
    public void enterRecovery(long flight, int mss) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = ssthresh + 3L * mss;
    }

    /** RFC 6675 (5) step 4.2: ssthresh = cwnd = FlightSize / 2 (RFC 5681's floor of 2*SMSS kept). */
    @Override
    public void enterLossRecovery(long flight, int mss) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = ssthresh;
    }

    /** RFC 6582 (3.2) step 3: inflate by one SMSS per further duplicate ACK. */
    @Override
    public void onRecoveryDupAck(int mss) {
        cwnd += mss;
    }

    /** RFC 6582 (3.2) step 5: deflate by the amount acknowledged, then add back one SMSS if it was at least one. */
    @Override
    public void onPartialAck(long acked, int mss) {
        cwnd = Math.max(cwnd - acked, mss);
        if (acked >= mss) cwnd += mss;
    }

    /** RFC 6582 (3.2) step 4: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS). */
    @Override
    public void exitRecovery(long flight, int mss) {
        cwnd = Math.min(ssthresh, Math.max(flight, mss) + mss);
        bytesAcked = 0;
    }

    /** RFC 5681 (3.1) equation 4 and the loss window of one SMSS. */
    @Override
    public void onTimeout(long flight, int mss) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = mss;
        bytesAcked = 0;
    }

    @Override
    public String name() {
        return "newreno";
    }
}
