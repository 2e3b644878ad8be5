package jrump.rumpuser.sim;

import java.util.ArrayDeque;
import java.util.Deque;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostMutex;

/** A condition variable of the deterministic hypervisor; timed waits time out on the virtual clock. */
final class SimCondVar implements HostCondVar {
    private final SimHypercalls sim;
    private final Deque<SimHypercalls.Waiter> waiters = new ArrayDeque<>();

    SimCondVar(SimHypercalls sim) {
        this.sim = sim;
    }

    @Override
    public void await(HostMutex mutex) {
        wait(mutex, -1, true);
    }

    @Override
    public void awaitNowrap(HostMutex mutex) {
        wait(mutex, -1, false);
    }

    @Override
    public boolean awaitNanos(HostMutex mutex, long nanos) {
        return wait(mutex, Math.max(0, nanos), true);
    }

    private boolean wait(HostMutex mutex, long nanos, boolean wrap) {
        SimHypercalls.Waiter w;
        sim.big.lock();
        try {
            w = sim.newWaiter();
            waiters.add(w);
        } finally {
            sim.big.unlock();
        }
        mutex.exit();
        int token = wrap ? sim.unscheduleForWait() : -1;
        boolean signaled;
        sim.big.lock();
        try {
            if (nanos >= 0) w.deadline = sim.clockGettime(jrump.rumpuser.Hypercalls.Clock.ABSMONO) + nanos;
            sim.block(w);
            signaled = !waiters.remove(w);
        } finally {
            sim.big.unlock();
        }
        if (wrap) sim.rescheduleAfterWait(token);
        sim.settle(w);
        if (wrap) mutex.enter();
        else mutex.enterNowrap();
        return signaled;
    }

    @Override
    public void signal() {
        sim.big.lock();
        try {
            SimHypercalls.Waiter w = waiters.poll();
            if (w != null) sim.wake(w);
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public void broadcast() {
        sim.big.lock();
        try {
            SimHypercalls.Waiter w;
            while ((w = waiters.poll()) != null) sim.wake(w);
        } finally {
            sim.big.unlock();
        }
    }

    @Override
    public boolean hasWaiters() {
        sim.big.lock();
        try {
            return !waiters.isEmpty();
        } finally {
            sim.big.unlock();
        }
    }
}
