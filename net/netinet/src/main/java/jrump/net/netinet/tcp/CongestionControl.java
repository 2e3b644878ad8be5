package jrump.net.netinet.tcp;

/**
 * A congestion control algorithm (NetBSD's tcp_congctl): it owns cwnd and ssthresh and is told what the
 * sender sees. Loss detection (duplicate ACKs, timeouts) stays in TCP; the algorithm decides the windows.
 */
public interface CongestionControl {
    long cwnd();

    long ssthresh();

    /** The connection is established: the initial window (RFC 5681 3.1, equation 1). */
    void init(int mss);

    /**
     * New data was acknowledged outside loss recovery, at {@code nowNanos} with the smoothed RTT
     * {@code srttNanos} (0 before the first measurement).
     */
    void onAck(long acked, int mss, long flight, long nowNanos, long srttNanos);

    /** The third duplicate ACK: fast retransmit starts loss recovery. */
    void enterRecovery(long flight, int mss);

    /**
     * Loss recovery with SACK starts (RFC 6675 section 5 step 4.2): the window is reduced once, with no
     * inflation; what goes out during recovery is governed by the pipe estimate instead.
     */
    void enterLossRecovery(long flight, int mss);

    /** A further duplicate ACK during recovery. */
    void onRecoveryDupAck(int mss);

    /** A partial ACK during recovery (RFC 6582 3.2 step 5). */
    void onPartialAck(long acked, int mss);

    /** A full ACK ends recovery (RFC 6582 3.2 step 4). */
    void exitRecovery(long flight, int mss);

    /** The retransmission timer expired (RFC 5681 3.1, equation 4, and the loss window). */
    void onTimeout(long flight, int mss);

    /** A name for TCP_CONGESTION-style reporting. */
    String name();
}
