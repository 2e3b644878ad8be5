package jrump.rumpuser.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import jrump.rumpuser.HostRwLock;

/** A reader/writer lock of the deterministic hypervisor. */
final class SimRwLock implements HostRwLock {
    private final SimHypercalls sim;
    private final Deque<SimHypercalls.Waiter> waiters = new ArrayDeque<>();
    private final Map<Thread, Integer> readers = new HashMap<>();
    private Thread writer;

    SimRwLock(SimHypercalls sim) {
        this.sim = sim;
    }

    @Override
    public void enter(boolean asWriter) {
        while (!tryEnter(asWriter)) {
            int token = sim.unscheduleForWait();
            SimHypercalls.Waiter w = null;
            sim.big.lock();
            try {
                if (!available(asWriter)) {
                    w = sim.newWaiter();
                    waiters.add(w);
                    sim.block(w);
                }
            } finally {
                sim.big.unlock();
            }
            sim.rescheduleAfterWait(token);
            if (w != null) sim.settle(w);
        }
    }

    private boolean available(boolean asWriter) {
        return writer == null && (!asWriter || readers.isEmpty());
    }

    @Override
    public boolean tryEnter(boolean asWriter) {
        sim.big.lock();
        try {
            if (!available(asWriter)) return false;
            if (asWriter) writer = Thread.currentThread();
            else readers.merge(Thread.currentThread(), 1, Integer::sum);
            return true;
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public boolean tryUpgrade() {
        sim.big.lock();
        try {
            Thread me = Thread.currentThread();
            if (readers.size() != 1 || readers.getOrDefault(me, 0) != 1) return false;
            readers.clear();
            writer = me;
            return true;
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public void downgrade() {
        sim.big.lock();
        try {
            Thread me = Thread.currentThread();
            if (writer != me) throw new IllegalMonitorStateException("downgrade without the write lock");
            writer = null;
            readers.put(me, 1);
            wakeAll();
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public void exit() {
        sim.big.lock();
        try {
            Thread me = Thread.currentThread();
            if (writer == me) {
                writer = null;
            } else {
                Integer n = readers.get(me);
                if (n == null) throw new IllegalMonitorStateException("rw exit without a hold");
                if (n == 1) readers.remove(me);
                else readers.put(me, n - 1);
            }
            wakeAll();
        } finally {
            sim.big.unlock();
        }
    }

    private void wakeAll() {
        SimHypercalls.Waiter w;
        while ((w = waiters.poll()) != null) sim.wake(w);
    }

    @Override
    public boolean held(boolean asWriter) {
        sim.big.lock();
        try {
            Thread me = Thread.currentThread();
            return asWriter ? writer == me : readers.containsKey(me);
        } finally {
            sim.big.unlock();
        }
    }
}
