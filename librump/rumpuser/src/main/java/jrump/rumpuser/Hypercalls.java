package jrump.rumpuser;

import java.nio.ByteBuffer;

/**
 * The hypercall interface (rumpuser(3)): everything a rump kernel asks of its host. One instance serves
 * one kernel. Calls that can fail throw {@link HyperException} carrying a NetBSD errno ({@link HostErrno});
 * calls that return nothing cannot fail, as in rumpuser(3).
 *
 * <p>Every call that can block gives up the caller's virtual CPU while it blocks (through
 * {@link Upcalls#backendUnschedule()} and {@link Upcalls#backendSchedule(int)}), except the
 * {@code Nowrap} variants and spin mutexes, which keep it.
 */
public interface Hypercalls {
    /**
     * Version of this interface; the kernel refuses a hypervisor of another version. (NetBSD's
     * RUMPUSER_VERSION is 17; jrump's interface is its own and counts from 1.)
     */
    int VERSION = 1;

    /** rumpuser_init: checks the version and installs the kernel's upcalls. Called once, first. */
    void init(int version, Upcalls upcalls) throws HyperException;

    // --- host parameters ----------------------------------------------------------------------

    /** Mandatory parameter: the number of virtual CPUs, a number or "host". */
    String PARAM_NCPU = "_RUMPUSER_NCPU";
    /** Mandatory parameter: the kernel's host name. */
    String PARAM_HOSTNAME = "_RUMPUSER_HOSTNAME";
    /** Optional parameter: the memory limit in bytes (RUMP_MEMLIMIT), absent for none. */
    String PARAM_MEMLIMIT = "RUMP_MEMLIMIT";

    /** rumpuser_getparam: the value of a parameter, or null when the host has none. */
    String getParam(String name);

    /** The number of processors of the host (what "host" means for ncpu). */
    int hostCpus();

    // --- memory -------------------------------------------------------------------------------

    /** Charges {@code bytes} of kernel memory against the limit; ENOMEM when it would pass it. */
    void memAlloc(long bytes) throws HyperException;

    /** Gives back what {@link #memAlloc} charged. */
    void memFree(long bytes);

    /** Bytes charged now. */
    long memUsed();

    /** The limit in bytes, or {@link Long#MAX_VALUE} for none. */
    long memLimit();

    // --- files and I/O ------------------------------------------------------------------------

    int OPEN_RDONLY = 0x0000;
    int OPEN_WRONLY = 0x0001;
    int OPEN_RDWR = 0x0002;
    int OPEN_ACCMODE = 0x0003;
    int OPEN_CREATE = 0x0004;
    int OPEN_EXCL = 0x0008;
    /** The file is used for block I/O ({@link HostFile#bio}). */
    int OPEN_BIO = 0x0010;

    /** rumpuser_open. */
    HostFile open(String path, int flags) throws HyperException;

    /** rumpuser_getfileinfo. */
    FileInfo getFileInfo(String path) throws HyperException;

    /**
     * The names in a host directory, without "." and "..", sorted (etfs directory keys list them; NetBSD's
     * rumpuser has no such call, its etfs directories cannot be listed). ENOTDIR, ENOENT, EACCES.
     */
    java.util.List<String> listDirectory(String path) throws HyperException;

    /**
     * Maps {@code size} bytes of host file {@code path} (created and extended as needed) into memory shared
     * with every process mapping it: the wire of shmif buses (NetBSD's rumpcomp_shmif_mmap). The buffer's
     * byte order is little-endian. EACCES, ENOENT, ENOSPC; ENOSYS from hypervisors without files.
     */
    default ByteBuffer mapShared(String path, int size) throws HyperException {
        throw new HyperException(HostErrno.ENOSYS, "mapShared");
    }

    /**
     * The host sockets sockin carries a kernel's PF_INET sockets on (NetBSD's rumpcomp_sockin hypercalls),
     * the same set at every call; ENOSYS from hypervisors without a host network.
     */
    default HostSockets hostSockets() throws HyperException {
        throw new HyperException(HostErrno.ENOSYS, "hostSockets");
    }

    // --- clocks -------------------------------------------------------------------------------

    /** rumpuser_clock_gettime: nanoseconds of the wall clock since the epoch, or of the monotonic clock. */
    long clockGettime(Clock clock);

    /**
     * rumpuser_clock_sleep: sleeps {@code nanos} (RELWALL) or until the monotonic time {@code nanos}
     * (ABSMONO). Gives up the virtual CPU while asleep.
     */
    void clockSleep(Clock clock, long nanos);

    // --- randomness ---------------------------------------------------------------------------

    /** rumpuser_getrandom: fills {@code buf}. */
    void getRandom(byte[] buf);

    // --- threads ------------------------------------------------------------------------------

    /**
     * rumpuser_thread_create: starts {@code body} on a new host thread. {@code cpuIndex} is the virtual
     * CPU the thread is bound to, or -1.
     */
    ThreadHandle threadCreate(Runnable body, String name, boolean mustJoin, int cpuIndex) throws HyperException;

    /** rumpuser_curlwpop(SET/CLEAR): the lwp bound to the calling host thread (null clears it). */
    void curlwpSet(Object lwp);

    /** rumpuser_curlwp: the lwp bound to the calling host thread, or null. */
    Object curlwp();

    // --- locks --------------------------------------------------------------------------------

    /** rumpuser_mutex_init; a spin mutex never gives up the CPU (RUMPUSER_MTX_SPIN). */
    HostMutex mutexInit(boolean spin);

    /** rumpuser_rw_init. */
    HostRwLock rwInit();

    /** rumpuser_cv_init. */
    HostCondVar cvInit();

    // --- console ------------------------------------------------------------------------------

    /** rumpuser_dprintf: one line of kernel console output. */
    void consoleLine(String line);

    /** Frees what the hypervisor holds for the kernel (threads it started must already be joined). */
    void fini();

    /** Clock ids of rumpuser_clock_gettime. */
    enum Clock { RELWALL, ABSMONO }

    /** What {@link #getFileInfo} reports. */
    enum FileType { OTHER, DIR, REG, BLK, CHR }

    record FileInfo(long size, FileType type) {
    }

    /** A thread the hypervisor started. */
    interface ThreadHandle {
        /** rumpuser_thread_join; gives up the virtual CPU while waiting. */
        void join();
    }

    /** Direct buffer helper for callers that want one: I/O is fastest from direct buffers. */
    static ByteBuffer allocateIoBuffer(int size) {
        return ByteBuffer.allocateDirect(size);
    }
}
