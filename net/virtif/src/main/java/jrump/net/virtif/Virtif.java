package jrump.net.virtif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpuser.HostTap;
import jrump.rumpuser.HyperException;

/** Creating virtif interfaces (rump_pub_virtif_create): a kernel's interface on a host tap device. */
@SuppressWarnings("exports") // kernel-side types: its callers are kernel modules and their tests
public final class Virtif {
    private Virtif() {
    }

    /**
     * Attaches interface {@code name} to the tap device {@code spec.tap()} (created when it does not exist
     * and the process may) and starts its reader thread. Throws {@link HyperException} with the host's
     * reason (ENOENT: no /dev/net/tun, EPERM, EBUSY: the tap is someone else's, EINVAL: not a tap).
     */
    public static VirtifIf attach(Kernel kernel, String name, VirtifSpec spec) throws HyperException {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) throw new HyperException(Errno.ENXIO.number(), "netinet is not in this kernel");
        HostTap tap = kernel.hyp().tapOpen(spec.tap());
        byte[] r = new byte[6];
        kernel.hyp().getRandom(r);
        // a locally administered unicast address (IEEE 802: bit 1 set, bit 0 clear in the first octet)
        r[0] = (byte) ((r[0] & 0xfc) | 0x02);
        VirtifIf ifp = new VirtifIf(kernel, name, tap, r, spec);
        stack.locked(() -> stack.inet().attach(ifp));
        try {
            kernel.kthreadCreate("virtif:" + name, -1, ifp::readLoop);
        } catch (HyperException e) {
            stack.locked(() -> stack.inet().detach(ifp));
            tap.close();
            throw e;
        }
        kernel.addHaltHook(tap::wakeup);
        return ifp;
    }
}
