package jrump.rumpnet.net;

import java.util.PriorityQueue;

/**
 * The protocol timers of one network stack, kept in deadline order. Protocol code never waits: it arms
 * timers, and whoever drives the stack (a kernel's callout, or a simulation's event loop) calls
 * {@link #runDue} at {@link #earliest()}. Not thread-safe: guarded by the network lock.
 */
public final class Timers {
    /** A timer; re-arming a pending timer moves it. */
    public final class Timer {
        private final Runnable action;
        private long deadline;
        private long seq;
        private boolean pending;

        private Timer(Runnable action) {
            this.action = action;
        }

        /** Arms the timer at absolute time {@code deadlineNanos}. */
        public void at(long deadlineNanos) {
            if (pending) queue.remove(this);
            deadline = deadlineNanos;
            seq = nextSeq++;
            pending = true;
            queue.add(this);
            if (queue.peek() == this) listener.earliestChanged(deadlineNanos);
        }

        public void cancel() {
            if (pending) {
                queue.remove(this);
                pending = false;
            }
        }

        public boolean pending() {
            return pending;
        }

        public long deadline() {
            return deadline;
        }
    }

    /** Told when the earliest deadline moves earlier: the driver re-arms its wake-up. */
    public interface Listener {
        void earliestChanged(long deadlineNanos);
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private final Listener listener;
    private long nextSeq;

    public Timers(Listener listener) {
        this.listener = listener;
    }

    public Timer create(Runnable action) {
        return new Timer(action);
    }

    /** The earliest pending deadline, or Long.MAX_VALUE. */
    public long earliest() {
        Timer t = queue.peek();
        return t == null ? Long.MAX_VALUE : t.deadline;
    }

    public int pendingCount() {
        return queue.size();
    }

    /** Runs every timer due at {@code now}, in deadline order (actions may re-arm timers). */
    public void runDue(long now) {
        Timer t;
        while ((t = queue.peek()) != null && t.deadline <= now) {
            queue.poll();
            t.pending = false;
            t.action.run();
        }
    }
}
