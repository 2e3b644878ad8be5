package jrump.rumpuser.host;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSocketErrno;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Upcalls;

/**
 * {@link HostSockets} over java.nio channels and one host {@link Selector} (sockin_user.c's poll loop):
 * readiness is armed per socket and reported once.
 */
final class NioHostSockets implements HostSockets {
    private final Supplier<Upcalls> upcalls;
    private final Selector selector;
    final Set<NioHostSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    NioHostSockets(Supplier<Upcalls> upcalls) throws HyperException {
        this.upcalls = upcalls;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new HyperException(HostSocketErrno.of(e), "host selector: " + e.getMessage(), e);
        }
    }

    Selector selector() {
        return selector;
    }

    @Override
    public HostSocket socket(int type, boolean inet6) throws HyperException {
        if (closed) throw new HyperException(HostErrno.EBADF, "host sockets closed");
        if (type != STREAM && type != DGRAM) throw new HyperException(HostErrno.EINVAL, "socket type " + type);
        NioHostSocket s = new NioHostSocket(this, type, inet6);
        open.add(s);
        return s;
    }

    @Override
    public List<Ready> await(long timeoutNanos) throws HyperException {
        if (closed) throw new HyperException(HostErrno.EBADF, "host sockets closed");
        Upcalls up = upcalls.get();
        int token = up == null ? -1 : up.backendUnschedule();
        try {
            long millis = timeoutNanos <= 0 ? 0 : Math.max(1, timeoutNanos / 1_000_000);
            selector.select(millis);
        } catch (IOException e) {
            throw new HyperException(HostSocketErrno.of(e), "select: " + e.getMessage(), e);
        } catch (java.nio.channels.ClosedSelectorException e) {
            throw new HyperException(HostErrno.EBADF, "host sockets closed");
        } finally {
            if (up != null) up.backendSchedule(token);
        }
        if (closed) throw new HyperException(HostErrno.EBADF, "host sockets closed");
        List<Ready> ready = new ArrayList<>();
        try {
            Set<SelectionKey> keys = selector.selectedKeys();
            for (SelectionKey k : keys) {
                if (!k.isValid()) continue;
                int ops = k.readyOps() & k.interestOps();
                k.interestOpsAnd(~ops); // one-shot
                if (ops != 0) ready.add(new Ready((HostSocket) k.attachment(), ops));
            }
            keys.clear();
        } catch (java.nio.channels.ClosedSelectorException e) {
            throw new HyperException(HostErrno.EBADF, "host sockets closed");
        }
        return ready;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int openCount() {
        return open.size();
    }

    @Override
    public void close() {
        closed = true;
        for (NioHostSocket s : List.copyOf(open)) s.close();
        try {
            selector.close(); // also wakes a waiter
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
