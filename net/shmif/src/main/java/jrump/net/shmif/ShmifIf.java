package jrump.net.shmif;

import java.util.List;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * The shmif interface (if_shmem.c): frames it sends go onto the bus; a kernel thread reads the frames
 * others put there and hands them to the stack. Waiting readers poll the bus, backing off from 20 µs to
 * 1 ms while it is quiet (the original sleeps on kqueue/inotify file events).
 */
@SuppressWarnings("exports") // kernel-side types: its callers are kernel modules and their tests
public final class ShmifIf extends Ifnet {
    private static final long MIN_NAP = 20_000L;
    private static final long MAX_NAP = 1_000_000L;

    private final Kernel kernel;
    private final ShmifBus bus;
    private final int id;
    private final ShmifBus.Cursor cursor;
    private volatile boolean detached;
    private final byte[] out = new byte[ShmifBus.MAX_FRAME];

    ShmifIf(Kernel kernel, String name, ShmifBus bus, byte[] mac, int id) {
        super(name, LinkType.ETHERNET, 1500, IFF_UP | IFF_BROADCAST | IFF_RUNNING, mac);
        this.kernel = kernel;
        this.bus = bus;
        this.id = id;
        this.cursor = bus.tail(id);
    }

    public ShmifBus bus() {
        return bus;
    }

    /** Frames this interface lost because the bus overran it. */
    public long lost() {
        return cursor.lost;
    }

    @Override
    protected void transmit(Mbuf frame) {
        int len = Mbuf.length(frame);
        if (len > out.length) {
            oerrors++;
            return;
        }
        Mbuf.copyOut(frame, 0, out, 0, len); // the wire copy
        if (!bus.write(id, out, len)) oerrors++;
    }

    /** The reader thread's body: until the interface goes or the kernel halts. */
    void readLoop() {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        long nap = MIN_NAP;
        while (!detached && !kernel.halting()) {
            List<ShmifBus.Frame> frames = bus.read(cursor, id, 64);
            if (frames.isEmpty()) {
                if (kernel.sleep(nap) != 0) return;
                nap = Math.min(nap * 2, MAX_NAP);
                continue;
            }
            nap = MIN_NAP;
            stack.locked(() -> {
                for (ShmifBus.Frame f : frames) deliver(Mbuf.wrap(f.data()));
            });
        }
    }

    @Override
    public void detach() {
        detached = true;
    }
}
