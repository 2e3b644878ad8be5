package jrump.net.shmif;

import java.nio.ByteBuffer;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/** Creating shmif interfaces (rump_pub_shmif_create): a kernel joins the bus in a host file. */
@SuppressWarnings("exports") // kernel-side types: its callers are kernel modules and their tests
public final class Shmif {
    private Shmif() {
    }

    /**
     * Attaches interface {@code name} on the bus in host file {@code busPath} (created when missing) to the
     * kernel's stack and starts its reader. Returns the interface; throws {@link HyperException} when the
     * file cannot be mapped.
     */
    public static ShmifIf attach(Kernel kernel, String name, String busPath) throws HyperException {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        if (stack == null) throw new HyperException(Errno.ENXIO.number(), "netinet is not in this kernel");
        Hypercalls hyp = kernel.hyp();
        ByteBuffer mem = hyp.mapShared(busPath, ShmifBus.DEFAULT_SIZE);
        ShmifBus bus = new ShmifBus(mem, () -> hyp.clockGettime(Hypercalls.Clock.RELWALL) / 1_000_000L,
                n -> hyp.clockSleep(Hypercalls.Clock.ABSMONO, n));
        byte[] r = new byte[8];
        hyp.getRandom(r);
        // a locally administered unicast address (IEEE 802: bit 1 set, bit 0 clear in the first octet)
        byte[] mac = {(byte) ((r[0] & 0xfc) | 0x02), r[1], r[2], r[3], r[4], r[5]};
        int id = ((r[6] & 0xff) << 8 | (r[7] & 0xff)) << 8 | 1; // never 0, the free lock
        ShmifIf ifp = new ShmifIf(kernel, name, bus, mac, id);
        stack.locked(() -> stack.inet().attach(ifp));
        kernel.kthreadCreate("shmif:" + name, -1, ifp::readLoop);
        return ifp;
    }
}
