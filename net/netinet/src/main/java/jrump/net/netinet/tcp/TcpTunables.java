package jrump.net.netinet.tcp;

/**
 * TCP's tunables for one stack (NetBSD's net.inet.tcp.* sysctls), changeable at run time. Defaults follow
 * the RFCs named at each.
 */
public final class TcpTunables {
    /**
     * net.inet.tcp.sendspace and recvspace: the socket buffers a new TCP socket of a kernel gets (setsockopt
     * SO_SNDBUF/SO_RCVBUF changes them). 256 KiB: a window of four 64 KiB segments on lo0 and memory links,
     * where 64 KiB buffers allowed one at a time. Buffers are chains filled as data comes, so an idle
     * socket costs nothing more.
     */
    public volatile int sendSpace = 256 * 1024;
    public volatile int recvSpace = 256 * 1024;
    /** RFC 6298 (2.1): the initial RTO, 1 s. */
    public volatile long initialRtoNanos = 1_000_000_000L;
    /** RFC 6298 (2.4): RTO is at least 1 s; NetBSD and Linux use less on fast paths (tunable down). */
    public volatile long minRtoNanos = 200_000_000L;
    /** RFC 6298 (2.5): an upper bound of at least 60 s. */
    public volatile long maxRtoNanos = 60_000_000_000L;
    /** RFC 9293 3.8.3 (R2): give up after this many retransmissions of one segment (NetBSD TCP_MAXRXTSHIFT 12). */
    public volatile int maxRetransmits = 12;
    /**
     * SYN retransmissions before connect fails with ETIMEDOUT (NetBSD's count; with the RTO doubling from 1 s
     * that is about a minute; RFC 9293 3.8.3 asks R2 for a SYN to cover at least 3 minutes: raise it for that).
     */
    public volatile int maxSynRetransmits = 6;
    /** RFC 9293 3.4.2: the maximum segment lifetime; TIME-WAIT lasts 2 MSL (NetBSD TCPTV_MSL 30 s). */
    public volatile long mslNanos = 30_000_000_000L;
    /** RFC 9293 3.8.6.3 (MUST-40): an ACK is delayed at most 500 ms; NetBSD's delayed-ACK timer is 100 ms. */
    public volatile long delayedAckNanos = 100_000_000L;
    /** RFC 9293 3.8.4 / RFC 1122 4.2.3.6: keepalive idle time, default no less than two hours. */
    public volatile long keepIdleNanos = 7200_000_000_000L;
    /** Keepalive probe interval (NetBSD TCPTV_KEEPINTVL 75 s). */
    public volatile long keepIntervalNanos = 75_000_000_000L;
    /** Keepalive probes without answer before the connection is dropped (NetBSD TCPTV_KEEPCNT 8). */
    public volatile int keepCount = 8;
    /** How long a connection whose socket is closed may sit in FIN-WAIT-2 waiting for the peer's FIN. */
    public volatile long finWait2TimeoutNanos = 60_000_000_000L;
    /** RFC 9293 3.7.1 (MUST-15): the MSS assumed when the peer sends none. */
    public volatile int defaultMss = 536;
    /** RFC 7323: offer window scaling. */
    public volatile boolean windowScaling = true;
    /** RFC 7323: offer timestamps. */
    public volatile boolean timestamps = true;
    /**
     * RFC 2018: offer SACK-permitted and, when the peer offers it too, send SACK blocks and recover from loss
     * with the RFC 6675 scoreboard (NetBSD's net.inet.tcp.sack.enable). Off: neither offered nor accepted.
     */
    public volatile boolean sack = true;
    /** The congestion control of new connections: "newreno" (RFC 5681/6582) or "cubic" (RFC 9438). */
    public volatile String congestionControl = "newreno";
    /** SYN cache: half-open connections held per stack (NetBSD net.inet.tcp.syn_cache_limit). */
    public volatile int synCacheLimit = 1024;
    /** SYN cache: half-open connections held per listener (NetBSD's net.inet.tcp.syn_bucket_limit, per listener here). */
    public volatile int synCacheListenerLimit = 256;
    /** SYN-ACK retransmissions of a cache entry before it expires (RTO doubling from the initial RTO). */
    public volatile int synCacheRetransmits = 3;
    /** RFC 4987 3.6: answer with SYN cookies when the SYN cache or the accept queue is full. */
    public volatile boolean synCookies = true;
    /** How long a cookie secret lives; a cookie is accepted in its period and the next. */
    public volatile long synCookiePeriodNanos = 64_000_000_000L;
}
