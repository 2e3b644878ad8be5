package jrump.rumpcrypto;

import jrump.rumpuser.Hypercalls;

/**
 * Random bytes for keys and salts, from the hypercall layer (rumpuser_getrandom): the host's secure random
 * source, or the deterministic hypervisor's seeded one in simulation.
 */
public final class KernelRandom {
    private KernelRandom() {
    }

    public static byte[] bytes(Hypercalls hyp, int n) {
        byte[] b = new byte[n];
        hyp.getRandom(b);
        return b;
    }
}
