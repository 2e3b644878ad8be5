/**
 * shmif: an Ethernet interface whose wire is a host file mapped by every kernel on the bus, in one JVM or
 * in several processes (NetBSD's if_shmem.c). {@link jrump.net.shmif.ShmifBus} is the bus format, also
 * what {@code jrump shmif-dump} reads.
 */
module jrump.net.shmif {
    requires transitive jrump.net.netinet;

    exports jrump.net.shmif;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.net.shmif.ShmifComponent;
}
