package jrump.rumpuser.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostTap;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Upcalls;

/**
 * A Linux tap device through the FFM API (tuntap.rst in the kernel's documentation): /dev/net/tun opened
 * non-blocking, TUNSETIFF with IFF_TAP | IFF_NO_PI, one frame per read(2) and write(2) straight from and
 * into the caller's Java arrays (critical downcalls, no copy), poll(2) to wait.
 *
 * <p>A blocking native call would pin a virtual thread's carrier for as long as the link is quiet, so a
 * virtual thread that has to wait hands the poll to a small platform thread of this device and parks; a
 * busy link never gets there (a frame already waiting is found by a poll with no timeout first).
 */
final class LinuxTap implements HostTap {
    /** linux/if_tun.h: _IOW('T', 202, int). */
    private static final long TUNSETIFF = 0x400454caL;
    /** linux/if_tun.h. */
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    /** linux/if.h: IFNAMSIZ, the ifreq name field; struct ifreq is 40 bytes on LP64, flags at 16. */
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_FLAGS = 16;
    /** How long one blocking poll lasts at most, so a waiter always comes back to look at its kernel. */
    private static final long MAX_POLL_NANOS = 1_000_000_000L;

    private final String name;
    private final boolean created;
    private final int fd;
    private final int wakeFd;
    private final Upcalls upcalls;
    private final Arena arena = Arena.ofAuto(); // freed with the device: a waiter may still be leaving poll
    /** pollfd[2]: the tap and the wake-up eventfd; used by whichever thread polls (one at a time). */
    private final MemorySegment pollfds;
    private final MemorySegment errnoRead = TapLibc.captureState(arena);
    private final MemorySegment errnoWrite = TapLibc.captureState(arena);
    private final MemorySegment errnoPoll = TapLibc.captureState(arena);
    private final MemorySegment eight = arena.allocate(8);
    private volatile boolean closed;
    private Waiter waiter;

    private LinuxTap(String name, boolean created, int fd, int wakeFd, Upcalls upcalls) {
        this.name = name;
        this.created = created;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.upcalls = upcalls;
        this.pollfds = arena.allocate(16, 8);
        pollfds.set(ValueLayout.JAVA_INT, 0, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, TapLibc.POLLIN);
        pollfds.set(ValueLayout.JAVA_INT, 8, wakeFd);
        pollfds.set(ValueLayout.JAVA_SHORT, 12, TapLibc.POLLIN);
    }

    /**
     * Attaches to tap {@code name}, creating it when it does not exist (root, or CAP_NET_ADMIN, needed).
     * ENOENT without /dev/net/tun, EPERM/EACCES without the privilege, EBUSY when another process has it,
     * EINVAL for a bad name or a device of another kind.
     */
    static LinuxTap open(String name, Upcalls upcalls) throws HyperException {
        if (name.isEmpty() || name.length() >= IFNAMSIZ || !name.matches("[A-Za-z0-9_.:-]+")) {
            throw new HyperException(HostErrno.EINVAL, "bad tap name \"" + name + "\" (1-15 letters, digits, . _ - :)");
        }
        boolean existed = Files.exists(Path.of("/sys/class/net", name));
        int fd = TapLibc.open("/dev/net/tun", TapLibc.O_RDWR | TapLibc.O_NONBLOCK | TapLibc.O_CLOEXEC);
        if (fd < 0) throw error(-fd, "/dev/net/tun");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            MemorySegment.copy(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, ifr, ValueLayout.JAVA_BYTE, 0, name.length());
            ifr.set(ValueLayout.JAVA_SHORT, IFR_FLAGS, (short) (IFF_TAP | IFF_NO_PI));
            int r = TapLibc.ioctl(fd, TUNSETIFF, ifr);
            if (r < 0) {
                TapLibc.close(fd);
                throw error(-r, "TUNSETIFF " + name + (existed ? " (it exists: is it a tap, and free?)" : ""));
            }
            String got = ifr.getString(0, java.nio.charset.StandardCharsets.US_ASCII);
            int wake = TapLibc.eventfd();
            if (wake < 0) {
                TapLibc.close(fd);
                throw error(-wake, "eventfd");
            }
            return new LinuxTap(got, !existed, fd, wake, upcalls);
        }
    }

    private static HyperException error(int linuxErrno, String what) {
        return new HyperException(TapLibc.toNetbsd(linuxErrno), what + ": " + TapLibc.describe(linuxErrno));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean created() {
        return created;
    }

    @Override
    public boolean await(long timeoutNanos) {
        if (closed) return false;
        boolean virtual = Thread.currentThread().isVirtual();
        // a frame that came meanwhile spares a virtual thread the hand-off (a platform thread's poll
        // returns at once anyway)
        if ((virtual || timeoutNanos <= 0) && pollOnce(0)) return true;
        if (timeoutNanos <= 0) return false;
        int token = upcalls == null ? -1 : upcalls.backendUnschedule();
        try {
            if (!virtual) return pollOnce(timeoutNanos);
            return waiter().await(timeoutNanos);
        } finally {
            if (upcalls != null) upcalls.backendSchedule(token);
        }
    }

    /** poll(2) on the tap and the wake-up eventfd; true when the tap is readable. Drains a wake-up. */
    private boolean pollOnce(long timeoutNanos) {
        int ms = timeoutNanos <= 0 ? 0 : (int) Math.max(1, (Math.min(timeoutNanos, MAX_POLL_NANOS) + 999_999) / 1_000_000);
        int r = TapLibc.poll(pollfds, 2, ms, errnoPoll);
        if (r <= 0) return false; // timeout, or EINTR: the caller looks again
        short wake = pollfds.get(ValueLayout.JAVA_SHORT, 14);
        if (wake != 0) TapLibc.read(wakeFd, eight, 8, errnoPoll);
        return pollfds.get(ValueLayout.JAVA_SHORT, 6) != 0;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws HyperException {
        if (closed) throw new HyperException(HostErrno.EBADF, name + " is closed");
        while (true) {
            long n = TapLibc.readHeap(fd, buf, off, len, errnoRead);
            if (n >= 0) return (int) n;
            int e = (int) -n;
            if (e == TapLibc.EAGAIN) return 0;
            if (e != TapLibc.EINTR) throw error(e, "read " + name);
        }
    }

    @Override
    public boolean write(byte[] buf, int off, int len) throws HyperException {
        if (closed) throw new HyperException(HostErrno.EBADF, name + " is closed");
        while (true) {
            long n = TapLibc.writeHeap(fd, buf, off, len, errnoWrite);
            if (n == len) return true;
            if (n >= 0) return false;
            int e = (int) -n;
            if (e == TapLibc.EINTR) continue;
            if (e == TapLibc.EBADF || e == TapLibc.EBADFD) throw error(e, "write " + name);
            return false; // EIO (the link is down), EAGAIN, ENOBUFS, EINVAL (a bad frame): dropped as on a wire
        }
    }

    @Override
    public synchronized void wakeup() {
        if (closed) return;
        eight.set(ValueLayout.JAVA_LONG, 0, 1L);
        TapLibc.write(wakeFd, eight, 8, errnoWrite);
    }

    @Override
    public void close() {
        Waiter w;
        synchronized (this) {
            if (closed) return;
            closed = true;
            w = waiter;
        }
        if (w != null) w.stop();
        TapLibc.close(fd);
        TapLibc.close(wakeFd);
    }

    private synchronized Waiter waiter() {
        if (waiter == null) {
            waiter = new Waiter();
            Thread.ofPlatform().daemon(true).name("tap-poll:" + name).start(waiter);
        }
        return waiter;
    }

    /** The platform thread that polls for a waiting virtual thread: one request, one answer. */
    private final class Waiter implements Runnable {
        private final Semaphore request = new Semaphore(0);
        private final Semaphore answer = new Semaphore(0);
        private volatile long timeout;
        private volatile boolean result;
        private volatile boolean stopping;

        boolean await(long timeoutNanos) {
            timeout = timeoutNanos;
            request.release();
            answer.acquireUninterruptibly();
            return result;
        }

        void stop() {
            stopping = true;
            request.release();
        }

        @Override
        public void run() {
            while (true) {
                request.acquireUninterruptibly();
                if (stopping) return;
                result = !closed && pollOnce(timeout);
                answer.release();
            }
        }
    }
}
