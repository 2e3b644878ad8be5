package jrump.rumpuser.sim;

import java.util.ArrayDeque;
import java.util.Deque;

import jrump.rumpuser.HostMutex;

/** A mutex of the deterministic hypervisor: waiting is a Waiter, so the virtual clock sees it. */
final class SimMutex implements HostMutex {
    private final SimHypercalls sim;
    private final boolean spin;
    private final Deque<SimHypercalls.Waiter> waiters = new ArrayDeque<>();
    private Thread owner;

    SimMutex(SimHypercalls sim, boolean spin) {
        this.sim = sim;
        this.spin = spin;
    }

    @Override
    public void enter() {
        if (spin) {
            enterNowrap();
            return;
        }
        while (true) {
            if (tryEnter()) return;
            // wait for a release without the CPU, then take the CPU back before trying again
            int token = sim.unscheduleForWait();
            SimHypercalls.Waiter w = awaitRelease();
            sim.rescheduleAfterWait(token);
            if (w != null) sim.settle(w);
        }
    }

    @Override
    public void enterNowrap() {
        while (!tryEnter()) {
            SimHypercalls.Waiter w = awaitRelease();
            if (w != null) sim.settle(w);
        }
    }

    /** Waits until the mutex is free; returns the waiter used, or null when it was free already. */
    private SimHypercalls.Waiter awaitRelease() {
        sim.big.lock();
        try {
            if (owner == null) return null;
            SimHypercalls.Waiter w = sim.newWaiter();
            waiters.add(w);
            sim.block(w);
            return w;
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public boolean tryEnter() {
        sim.big.lock();
        try {
            if (owner != null) return false;
            owner = Thread.currentThread();
            return true;
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public void exit() {
        sim.big.lock();
        try {
            if (owner != Thread.currentThread()) throw new IllegalMonitorStateException("mutex exit by a non-owner");
            owner = null;
            SimHypercalls.Waiter w = waiters.poll();
            if (w != null) sim.wake(w);
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public boolean heldByCurrentThread() {
        sim.big.lock();
        try {
            return owner == Thread.currentThread();
        } finally {
            sim.big.unlock();
        }
    }
}
