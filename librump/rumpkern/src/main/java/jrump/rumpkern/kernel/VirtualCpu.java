package jrump.rumpkern.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostMutex;

/**
 * One virtual CPU (NetBSD's struct rumpcpu). A host thread runs kernel code only while it holds one.
 * {@code prevlwp} is the whole protocol: the last lwp that ran here when the CPU is free, {@link #BUSY}
 * while held, {@link #WANTED} while held and someone waits for it.
 */
final class VirtualCpu extends VirtualCpuPadding.Right {
    static final Object BUSY = new Object() {
        @Override
        public String toString() {
            return "BUSY";
        }
    };
    static final Object WANTED = new Object() {
        @Override
        public String toString() {
            return "WANTED";
        }
    };
    static final VarHandle PREVLWP;

    static {
        try {
            PREVLWP = MethodHandles.lookup().findVarHandle(VirtualCpuPadding.Hot.class, "prevlwp", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    /** Guards the slow path and {@link #wanted}; a spin-style host mutex: the scheduler never unschedules. */
    final HostMutex mtx;
    final HostCondVar cv;
    int wanted;
    final SoftintQueue softints;

    VirtualCpu(int index, HostMutex mtx, HostCondVar cv, Object initialOwner) {
        this.index = index;
        this.mtx = mtx;
        this.cv = cv;
        this.softints = new SoftintQueue(this);
        PREVLWP.setVolatile(this, initialOwner);
    }

    boolean busy() {
        Object p = PREVLWP.getVolatile(this);
        return p == BUSY || p == WANTED;
    }
}
