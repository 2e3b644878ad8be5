/**
 * rumpnet: the networking faction of a rump kernel (NetBSD's sys/rump/librump/rumpnet with sys/kern's
 * uipc_* and sys/net): the sockets layer and the socket system calls, mbuf-style packet buffers, network
 * interfaces, the routing table, the loopback interface and the PF_LOCAL domain. Protocol families
 * (net/netinet) and interface drivers (net/shmif) plug in through the packages exported to them.
 */
module jrump.rumpnet {
    requires transitive jrump.rumpkern;

    exports jrump.rumpnet.mbuf to jrump.net.netinet, jrump.net.shmif, jrump.net.sockin, jrump.net.virtif, jrump.net.memif;
    exports jrump.rumpnet.net to jrump.net.netinet, jrump.net.shmif, jrump.net.virtif, jrump.net.memif;
    exports jrump.rumpnet.socket to jrump.net.netinet, jrump.net.shmif, jrump.net.sockin;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.rumpnet.socket.RumpnetComponent,
            jrump.rumpnet.socket.SockSysComponent, jrump.rumpnet.local.LocalComponent;
}
