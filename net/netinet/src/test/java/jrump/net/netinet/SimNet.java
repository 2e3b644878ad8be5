package jrump.net.netinet;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import jrump.rumpkern.SockaddrIn;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.LoopbackIf;

/**
 * A smoltcp-style network simulation: stacks in one thread on a virtual clock, joined by Ethernet links
 * with a seeded fault injector. Nothing depends on the host's clock or scheduling, so a seed reproduces a
 * run exactly.
 */
final class SimNet implements NetEnv {
    /** Faults a link applies to each frame, as probabilities, plus its one-way delay. */
    static final class Faults {
        double loss;
        double duplicate;
        double reorder;
        double corrupt;
        long delayNanos = 1_000_000L;
        long reorderExtraNanos = 5_000_000L;

        static Faults lossy(double loss) {
            Faults f = new Faults();
            f.loss = loss;
            f.duplicate = loss / 5;
            f.reorder = loss / 2;
            f.corrupt = loss / 10;
            return f;
        }
    }

    private record Delivery(long at, long seq, Ifnet to, byte[] frame) {
    }

    /** A frame seen on a link: when, where from, and its bytes (what a pcap would hold). */
    record Frame(long at, String from, byte[] bytes) {
    }

    final SplittableRandom random;
    private long now;
    private long seq;
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    final List<Inet> stacks = new ArrayList<>();
    final List<Frame> captured = new ArrayList<>();
    boolean capture;
    long framesSent;
    long framesLost;

    SimNet(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long random() {
        return random.nextLong();
    }

    long now() {
        return now;
    }

    /** A stack with lo0 (127.0.0.1/8). */
    Inet stack() {
        Inet inet = new Inet(this, d -> { });
        LoopbackIf lo = new LoopbackIf("lo0");
        inet.attach(lo);
        inet.addAddress(lo, SockaddrIn.INADDR_LOOPBACK, 8);
        stacks.add(inet);
        return inet;
    }

    /** An Ethernet interface of a simulated link. */
    final class SimIf extends Ifnet {
        SimIf peer;
        Faults faults = new Faults();

        SimIf(String name, byte[] mac) {
            super(name, LinkType.ETHERNET, 1500, IFF_UP | IFF_BROADCAST | IFF_RUNNING, mac);
        }

        @Override
        protected void transmit(Mbuf frame) {
            byte[] b = Mbuf.toArray(frame); // the wire: one copy
            framesSent++;
            if (capture) captured.add(new Frame(now, name(), b.clone()));
            send(b);
            if (random.nextDouble() < faults.duplicate) send(b.clone());
        }

        private void send(byte[] b) {
            if (random.nextDouble() < faults.loss) {
                framesLost++;
                return;
            }
            if (random.nextDouble() < faults.corrupt) {
                b = b.clone();
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 << random.nextInt(8));
            }
            long delay = faults.delayNanos;
            if (random.nextDouble() < faults.reorder) delay += random.nextLong(faults.reorderExtraNanos + 1);
            inFlight.add(new Delivery(now + delay, seq++, peer, b));
        }
    }

    /** Joins {@code a} and {@code b} with a link; each end gets {@code addr/24} style addresses. */
    SimIf[] link(Inet a, int addrA, Inet b, int addrB, int prefixLen) {
        SimIf ia = new SimIf("sim" + stacks.indexOf(a), mac(stacks.indexOf(a)));
        SimIf ib = new SimIf("sim" + stacks.indexOf(b), mac(stacks.indexOf(b)));
        ia.peer = ib;
        ib.peer = ia;
        a.attach(ia);
        b.attach(ib);
        a.addAddress(ia, addrA, prefixLen);
        b.addAddress(ib, addrB, prefixLen);
        return new SimIf[] {ia, ib};
    }

    /** Joins {@code a} and {@code b} with a link carrying IPv6 only: "fd00::1/64" style addresses (null: link-local only). */
    SimIf[] link6(Inet a, String addrA, Inet b, String addrB, int prefixLen) {
        SimIf ia = new SimIf("sim" + stacks.indexOf(a), mac(stacks.indexOf(a)));
        SimIf ib = new SimIf("sim" + stacks.indexOf(b), mac(stacks.indexOf(b)));
        ia.peer = ib;
        ib.peer = ia;
        a.attach(ia);
        b.attach(ib);
        if (addrA != null) a.addAddress6(ia, IpAddr.parse6(addrA), prefixLen);
        if (addrB != null) b.addAddress6(ib, IpAddr.parse6(addrB), prefixLen);
        return new SimIf[] {ia, ib};
    }

    static byte[] mac(int i) {
        return new byte[] {0x02, 0, 0, 0, 0, (byte) (i + 1)};
    }

    /** Delivers frames and fires timers due now; returns whether anything happened. */
    private boolean step() {
        boolean any = false;
        Delivery d;
        while ((d = inFlight.peek()) != null && d.at <= now) {
            inFlight.poll();
            d.to.deliver(Mbuf.wrap(d.frame));
            any = true;
        }
        for (Inet s : stacks) {
            if (s.timers().earliest() <= now) {
                s.poll();
                any = true;
            }
            s.drain();
        }
        return any;
    }

    /**
     * Runs until {@code done} holds, calling {@code app} whenever something happened (the application's
     * turn), jumping the clock to the next event when idle; fails after {@code maxNanos} of virtual time.
     */
    void runUntil(BooleanSupplier done, Runnable app, long maxNanos) {
        long end = now + maxNanos;
        while (!done.getAsBoolean()) {
            boolean any = step();
            app.run();
            if (done.getAsBoolean()) return;
            if (!any) {
                long next = Long.MAX_VALUE;
                Delivery d = inFlight.peek();
                if (d != null) next = d.at;
                for (Inet s : stacks) next = Math.min(next, s.timers().earliest());
                if (next == Long.MAX_VALUE) {
                    app.run();
                    if (!done.getAsBoolean() && inFlight.isEmpty() && stacks.stream().allMatch(s -> s.timers().earliest() == Long.MAX_VALUE)) {
                        throw new AssertionError("simulation idle with nothing pending before the goal");
                    }
                    continue;
                }
                if (next > end) throw new AssertionError("goal not reached within " + maxNanos / 1e9 + " s of virtual time");
                now = Math.max(now, next);
            }
        }
    }

    /** Advances virtual time by {@code nanos}, processing everything due on the way. */
    void advance(long nanos) {
        long end = now + nanos;
        while (true) {
            step();
            long next = Long.MAX_VALUE;
            Delivery d = inFlight.peek();
            if (d != null) next = d.at;
            for (Inet s : stacks) next = Math.min(next, s.timers().earliest());
            if (next > end) {
                now = end;
                step();
                return;
            }
            now = Math.max(now, next);
        }
    }
}
