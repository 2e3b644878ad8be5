package jrump.p2k;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jrump.rumpkern.Rlimit;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * One FUSE connection: /dev/fuse opened and mounted, and reader threads that each read a request into their
 * own native buffer, answer it through the operations and write the reply. All readers read the same
 * descriptor (the kernel hands each request to one of them). They stop when the kernel reports the
 * connection gone (ENODEV: unmounted or aborted).
 */
final class FuseSession implements P2k.Session {
    private static final System.Logger LOG = System.getLogger("jrump.p2k");
    /** How long mount waits for the kernel's INIT before giving up. */
    private static final long INIT_WAIT_SECONDS = 30;

    private final Syscalls sys;
    private final Path mountpoint;
    private final P2k.Options options;
    private final int devFd;
    private final Node root;
    private final NodeTable nodes;
    private final NodeOps nodeOps;
    private final FileOps fileOps;
    private final DirOps dirOps;
    private final XattrOps xattrOps;
    private final Arena arena = Arena.ofShared();
    private final List<Thread> readers = new ArrayList<>();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private final CountDownLatch stopped;
    private final AtomicBoolean unmounting = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private volatile long connection = -1;
    private final boolean viaFusermount;

    private FuseSession(Syscalls sys, Path mountpoint, P2k.Options options, int devFd, int rootFd, boolean viaFusermount) {
        this.viaFusermount = viaFusermount;
        this.sys = sys;
        this.mountpoint = mountpoint;
        this.options = options;
        this.devFd = devFd;
        this.nodes = new NodeTable(fd -> closeQuietly(sys, fd));
        this.root = nodes.root(sys.fstat(rootFd).ino(), rootFd);
        Served s = new Served(sys, nodes, new Timeouts(options.entryTimeout().toNanos(), options.attrTimeout().toNanos()),
                options.readOnly());
        this.nodeOps = new NodeOps(s);
        this.fileOps = new FileOps(s);
        this.dirOps = new DirOps(s);
        this.xattrOps = new XattrOps(s);
        this.stopped = new CountDownLatch(options.threads());
        this.idleSync = options.readOnly() ? null : new IdleSync(sys::sync);
    }

    /** Read-write mounts: the image written back soon after changes stop (umount does not wait for us). */
    private final IdleSync idleSync;

    private static void closeQuietly(Syscalls sys, int fd) {
        try {
            sys.close(fd);
        } catch (RumpException e) {
            LOG.log(System.Logger.Level.DEBUG, "close " + fd + ": " + e.getMessage());
        }
    }

    /** Mounts and serves; {@code viaFusermount}: through fusermount3 (needed without root) instead of mount(2). */
    static FuseSession start(Syscalls sys, String kernelDir, Path mountpoint, P2k.Options options, boolean viaFusermount)
            throws IOException {
        Path mnt = mountpoint.toAbsolutePath().normalize();
        if (!Files.isDirectory(mnt)) throw new IOException(mnt + ": not a directory");
        // every directory the kernel holds is a descriptor: allow the rump kernel's ceiling
        sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(65536, 65536));
        // the Linux kernel applies the caller's umask before it asks (p2k does not ask for FUSE_DONT_MASK),
        // so the rump kernel must not apply one more; this also makes symlinks 0777 as on Linux
        sys.umask(0);
        int rootFd = sys.open(kernelDir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        int devFd;
        try {
            devFd = FuseMount.mount(mnt, options, viaFusermount);
        } catch (IOException e) {
            sys.close(rootFd);
            throw e;
        }
        FuseSession fs = new FuseSession(sys, mnt, options, devFd, rootFd, viaFusermount);
        fs.startReaders();
        try {
            if (!fs.initDone.await(INIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                fs.unmount();
                throw new IOException(mnt + ": the kernel never sent FUSE_INIT");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fs.unmount();
            throw new IOException("interrupted while mounting " + mnt, e);
        }
        fs.connection = FuseMount.connectionOf(mnt);
        FuseMount.raiseReadahead(fs.connection, options.maxWrite());
        return fs;
    }

    private void startReaders() {
        for (int i = 0; i < options.threads(); i++) {
            Thread t = Thread.ofPlatform().name("p2k-" + i).daemon(true).unstarted(this::readLoop);
            readers.add(t);
            t.start();
        }
    }

    private void readLoop() {
        long bufSize = options.maxWrite() + 4096L + Fuse.MIN_READ_BUFFER;
        MemorySegment in = arena.allocate(bufSize, 4096);
        MemorySegment outBuf = arena.allocate(bufSize, 4096);
        MemorySegment state = Libc.captureState(arena);
        Request r = new Request(in);
        Reply out = new Reply(outBuf);
        try {
            while (true) {
                long n = Libc.read(devFd, in, bufSize, state);
                if (n == -Libc.ENODEV) return;
                if (n == -Libc.EINTR || n == -Libc.EAGAIN || n == -Libc.ENOENT) continue;
                if (n < 0) {
                    LOG.log(System.Logger.Level.ERROR, "/dev/fuse read: errno " + -n);
                    return;
                }
                if (!r.parse(n)) {
                    LOG.log(System.Logger.Level.ERROR, "/dev/fuse: a request of " + n + " bytes with a bad header");
                    continue;
                }
                requests.incrementAndGet();
                out.reset();
                long t0 = STATS ? System.nanoTime() : 0;
                int error = dispatch(r, out);
                if (STATS && r.opcode >= 0 && r.opcode < 64) {
                    opCount.incrementAndGet(r.opcode);
                    opNanos.addAndGet(r.opcode, System.nanoTime() - t0);
                }
                if (error == 0 && idleSync != null && Fuse.modifies(r.opcode)) idleSync.changed();
                if (error == NO_REPLY) continue;
                send(r.unique, error, out, state);
            }
        } finally {
            stopped.countDown();
        }
    }

    private static final int NO_REPLY = Integer.MIN_VALUE;
    /** -Djrump.p2k.stats=true: per-opcode counts and times on stderr when the session ends. */
    private static final boolean STATS = Boolean.getBoolean("jrump.p2k.stats");
    private final java.util.concurrent.atomic.AtomicLongArray opCount = new java.util.concurrent.atomic.AtomicLongArray(64);
    private final java.util.concurrent.atomic.AtomicLongArray opNanos = new java.util.concurrent.atomic.AtomicLongArray(64);

    private void send(long unique, int error, Reply out, MemorySegment state) {
        int len = Fuse.OUT_HEADER_SIZE + (error == 0 ? out.size : 0);
        out.buf.set(ValueLayout.JAVA_INT_UNALIGNED, Fuse.OUT_LEN, len);
        out.buf.set(ValueLayout.JAVA_INT_UNALIGNED, Fuse.OUT_ERROR, error == 0 ? 0 : -error);
        out.buf.set(ValueLayout.JAVA_LONG_UNALIGNED, Fuse.OUT_UNIQUE, unique);
        long w = Libc.write(devFd, out.buf, len, state);
        // ENOENT: the request was interrupted and is gone; ENODEV: the connection is
        if (w < 0 && w != -Libc.ENOENT && w != -Libc.ENODEV) LOG.log(System.Logger.Level.WARNING, "/dev/fuse write: errno " + -w);
    }

    /** Answers one request; 0 (payload in {@code out}), a Linux errno, or NO_REPLY. */
    private int dispatch(Request r, Reply out) {
        try {
            switch (r.opcode) {
                case Fuse.INIT -> init(r, out);
                case Fuse.LOOKUP -> nodeOps.lookup(r, out);
                case Fuse.FORGET -> {
                    nodeOps.forget(r);
                    return NO_REPLY;
                }
                case Fuse.BATCH_FORGET -> {
                    nodeOps.batchForget(r);
                    return NO_REPLY;
                }
                case Fuse.INTERRUPT -> {
                    return NO_REPLY; // every request here finishes promptly; the kernel gets its reply
                }
                case Fuse.GETATTR -> nodeOps.getattr(r, out);
                case Fuse.SETATTR -> nodeOps.setattr(r, out);
                case Fuse.READLINK -> nodeOps.readlink(r, out);
                case Fuse.SYMLINK -> nodeOps.symlink(r, out);
                case Fuse.MKNOD -> nodeOps.mknod(r, out);
                case Fuse.MKDIR -> nodeOps.mkdir(r, out);
                case Fuse.UNLINK -> nodeOps.unlink(r);
                case Fuse.RMDIR -> nodeOps.rmdir(r);
                case Fuse.RENAME -> nodeOps.rename(r);
                case Fuse.RENAME2 -> nodeOps.rename2(r);
                case Fuse.LINK -> nodeOps.link(r, out);
                case Fuse.OPEN -> fileOps.open(r, out);
                case Fuse.CREATE -> fileOps.create(r, out);
                case Fuse.READ -> fileOps.read(r, out);
                case Fuse.WRITE -> fileOps.write(r, out);
                case Fuse.FLUSH -> fileOps.flush(r);
                case Fuse.RELEASE -> fileOps.release(r);
                case Fuse.FSYNC -> fileOps.fsync(r);
                case Fuse.FALLOCATE -> fileOps.fallocate(r);
                case Fuse.LSEEK -> fileOps.lseek(r, out);
                case Fuse.OPENDIR -> dirOps.opendir(r, out);
                case Fuse.READDIR -> dirOps.readdir(r, out);
                case Fuse.READDIRPLUS -> dirOps.readdirplus(r, out);
                case Fuse.RELEASEDIR -> dirOps.releasedir(r);
                case Fuse.FSYNCDIR -> dirOps.fsyncdir(r);
                case Fuse.STATFS -> nodeOps.statfs(r, out, root);
                case Fuse.ACCESS -> nodeOps.access(r);
                case Fuse.GETXATTR -> xattrOps.getxattr(r, out);
                case Fuse.LISTXATTR -> xattrOps.listxattr(r, out);
                case Fuse.SETXATTR -> xattrOps.setxattr(r);
                case Fuse.REMOVEXATTR -> xattrOps.removexattr(r);
                case Fuse.SYNCFS -> sys.sync();
                case Fuse.DESTROY -> sys.sync();
                default -> {
                    return Served.ENOSYS; // locks (the kernel keeps them locally), ioctl, poll, bmap, copy_file_range...
                }
            }
            return 0;
        } catch (Served.Fail f) {
            return f.linuxErrno;
        } catch (RumpException e) {
            return Served.linux(e);
        } catch (Request.MalformedRequest e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return Served.EINVAL;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "opcode " + r.opcode + " failed", e);
            return Served.EIO;
        } catch (jrump.rumpkern.KernelPanic e) {
            // the rump kernel is dead: every request fails from now on, the mount stays until unmounted
            LOG.log(System.Logger.Level.ERROR, "the rump kernel panicked", e);
            return Served.EIO;
        }
    }

    /*
     * INIT: fuse_init_in {major, minor, max_readahead, flags, ...}; fuse_init_out {major, minor,
     * max_readahead, flags, max_background, congestion_threshold, max_write, time_gran, max_pages,
     * map_alignment, flags2, unused[7]}. p2k asks for async reads, big writes, readdirplus (adaptive), parallel
     * directory operations and max_pages, whatever of them the kernel offers.
     */
    private void init(Request r, Reply out) {
        int major = r.i32(0);
        int minor = r.i32(4);
        int readahead = r.i32(8);
        int offered = r.i32(12);
        int at = out.grow(Fuse.INIT_OUT_SIZE);
        out.i32(at, Fuse.KERNEL_VERSION);
        out.i32(at + 4, Fuse.KERNEL_MINOR_VERSION);
        if (major != Fuse.KERNEL_VERSION || minor < Fuse.KERNEL_MINOR_VERSION) {
            // an older kernel: say which version we speak; it disconnects if it cannot
            LOG.log(System.Logger.Level.ERROR, "kernel FUSE " + major + "." + minor + " is older than 7." + Fuse.KERNEL_MINOR_VERSION);
            initDone.countDown();
            return;
        }
        int wanted = Fuse.ASYNC_READ | Fuse.BIG_WRITES | Fuse.DO_READDIRPLUS
                | Fuse.PARALLEL_DIROPS | Fuse.MAX_PAGES;
        out.i32(at + 8, readahead);
        out.i32(at + 12, offered & wanted);
        out.i16(at + 16, 64); // max_background: readahead and async requests in flight
        out.i16(at + 18, 48); // congestion_threshold
        out.i32(at + 20, options.maxWrite());
        out.i32(at + 24, 1); // time_gran: nanoseconds
        out.i16(at + 28, options.maxWrite() / 4096); // max_pages
        initDone.countDown();
    }

    @Override
    public void awaitUnmount() throws InterruptedException {
        stopped.await();
        finish();
    }

    /**
     * Unmounts from the host side and waits for the readers. When files are still open on the mount the host
     * only detaches it; the readers then stop when the connection is aborted (fusectl, when mounted) or, at
     * the latest, when this process exits and the kernel closes /dev/fuse. The caller can unmount the rump
     * kernel's file system either way: requests still arriving fail.
     */
    @Override
    public void unmount() {
        if (unmounting.compareAndSet(false, true)) {
            FuseMount.unmount(mountpoint, connection, viaFusermount);
        }
        try {
            if (!stopped.await(UNMOUNT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, mountpoint + ": files are still open there; detached, the connection ends with this process");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        finish();
    }

    /** How long unmount waits for the readers after a lazy (busy) unmount. */
    private static final long UNMOUNT_WAIT_SECONDS = 3;

    private final AtomicBoolean finished = new AtomicBoolean();

    private void finish() {
        if (!finished.compareAndSet(false, true)) return;
        if (STATS) {
            for (int i = 0; i < 64; i++) {
                if (opCount.get(i) > 0) System.err.printf("p2k opcode %2d: %8d requests, %8.1f us each%n", i, opCount.get(i), opNanos.get(i) / 1e3 / opCount.get(i));
            }
        }
        if (idleSync != null) idleSync.close();
        Libc.close(devFd);
        arena.close();
        nodes.closeAll(); // the rump kernel's file system can then be unmounted without forcing
    }

    @Override
    public Path mountpoint() {
        return mountpoint;
    }

    @Override
    public long requests() {
        return requests.get();
    }

    @Override
    public String toString() {
        return "p2k on " + mountpoint + " (" + root + ")";
    }
}
