/**
 * memif: an Ethernet link held in memory between two kernels in one JVM (a virtual cable, like Linux's
 * veth pair): frames are handed to the other end by reference, with no bus and no copy.
 */
module jrump.net.memif {
    requires transitive jrump.net.netinet;

    exports jrump.net.memif;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.net.memif.MemifComponent;
}
