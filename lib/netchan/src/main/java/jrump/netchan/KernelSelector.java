package jrump.netchan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Pollfd;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Syscalls;

/**
 * A Selector over the kernel's poll(2): each select polls the registered descriptors plus the read end of
 * a kernel pipe, to which {@link #wakeup()} writes a byte. Cancelled keys are dropped before and after the
 * poll; a descriptor is held (KernelFd.enter) for the poll so a concurrent close cannot let the kernel reuse
 * its number under us.
 */
final class KernelSelector extends AbstractSelector {
    private final Syscalls sys;
    private final KernelFd wakeRead;
    private final KernelFd wakeWrite;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new LinkedHashSet<>();
    private final Set<SelectionKey> publicSelected = new UngrowableSet(selected);
    private final Object selectLock = new Object();
    private volatile boolean woken;

    KernelSelector(KernelChannels provider, Syscalls sys) {
        super(provider);
        this.sys = sys;
        int[] p = sys.pipe();
        this.wakeRead = KernelFd.nonBlocking(sys, p[0]);
        this.wakeWrite = KernelFd.nonBlocking(sys, p[1]);
        provider.selectorOpened(this);
    }

    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (selectLock) {
            for (SelectionKey k : keys) {
                k.cancel();
            }
            dropCancelled();
            wakeRead.close();
            wakeWrite.close();
            ((KernelChannels) provider()).selectorClosed(this);
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof KernelChannel) || ch.provider() != provider()) throw new IllegalSelectorException();
        if (!isOpen()) throw new ClosedSelectorException();
        KernelSelectionKey k = new KernelSelectionKey(ch, this, ops);
        k.attach(att);
        keys.add(k);
        return k;
    }

    @Override
    public Set<SelectionKey> keys() {
        if (!isOpen()) throw new ClosedSelectorException();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        if (!isOpen()) throw new ClosedSelectorException();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return doSelect(0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        return doSelect(timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select() throws IOException {
        return doSelect(-1);
    }

    @Override
    public Selector wakeup() {
        woken = true;
        if (wakeWrite.tryEnter()) {
            try {
                sys.write(wakeWrite.fd, ByteBuffer.wrap(new byte[] {1}));
            } catch (RumpException e) {
                // EAGAIN: the pipe is full of wake-ups already
            } finally {
                wakeWrite.exit();
            }
        }
        return this;
    }

    /** Wakes the selectors {@code ch} is registered with, so that they drop its key and its descriptor closes. */
    static void wakeSelectorsOf(SelectableChannel ch) {
        ((KernelChannels) ch.provider()).wakeSelectorsOf(ch);
    }

    private void dropCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (SelectionKey k : cancelled) {
                keys.remove(k);
                selected.remove(k);
                deregister((KernelSelectionKey) k);
            }
            cancelled.clear();
        }
    }

    private int doSelect(long timeoutMs) throws IOException {
        if (!isOpen()) throw new ClosedSelectorException();
        synchronized (selectLock) {
            if (!isOpen()) throw new ClosedSelectorException();
            dropCancelled();
            List<KernelSelectionKey> polled = new ArrayList<>(keys.size());
            List<Pollfd> fds = new ArrayList<>(keys.size() + 1);
            fds.add(new Pollfd(wakeRead.fd, Pollfd.POLLIN));
            try {
                for (SelectionKey key : keys) {
                    KernelSelectionKey k = (KernelSelectionKey) key;
                    int interest = k.interestNow();
                    if (!k.isValid() || interest == 0) continue;
                    KernelFd kfd = k.kernelChannel().kfd();
                    if (!kfd.tryEnter()) continue; // closing: its key is cancelled and goes at the next select
                    polled.add(k);
                    fds.add(new Pollfd(kfd.fd, k.kernelChannel().pollEvents(interest)));
                }
                Pollfd[] arr = fds.toArray(new Pollfd[0]);
                int timeout = woken ? 0 : (int) Math.min(timeoutMs, Integer.MAX_VALUE);
                try {
                    begin();
                    if (!woken) sys.poll(arr, timeout);
                    else sys.poll(arr, 0);
                } catch (RumpException e) {
                    if (e.errno() != Errno.EINTR) throw Errnos.io(e);
                } finally {
                    end();
                }
                woken = false;
                if (arr[0].revents != 0) drainWakeups();
                int updated = 0;
                for (int i = 0; i < polled.size(); i++) {
                    KernelSelectionKey k = polled.get(i);
                    short rev = arr[i + 1].revents;
                    if (rev == 0 || !k.isValid()) continue;
                    int ready = k.kernelChannel().readyOps(rev, k.interestNow());
                    if (ready == 0) continue;
                    if (selected.contains(k)) {
                        int before = k.readyNow();
                        if ((before | ready) != before) {
                            k.setReady(before | ready);
                            updated++;
                        }
                    } else {
                        k.setReady(ready);
                        selected.add(k);
                        updated++;
                    }
                }
                return updated;
            } finally {
                for (KernelSelectionKey k : polled) k.kernelChannel().kfd().exit();
                dropCancelled();
            }
        }
    }

    private void drainWakeups() {
        ByteBuffer b = ByteBuffer.allocate(128);
        try {
            while (true) {
                b.clear();
                if (sys.read(wakeRead.fd, b) <= 0) return;
            }
        } catch (RumpException e) {
            // EAGAIN: empty
        }
    }

    /** The selected-key set: callers may remove, never add (Selector's contract). */
    private static final class UngrowableSet extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> s;

        UngrowableSet(Set<SelectionKey> s) {
            this.s = s;
        }

        @Override
        public Iterator<SelectionKey> iterator() {
            return s.iterator();
        }

        @Override
        public int size() {
            return s.size();
        }

        @Override
        public boolean contains(Object o) {
            return s.contains(o);
        }

        @Override
        public boolean remove(Object o) {
            return s.remove(o);
        }

        @Override
        public void clear() {
            s.clear();
        }

        @Override
        public boolean add(SelectionKey k) {
            throw new UnsupportedOperationException();
        }
    }
}
