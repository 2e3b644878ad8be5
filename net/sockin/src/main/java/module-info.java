/**
 * sockin: the PF_INET sockets of a rump kernel carried by host sockets (NetBSD's rumpnet_sockin), for
 * kernels that need the network without a TCP/IP stack of their own. An opt-in component: boot with
 * {@code RumpConfig.builder().with("rumpnet_sockin").without("rumpnet_netinet", ...)}; it and netinet
 * exclude each other.
 */
module jrump.net.sockin {
    requires transitive jrump.rumpnet;

    exports jrump.net.sockin;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.net.sockin.SockinComponent;
}
