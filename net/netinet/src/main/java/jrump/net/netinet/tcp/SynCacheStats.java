package jrump.net.netinet.tcp;

/**
 * The SYN cache's counters at one moment (NetBSD's tcps_sc_* and tcps_syncookies_*): entries held now and
 * at most, and what became of SYNs and cookies.
 */
public record SynCacheStats(int size, int highWater, long added, long completed, long retransmitted, long timedOut,
                            long overflowed, long reset, long unreach, long cookiesSent, long cookiesReceived,
                            long cookiesInvalid) {
}
