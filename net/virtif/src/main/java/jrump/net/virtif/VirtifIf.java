package jrump.net.virtif;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpuser.HostTap;
import jrump.rumpuser.HyperException;

/**
 * The virtif interface (if_virt.c): frames the stack sends are written to the host tap device; a kernel
 * thread reads what the host sends and hands it to the stack.
 *
 * <p>Receiving: the reader reads every frame waiting (up to {@link #BATCH}) without blocking, straight
 * into a large receive slab, one window per frame, then takes the network lock once for the whole batch.
 * The stack keeps references into the slab (no copy: a TCP receive buffer holds the frames' own bytes);
 * a slab is never written again once a window of it was handed on, a full one is left to the collector.
 * Sending: the chain is gathered into one frame buffer (the one copy onto the wire) and written with one
 * write(2), under the network lock the stack holds anyway.
 *
 * <p>With faults ({@link VirtifSpec}), each direction drops, duplicates or holds back frames on its own
 * seeded generator; a frame held back goes after the next one, or when the link has been quiet for
 * {@link #HOLD_NANOS}.
 */
@SuppressWarnings("exports") // kernel-side types: its callers are kernel modules and their tests
public final class VirtifIf extends Ifnet {
    /** Frames taken per wake-up before the lock is taken. */
    static final int BATCH = 64;
    /** Receive slab size: room for 43 frames of 1500 bytes (or 4 of the largest MTU). */
    private final int slabSize;
    /** How long a quiet reader sleeps before it looks at the kernel again (halt, detach). */
    private static final long IDLE_NANOS = 200_000_000L;
    /** How long a held-back frame waits for a frame to overtake it. */
    private static final long HOLD_NANOS = 2_000_000L;
    /** IEEE 802.3: destination, source, type, plus an 802.1Q tag a host may leave on. */
    private static final int LINK_HDR = 14 + 4;

    private final Kernel kernel;
    private final HostTap tap;
    private final VirtifSpec spec;
    private final LinkFaults rxFaults;
    private final LinkFaults txFaults;
    private final byte[] out;
    private byte[] slab;
    private int slabOff;
    private Mbuf heldRx;
    private byte[] heldTx;
    private volatile boolean detached;

    VirtifIf(Kernel kernel, String name, HostTap tap, byte[] mac, VirtifSpec spec) {
        super(name, LinkType.ETHERNET, spec.mtu(), IFF_UP | IFF_BROADCAST | IFF_RUNNING, mac);
        this.kernel = kernel;
        this.tap = tap;
        this.spec = spec;
        this.rxFaults = spec.faulty() ? new LinkFaults(spec, 1) : null;
        this.txFaults = spec.faulty() ? new LinkFaults(spec, 2) : null;
        this.out = new byte[maxFrame()];
        this.slabSize = Math.max(64 * 1024, 4 * (maxFrame() + 1));
        this.slab = new byte[slabSize];
    }

    /** The host tap's name. */
    public String tapName() {
        return tap.name();
    }

    /** Whether attaching created the tap (it goes away with the interface). */
    public boolean tapCreated() {
        return tap.created();
    }

    public VirtifSpec spec() {
        return spec;
    }

    /** Frames the fault injection dropped, duplicated and held back: received, then sent. */
    public long[] faultCounts() {
        LinkFaults r = rxFaults;
        LinkFaults t = txFaults;
        return r == null ? new long[6] : new long[] {r.dropped, r.duplicated, r.reordered, t.dropped, t.duplicated, t.reordered};
    }

    private int maxFrame() {
        return LINK_HDR + spec.mtu();
    }

    // --- sending (the network lock is held) ---------------------------------------------------------

    @Override
    protected void transmit(Mbuf frame) {
        int len = Mbuf.length(frame);
        if (len > out.length) {
            oerrors++;
            return;
        }
        if (txFaults == null) {
            Mbuf.copyOut(frame, 0, out, 0, len);
            send(out, len);
            return;
        }
        byte[] held = heldTx;
        switch (txFaults.decide(held == null)) {
            case DROP -> { }
            case HOLD -> {
                heldTx = Mbuf.toArray(frame);
                return;
            }
            case DUPLICATE -> {
                Mbuf.copyOut(frame, 0, out, 0, len);
                send(out, len);
                send(out, len);
            }
            case PASS -> {
                Mbuf.copyOut(frame, 0, out, 0, len);
                send(out, len);
            }
        }
        if (held != null) flushTx(); // overtaken by this frame: out of order now
    }

    private void flushTx() {
        byte[] h = heldTx;
        heldTx = null;
        if (h != null) send(h, h.length);
    }

    private void send(byte[] b, int len) {
        try {
            if (!tap.write(b, 0, len)) oerrors++;
        } catch (HyperException e) {
            oerrors++;
        }
    }

    // --- receiving ----------------------------------------------------------------------------------

    /** The reader thread's body: until the interface is detached or the kernel halts. */
    void readLoop() {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        Mbuf[] batch = new Mbuf[BATCH];
        int[] errors = new int[1];
        try {
            while (!detached && !kernel.halting()) {
                int n = readBatch(batch, errors);
                if (n < 0) return;
                if (n == 0 && errors[0] == 0) {
                    boolean holding = heldRx != null || heldTx != null;
                    if (tap.await(holding ? HOLD_NANOS : IDLE_NANOS) || !holding) continue;
                }
                int count = n;
                stack.locked(() -> {
                    ierrors += errors[0];
                    errors[0] = 0;
                    for (int i = 0; i < count; i++) {
                        receive(batch[i]);
                        batch[i] = null;
                    }
                    if (count == 0) { // the link went quiet: what was held back goes now
                        Mbuf h = heldRx;
                        heldRx = null;
                        if (h != null) deliver(h);
                        flushTx();
                    }
                });
            }
        } finally {
            tap.close();
        }
    }

    /** Reads the frames waiting, up to a batch: their number, or -1 when the device failed. */
    private int readBatch(Mbuf[] batch, int[] errors) {
        int max = maxFrame();
        int n = 0;
        while (n < batch.length) {
            if (slabSize - slabOff <= max) {
                slab = new byte[slabSize];
                slabOff = 0;
            }
            int len;
            try {
                len = tap.read(slab, slabOff, max + 1);
            } catch (HyperException e) {
                kernel.hyp().consoleLine("virtif: " + name() + ": " + e.getMessage() + "; the interface stops");
                return n > 0 ? n : -1;
            }
            if (len == 0) break;
            if (len > max || len < 14) { // longer than the MTU allows, or not even a link header
                errors[0]++;
                continue;
            }
            batch[n++] = new Mbuf(slab, slabOff, len);
            slabOff += len;
        }
        return n;
    }

    // the network lock is held
    private void receive(Mbuf m) {
        if (rxFaults == null) {
            deliver(m);
            return;
        }
        switch (rxFaults.decide(heldRx == null)) {
            case DROP -> { }
            case HOLD -> {
                heldRx = m;
                return;
            }
            case DUPLICATE -> {
                deliver(Mbuf.wrap(Mbuf.toArray(m)));
                deliver(m);
            }
            case PASS -> deliver(m);
        }
        Mbuf h = heldRx;
        if (h != null) {
            heldRx = null;
            deliver(h);
        }
    }

    @Override
    public void detach() {
        detached = true;
        tap.wakeup();
    }
}
