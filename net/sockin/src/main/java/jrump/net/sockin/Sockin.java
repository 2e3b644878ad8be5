package jrump.net.sockin;

import java.nio.ByteBuffer;
import java.util.List;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpnet.socket.Sockets;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;

/**
 * sockin in one kernel: its host sockets and the worker (sockin.c's sockinworker) that waits for their
 * readiness outside the network lock, with its virtual CPU given up, then does the I/O under the lock.
 */
final class Sockin {
    static final Object KEY = new Object();
    /** The most one host read or write moves (and the largest UDP datagram). */
    static final int CHUNK = 64 * 1024;

    private final Kernel kernel;
    private final Sockets sockets;
    private final HostSockets hs;
    /** The staging buffer between host sockets and packet buffers; used under the network lock only. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK);

    Sockin(Kernel kernel, Sockets sockets, HostSockets hs) {
        this.kernel = kernel;
        this.sockets = sockets;
        this.hs = hs;
    }

    HostSockets hostSockets() {
        return hs;
    }

    Kmutex lock() {
        return sockets.lock();
    }

    /** The staging buffer, cleared. Locking: the network lock held. */
    ByteBuffer scratch() {
        return scratch.clear();
    }

    void workLoop() {
        while (!kernel.halting()) {
            List<HostSockets.Ready> ready;
            try {
                ready = hs.await(0);
            } catch (HyperException e) {
                return; // closed: the kernel halts
            }
            if (ready.isEmpty()) continue;
            Kmutex m = lock();
            m.enter();
            try {
                for (HostSockets.Ready r : ready) {
                    if (r.socket().attachment() instanceof SockinPcb p) p.ready(r.ops());
                }
            } finally {
                m.exit();
            }
        }
    }

    void halt() {
        hs.close();
    }
}
