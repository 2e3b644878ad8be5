package jrump.net.netinet;

/**
 * The tunables of one stack's IP layer (NetBSD's net.inet.ip.* sysctls), per kernel and changeable at run
 * time; reads are unsynchronised snapshots, as sysctl variables are.
 */
public final class InTunables {
    /** net.inet.ip.forwarding: route packets not addressed to this host (RFC 1812 routers do; hosts do not). */
    public volatile boolean forwarding;
    /**
     * Checksum offload on links that cannot corrupt (lo0, memory links; {@code Ifnet.checksumTrusted}):
     * TCP segments sent straight to their destination over one, unfragmented, carry no checksum, and those
     * received from one are not checked. Off: every segment is summed on both sides, as on shmif.
     */
    public volatile boolean checksumOffload = true;
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

    // IPv6 (NetBSD's net.inet6.ip6.* and net.inet6.icmp6.* sysctls)
    /** net.inet6.ip6.forwarding: route packets not addressed to this host (RFC 8200: routers do, hosts do not). */
    public volatile boolean forwarding6;
    /** net.inet6.ip6.hlim: the hop limit of packets this host originates (RFC 8200 section 3; 64). */
    public volatile int hopLimit = 64;
    /** Extension headers walked before a packet is dropped (RFC 8200 4.1 sets no number; RFC 9098's concern). */
    public volatile int maxExtensionHeaders = 8;
    /** net.inet6.ip6.dad_count: neighbour solicitations sent by DAD (RFC 4862 5.1 DupAddrDetectTransmits, 1). */
    public volatile int dadTransmits = 1;
    /** RFC 4861 section 10: RetransTimer, the wait between solicitations (1 s). */
    public volatile long ndRetransNanos = 1_000_000_000L;
    /** RFC 4861 section 10: REACHABLE_TIME (30 s; the randomised ReachableTime is 0.5-1.5 times it). */
    public volatile long ndReachableNanos = 30_000_000_000L;
    /** RFC 4861 section 10: DELAY_FIRST_PROBE_TIME (5 s). */
    public volatile long ndDelayNanos = 5_000_000_000L;
    /** RFC 4861 section 10: MAX_MULTICAST_SOLICIT and MAX_UNICAST_SOLICIT (3 each). */
    public volatile int ndMaxSolicit = 3;
    /**
     * Packets held by an INCOMPLETE neighbour entry (RFC 4861 7.2.2: "SHOULD" queue at least one): enough
     * for the fragments of a 64 KiB datagram, which all leave before the first advertisement can come.
     */
    public volatile int ndHoldPackets = 64;
    /** ICMPv6 errors sent at most per second (RFC 4443 2.4 (f): token bucket; NetBSD's icmp6errppslim 100). */
    public volatile int icmp6ErrorsPerSecond = 100;
    /**
     * SLAAC's interface identifiers: false, the modified EUI-64 of the MAC (RFC 4291 appendix A); true,
     * RFC 7217's stable, semantically opaque ones (a hash of the prefix, the interface and a secret), which
     * RFC 8064 recommends. Link-local addresses stay EUI-64.
     */
    public volatile boolean stableAddresses;
    /** Whether SLAAC (RFC 4862) forms addresses from router advertisements (net.inet6.ip6.accept_rtadv). */
    public volatile boolean acceptRouterAdvertisements = true;
    /** IPv6 reassembly: datagrams held at once (net.inet6.ip6.maxfragpackets), against fragment floods. */
    public volatile int maxFrag6Packets = 200;
    /** IPv6 reassembly timeout (RFC 8200 4.5: 60 s). */
    public volatile long frag6TimeoutNanos = 60_000_000_000L;
}
