/**
 * virtif: an Ethernet interface whose other side is a host tap device (NetBSD's if_virt.c with its
 * rumpcomp_virtif_user hypercalls), so a kernel's stack talks to the host's. Interfaces are named virtN and
 * made with {@code netifCreate("virt0", "tap:TAPNAME")}; see {@link jrump.net.virtif.VirtifSpec} for the
 * fault-injection options.
 */
module jrump.net.virtif {
    requires transitive jrump.net.netinet;

    exports jrump.net.virtif;

    provides jrump.rumpkern.kernel.RumpComponent with jrump.net.virtif.VirtifComponent;
}
