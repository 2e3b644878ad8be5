package jrump.net.netinet;

/**
 * The tunables of one stack's IP layer (NetBSD's net.inet.ip.* sysctls), per kernel and changeable at run
 * time; reads are unsynchronised snapshots, as sysctl variables are.
 */
public final class InTunables {
    /** net.inet.ip.forwarding: route packets not addressed to this host (RFC 1812 routers do; hosts do not). */
    public volatile boolean forwarding;
    /** net.inet.ip.ttl: the TTL of packets this host originates (RFC 1122 3.2.1.7; NetBSD's IPDEFTTL 64). */
    public volatile int ttl = 64;
    /** Reassembly: a datagram's fragments are dropped after this long (RFC 1122 3.3.2: 60-120 s suggested; NetBSD 30 s). */
    public volatile long reassemblyTimeoutNanos = 30_000_000_000L;
    /** Reassembly: at most this many datagrams in reassembly (net.inet.ip.maxfragpackets). */
    public volatile int maxFragPackets = 200;
    /** Reassembly: at most this many fragment bytes held in total, against fragment floods. */
    public volatile int maxFragBytes = 4 * 1024 * 1024;
    /** ARP: how long a resolved entry is used before it is asked again (net.inet.arp.keep; NetBSD 20 min). */
    public volatile long arpKeepNanos = 20L * 60 * 1_000_000_000L;
    /** ARP: the wait between requests for an incomplete entry (RFC 1122 2.3.2.1: at most one per second). */
    public volatile long arpRetryNanos = 1_000_000_000L;
    /** ARP: requests before an incomplete entry fails with EHOSTDOWN (net.inet.arp.maxtries). */
    public volatile int arpMaxTries = 5;
    /** ARP: packets held while an entry resolves (RFC 1122 2.3.2.2 asks for at least one; NetBSD holds 1). */
    public volatile int arpHoldPackets = 8;
}
