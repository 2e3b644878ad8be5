package jrump.rumpkern;

import java.util.concurrent.atomic.AtomicInteger;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HostRwLock;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.Upcalls;

/** A hypervisor that counts the threads its kernel starts and how many are still alive. */
final class CountingHypercalls implements Hypercalls {
    static final AtomicInteger STARTED = new AtomicInteger();
    static final AtomicInteger ALIVE = new AtomicInteger();
    private final Hypercalls inner;

    CountingHypercalls(Hypercalls inner) {
        this.inner = inner;
    }

    @Override
    public ThreadHandle threadCreate(Runnable body, String name, boolean mustJoin, int cpuIndex) throws HyperException {
        STARTED.incrementAndGet();
        ALIVE.incrementAndGet();
        return inner.threadCreate(() -> {
            try {
                body.run();
            } finally {
                ALIVE.decrementAndGet();
            }
        }, name, mustJoin, cpuIndex);
    }

    @Override
    public void init(int version, Upcalls upcalls) throws HyperException {
        inner.init(version, upcalls);
    }

    @Override
    public String getParam(String name) {
        return inner.getParam(name);
    }

    @Override
    public int hostCpus() {
        return inner.hostCpus();
    }

    @Override
    public void memAlloc(long bytes) throws HyperException {
        inner.memAlloc(bytes);
    }

    @Override
    public void memFree(long bytes) {
        inner.memFree(bytes);
    }

    @Override
    public long memUsed() {
        return inner.memUsed();
    }

    @Override
    public long memLimit() {
        return inner.memLimit();
    }

    @Override
    public HostFile open(String path, int flags) throws HyperException {
        return inner.open(path, flags);
    }

    @Override
    public java.util.List<String> listDirectory(String path) throws HyperException {
        return inner.listDirectory(path);
    }

    @Override
    public Hypercalls.FileInfo getFileInfo(String path) throws HyperException {
        return inner.getFileInfo(path);
    }

    @Override
    public long clockGettime(Clock clock) {
        return inner.clockGettime(clock);
    }

    @Override
    public void clockSleep(Clock clock, long nanos) {
        inner.clockSleep(clock, nanos);
    }

    @Override
    public void getRandom(byte[] buf) {
        inner.getRandom(buf);
    }

    @Override
    public void curlwpSet(Object lwp) {
        inner.curlwpSet(lwp);
    }

    @Override
    public Object curlwp() {
        return inner.curlwp();
    }

    @Override
    public HostMutex mutexInit(boolean spin) {
        return inner.mutexInit(spin);
    }

    @Override
    public HostRwLock rwInit() {
        return inner.rwInit();
    }

    @Override
    public HostCondVar cvInit() {
        return inner.cvInit();
    }

    @Override
    public void consoleLine(String line) {
        inner.consoleLine(line);
    }

    @Override
    public void fini() {
        inner.fini();
    }
}
