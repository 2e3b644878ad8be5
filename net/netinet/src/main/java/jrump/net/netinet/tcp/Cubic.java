package jrump.net.netinet.tcp;

/**
 * CUBIC (RFC 9438): after a loss the window follows W_cubic(t) = C*(t-K)^3 + W_max, flat near the window
 * where the loss happened and probing beyond it, never slower than Reno would be (the Reno-friendly
 * region). Loss recovery itself is NewReno's (RFC 6582): only the window rules differ.
 */
final class Cubic implements CongestionControl {
    /** RFC 9438 4.1: C, in segments per second cubed. */
    static final double C = 0.4;
    /** RFC 9438 4.6: the multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** RFC 9438 4.3: the Reno-friendly additive increase, 3(1-beta)/(1+beta) segments per RTT. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    /** W_max in segments: the window before the last reduction. */
    private double wMax;
    /** RFC 9438 4.7 (fast convergence): the W_max before that. */
    private double wLastMax;
    private double k;
    private long epochStart = -1;
    /** The Reno-friendly estimate W_est in segments (RFC 9438 4.3). */
    private double wEst;

    @Override
    public long cwnd() {
        return cwnd;
    }

    @Override
    public long ssthresh() {
        return ssthresh;
    }

    double wMax() {
        return wMax;
    }

    /** RFC 5681 3.1 equation 1, as for NewReno (RFC 9438 4.10 keeps the standard initial window). */
    @Override
    public void init(int mss) {
        cwnd = Math.min(4L * mss, Math.max(2L * mss, 4380));
    }

    @Override
    public void onAck(long acked, int mss, long flight, long nowNanos, long srttNanos) {
        if (cwnd < ssthresh) {
            cwnd += Math.min(acked, 2L * mss); // slow start (RFC 9438 4.10: standard)
            return;
        }
        double w = (double) cwnd / mss;
        if (epochStart < 0) {
            // RFC 9438 4.2: the first ACK of congestion avoidance starts the epoch
            epochStart = nowNanos;
            if (wMax <= w) {
                k = 0;
                wMax = w;
            } else {
                k = Math.cbrt((wMax - w) / C);
            }
            wEst = w;
        }
        double segs = (double) acked / mss;
        double t = (nowNanos - epochStart + srttNanos) / 1e9;
        double target = C * Math.pow(t - k, 3) + wMax; // W_cubic(t + RTT)
        target = Math.max(w, Math.min(target, 1.5 * w)); // RFC 9438 4.2: within [cwnd, 1.5 cwnd]
        wEst += ALPHA * segs / w; // RFC 9438 4.3
        double next;
        if (wEst > target) {
            next = w + (wEst - w) * segs / w; // Reno-friendly region: at least Reno's growth
        } else {
            next = w + (target - w) * segs / w; // concave or convex region
        }
        cwnd = Math.max(cwnd, (long) (next * mss));
    }

    /** RFC 9438 4.6 and 4.7: remember W_max (less, under fast convergence) and cut by beta. */
    private void reduce(int mss) {
        double w = (double) cwnd / mss;
        wMax = w < wLastMax ? w * (1 + BETA) / 2 : w;
        wLastMax = w;
        ssthresh = Math.max((long) (cwnd * BETA), 2L * mss);
        epochStart = -1;
    }

    @Override
    public void enterRecovery(long flight, int mss) {
        reduce(mss);
        cwnd = ssthresh + 3L * mss; // NewReno's inflation while recovering (RFC 6582 3.2 step 2)
    }

    /** RFC 9438 4.6's reduction with RFC 6675's recovery: cwnd = ssthresh, no inflation. */
    @Override
    public void enterLossRecovery(long flight, int mss) {
        reduce(mss);
        cwnd = ssthresh;
    }

    @Override
    public void onRecoveryDupAck(int mss) {
        cwnd += mss;
    }

    @Override
    public void onPartialAck(long acked, int mss) {
        cwnd = Math.max(cwnd - acked, mss);
        if (acked >= mss) cwnd += mss;
    }

    @Override
    public void exitRecovery(long flight, int mss) {
        cwnd = Math.min(ssthresh, Math.max(flight, mss) + mss);
    }

    /** RFC 9438 4.8: a timeout is a loss too; the window starts again from one segment. */
    @Override
    public void onTimeout(long flight, int mss) {
        reduce(mss);
        cwnd = mss;
    }

    @Override
    public String name() {
        return "cubic";
    }
}
