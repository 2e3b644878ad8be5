package jrump.rumpuser.host;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HostRwLock;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.Upcalls;
import jrump.rumpuser.impl.MemoryAccount;

/**
 * The hypercalls over the JDK: java.nio files, JDK threads (virtual by default), the host clocks and
 * the operating system's random source.
 */
public final class HostHypercalls implements Hypercalls {
    /** Requests from this size on are checked against the host's free memory (cheap enough, and rare). */
    private static final long LARGE_ALLOCATION = 1 << 20;

    private final Map<String, String> params;
    private final boolean virtualThreads;
    private final PrintStream console;
    private final MemoryAccount memory;
    private final ThreadLocal<Object> curlwp = new ThreadLocal<>();
    private final SecureRandom random = new SecureRandom();
    private volatile Upcalls upcalls;
    private volatile ExecutorService bioExecutor;

    /**
     * @param params         host parameters (PARAM_NCPU, PARAM_HOSTNAME, PARAM_MEMLIMIT...); names not given
     *                       here fall back to the process environment, as rumpuser_getparam does
     * @param virtualThreads whether kernel threads are virtual threads (cheap: many kernels per JVM)
     * @param console        where kernel console lines go, or null to drop them
     */
    public HostHypercalls(Map<String, String> params, boolean virtualThreads, PrintStream console) {
        this.params = Map.copyOf(params);
        this.virtualThreads = virtualThreads;
        this.console = console;
        this.memory = new MemoryAccount(parseLimit(getParam(PARAM_MEMLIMIT)));
    }

    private static long parseLimit(String value) {
        if (value == null || value.isBlank()) return Long.MAX_VALUE;
        long v = Long.parseLong(value.strip());
        return v <= 0 ? Long.MAX_VALUE : v;
    }

    @Override
    public void init(int version, Upcalls upcalls) throws HyperException {
        if (version != VERSION) {
            throw new HyperException(HostErrno.EINVAL, "hypercall version " + version + " requested, " + VERSION + " provided");
        }
        this.upcalls = upcalls;
    }

    Upcalls upcalls() {
        return upcalls;
    }

    @Override
    public String getParam(String name) {
        String v = params.get(name);
        if (v != null) return v;
        return switch (name) {
            case PARAM_NCPU -> System.getenv().getOrDefault("RUMP_NCPU", "2");
            case PARAM_HOSTNAME -> "rump-" + ProcessHandle.current().pid() + "." + hostName();
            default -> System.getenv(name);
        };
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    @Override
    public int hostCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    // --- memory -------------------------------------------------------------------------------

    @Override
    public void memAlloc(long bytes) throws HyperException {
        if (bytes >= LARGE_ALLOCATION) {
            // rumpuser_malloc fails when the host has no memory left: without a limit, the JVM's heap is it
            Runtime rt = Runtime.getRuntime();
            long headroom = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (bytes > headroom / 2) throw new HyperException(HostErrno.ENOMEM, bytes + " bytes exceed the host's free memory");
        }
        memory.reserve(bytes);
    }

    @Override
    public void memFree(long bytes) {
        memory.release(bytes);
    }

    @Override
    public long memUsed() {
        return memory.used();
    }

    @Override
    public long memLimit() {
        return memory.limit();
    }

    // --- files --------------------------------------------------------------------------------

    @Override
    public HostFile open(String path, int flags) throws HyperException {
        return NioHostFile.open(Path.of(path), flags, this::bioExecutor);
    }

    private ExecutorService bioExecutor() {
        ExecutorService e = bioExecutor;
        if (e == null) {
            synchronized (this) {
                e = bioExecutor;
                if (e == null) bioExecutor = e = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rumpbio-", 0).factory());
            }
        }
        return e;
    }

    @Override
    public java.nio.ByteBuffer mapShared(String path, int size) throws HyperException {
        if (size <= 0) throw new HyperException(HostErrno.EINVAL, "mapShared: size " + size);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(path),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            // the mapping stays valid after the channel closes
            return ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        } catch (java.io.IOException e) {
            throw new HyperException(HostErrno.of(e), path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FileInfo getFileInfo(String path) throws HyperException {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
            FileType type = a.isDirectory() ? FileType.DIR : a.isRegularFile() ? FileType.REG : FileType.OTHER;
            if (a.isOther()) {
                Object mode = Files.getAttribute(Path.of(path), "unix:mode", LinkOption.NOFOLLOW_LINKS);
                int fmt = mode instanceof Integer m ? m & 0170000 : 0;
                if (fmt == 0060000) type = FileType.BLK;
                if (fmt == 0020000) type = FileType.CHR;
            }
            return new FileInfo(a.size(), type);
        } catch (IOException e) {
            throw new HyperException(HostErrno.of(e), path, e);
        } catch (RuntimeException e) {
            throw new HyperException(HostErrno.of(e), path, e);
        }
    }

    @Override
    public java.util.List<String> listDirectory(String path) throws HyperException {
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(path))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new HyperException(HostErrno.of(e), path, e);
        } catch (RuntimeException e) {
            throw new HyperException(HostErrno.of(e), path, e);
        }
    }

    @Override
    public jrump.rumpuser.HostTap tapOpen(String name) throws HyperException {
        return LinuxTap.open(name, upcalls);
    }

    // --- clocks -------------------------------------------------------------------------------

    @Override
    public long clockGettime(Clock clock) {
        if (clock == Clock.ABSMONO) return System.nanoTime();
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void clockSleep(Clock clock, long nanos) {
        long deadline = clock == Clock.ABSMONO ? nanos : System.nanoTime() + nanos;
        int token = upcalls.backendUnschedule();
        try {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) LockSupport.parkNanos(left);
        } finally {
            upcalls.backendSchedule(token);
        }
    }

    @Override
    public void getRandom(byte[] buf) {
        random.nextBytes(buf);
    }

    private NioHostSockets sockets;

    @Override
    public synchronized jrump.rumpuser.HostSockets hostSockets() throws HyperException {
        if (sockets == null) sockets = new NioHostSockets(() -> upcalls);
        return sockets;
    }

    // --- threads ------------------------------------------------------------------------------

    @Override
    public ThreadHandle threadCreate(Runnable body, String name, boolean mustJoin, int cpuIndex) throws HyperException {
        Thread.Builder builder = virtualThreads ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
        try {
            Thread t = builder.name(name).unstarted(body);
            t.start();
            return () -> {
                int token = upcalls.backendUnschedule();
                try {
                    boolean interrupted = false;
                    while (true) {
                        try {
                            t.join();
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) Thread.currentThread().interrupt();
                } finally {
                    upcalls.backendSchedule(token);
                }
            };
        } catch (OutOfMemoryError | RuntimeException e) {
            throw new HyperException(HostErrno.EAGAIN, "cannot start thread " + name, e);
        }
    }

    @Override
    public void curlwpSet(Object lwp) {
        if (lwp == null) curlwp.remove();
        else curlwp.set(lwp);
    }

    @Override
    public Object curlwp() {
        return curlwp.get();
    }

    // --- locks --------------------------------------------------------------------------------

    @Override
    public HostMutex mutexInit(boolean spin) {
        return new JdkMutex(this, spin);
    }

    @Override
    public HostRwLock rwInit() {
        return new JdkRwLock(this);
    }

    @Override
    public HostCondVar cvInit() {
        return new JdkCondVar(this);
    }

    @Override
    public void consoleLine(String line) {
        if (console != null) console.println(line);
    }

    @Override
    public void fini() {
        NioHostSockets hs = sockets;
        if (hs != null) hs.close();
        ExecutorService e = bioExecutor;
        if (e != null) e.shutdown();
        curlwp.remove();
    }
}
