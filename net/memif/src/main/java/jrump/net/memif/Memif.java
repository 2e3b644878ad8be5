package jrump.net.memif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpuser.HyperException;
import jrump.rumpkern.kernel.Kernel;

/** Creating memory interfaces (the "mem" cloner): a kernel plugs an interface into a named cable. */
public final class Memif {
    private Memif() {
    }

    /**
     * Attaches interface {@code name} of {@code kernel} to the cable named by {@code linkstr}
     * ({@link MemifSpec}) and starts its receiver. Returns 0 or an errno: EINVAL for a bad link string,
     * EBUSY when both ends of the cable are taken, ENXIO without netinet.
     */
    public static int attach(Kernel kernel, String name, String linkstr) {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) return Errno.ENXIO.number();
        MemifSpec spec;
        try {
            spec = MemifSpec.parse(linkstr);
        } catch (IllegalArgumentException e) {
            return Errno.EINVAL.number();
        }
        byte[] r = new byte[6];
        kernel.hyp().getRandom(r);
        // a locally administered unicast address (IEEE 802: bit 1 set, bit 0 clear in the first octet)
        r[0] = (byte) ((r[0] & 0xfc) | 0x02);
        MemifIf ifp = new MemifIf(kernel, name, spec.mtu(), r);
        if (!MemLink.plug(spec.link(), ifp)) return Errno.EBUSY.number();
        kernel.addHaltHook(ifp::wake);
        try {
            kernel.kthreadCreate("memif:" + name, -1, ifp::receiveLoop);
        } catch (HyperException e) {
            MemLink.unplug(ifp);
            return e.errno();
        }
        stack.locked(() -> stack.inet().attach(ifp));
        return 0;
    }
}
