/**
 * netinet: the Internet protocols of a rump kernel (NetBSD's sys/netinet with sys/net/if_ethersubr.c):
 * Ethernet, ARP, IPv4 with forwarding, fragmentation and reassembly, ICMP, UDP and TCP. A component found
 * by ServiceLoader: it registers the PF_INET domain and configures lo0 with 127.0.0.1 at boot.
 */
module jrump.net.netinet {
    requires transitive jrump.rumpnet;

    exports jrump.net.netinet to jrump.net.shmif, jrump.net.virtif, jrump.net.memif;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.net.netinet.NetinetComponent;
}
