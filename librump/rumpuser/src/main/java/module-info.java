/**
 * rumpuser: the hypercall layer, the only code of jrump that touches the host (rumpuser(3)).
 * {@link jrump.rumpuser.Hypercalls} is the interface; {@link jrump.rumpuser.host.HostHypercalls} the
 * implementation over java.nio and JDK threads; {@link jrump.rumpuser.sim.SimHypercalls} a deterministic one
 * for tests (virtual clock, seeded randomness, injected I/O faults).
 */
module jrump.rumpuser {
    requires jdk.net; // TCP keepalive timing of host sockets (sockin)

    exports jrump.rumpuser;
    exports jrump.rumpuser.host;
    exports jrump.rumpuser.sim;
}
