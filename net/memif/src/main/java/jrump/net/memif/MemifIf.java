package jrump.net.memif;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * An Ethernet interface whose wire is memory: what it sends is handed, by reference, to the interface at
 * the other end of its cable (another kernel in this JVM). The sender holds its own kernel's network lock,
 * so it only queues the frame for the other end; that end's receiver thread takes the frames queued so far
 * under its kernel's lock in one go. No bus, no copy: the frame is the sender's chain (its header node and
 * references into the sender's send buffer, which is never written after it was handed on, so the receiver
 * may read it as it stands and keep it in its receive buffer). The link cannot corrupt a frame, so it is
 * checksum-trusted (see {@code InTunables.checksumOffload}).
 */
@SuppressWarnings("exports") // kernel-side types: its callers are kernel modules and their tests
public final class MemifIf extends Ifnet {
    /** Frames delivered per turn of the network lock: a bound on how long the receiver holds it. */
    private static final int BATCH = 64;
    /**
     * The most frame bytes waiting for the receiver (a NIC's ring): TCP's windows keep well below it, a
     * datagram flood faster than the receiver is dropped at the door (counted in iqdrops), not queued
     * without end.
     */
    static final long MAX_QUEUED_BYTES = 16L << 20;
    /** The receiver looks at the queue at least this often even without a wake-up (halt, detach). */
    private static final long PARK_NANOS = 100_000_000L;

    private final Kernel kernel;
    /** The cable (set when plugged in). */
    volatile MemLink link;
    private final ConcurrentLinkedQueue<Mbuf> rxq = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Guards the receiver's sleep (not the queue): a wake-up cannot fall between its last look and its wait. */
    private final Kmutex rxLock;
    private final Kcondvar rxCv;
    private volatile boolean waiting;
    private volatile boolean detached;
    /** Frames sent while nothing was plugged in at the other end (no carrier). */
    public long noCarrier;

    MemifIf(Kernel kernel, String name, int mtu, byte[] mac) {
        super(name, LinkType.ETHERNET, mtu, IFF_UP | IFF_BROADCAST | IFF_RUNNING, mac);
        this.kernel = kernel;
        this.rxLock = kernel.mutex();
        this.rxCv = kernel.condvar();
        setChecksumTrusted(true);
    }

    /** The interface at the other end, or null. */
    public MemifIf peer() {
        MemLink l = link;
        return l == null ? null : l.peer(this);
    }

    @Override
    protected void transmit(Mbuf frame) {
        MemifIf p = peer();
        if (p == null || p.detached) {
            noCarrier++;
            oerrors++;
            return;
        }
        p.enqueue(frame);
    }

    /** Called by the other end's sender (another kernel's thread): queue, then wake the receiver if it sleeps. */
    private void enqueue(Mbuf frame) {
        int len = Mbuf.length(frame);
        if (queuedBytes.addAndGet(len) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-len);
            iqdrops++; // a racy counter, as if_data's are
            return;
        }
        rxq.add(frame);
        if (waiting) wake();
    }

    /** Wakes the receiver (another kernel's thread may call this: the lock is only ever held briefly). */
    void wake() {
        rxLock.enter();
        try {
            rxCv.signal();
        } finally {
            rxLock.exit();
        }
    }

    /** The receiver thread's body: until the interface is detached or the kernel halts. */
    void receiveLoop() {
        NetinetComponent.KernelStack stack = NetinetComponent.of(kernel);
        List<Mbuf> batch = new ArrayList<>(BATCH);
        while (!detached && !kernel.halting()) {
            Mbuf m;
            while (batch.size() < BATCH && (m = rxq.poll()) != null) {
                batch.add(m);
                queuedBytes.addAndGet(-Mbuf.length(m));
            }
            if (batch.isEmpty()) {
                idle();
                continue;
            }
            stack.locked(() -> {
                for (Mbuf f : batch) deliver(f);
            });
            batch.clear();
        }
        // halted or detached: the other end sees no carrier from now on, and nothing is queued here any more
        detached = true;
        MemLink.unplug(this);
        rxq.clear();
    }

    /**
     * Sleeps until a frame is queued, without holding a virtual CPU (the condition variable gives it up).
     * We set {@code waiting} then look at the queue; the sender adds to the queue then reads {@code waiting}:
     * one of us sees the other, and the sender's signal under {@code rxLock} cannot come between our look
     * and our wait.
     */
    private void idle() {
        rxLock.enter();
        try {
            waiting = true;
            if (rxq.isEmpty() && !detached && !kernel.halting()) rxCv.awaitNanos(rxLock, PARK_NANOS);
        } finally {
            waiting = false;
            rxLock.exit();
        }
    }

    /** Frames waiting for the receiver (tests). */
    public int queued() {
        return rxq.size();
    }

    @Override
    public void detach() {
        detached = true;
        MemLink.unplug(this);
        wake();
    }
}
