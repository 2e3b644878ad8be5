package jrump.rumpkern.kernel;

/**
 * A kernel mutex its owner may enter again (nested calls of a file system that hold it across layers).
 * Waiting for it gives up the virtual CPU as any kernel lock does, which a Java monitor would not: a thread
 * blocked on a monitor keeps its CPU, and when every CPU is held so, the monitor's owner — waiting for some
 * other kernel lock, CPU given up — never gets one back.
 */
public final class Krecmutex {
    private final Kernel kernel;
    private final Kmutex mutex;
    private volatile Thread owner;
    private int depth;

    Krecmutex(Kernel kernel, Kmutex mutex) {
        this.kernel = kernel;
        this.mutex = mutex;
    }

    public void enter() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            depth++;
            return;
        }
        mutex.enter();
        owner = me;
        depth = 1;
    }

    public void exit() {
        if (owner != Thread.currentThread()) throw kernel.panic("recursive mutex_exit: not owner");
        if (--depth == 0) {
            owner = null;
            mutex.exit();
        }
    }

    /** Whether the calling thread holds it. */
    public boolean owned() {
        return owner == Thread.currentThread();
    }
}
