package jrump.rumpkern.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * A descriptor table (struct filedesc). Procs made by rfork share it, copy it or start with an empty one.
 * Methods are synchronized: short, non-blocking sections; file closes happen outside the lock.
 */
public final class Filedesc {
    /** Default RLIMIT_NOFILE soft limit. */
    static final int DEFAULT_NOFILE = 1024;
    /** Hard ceiling of descriptors per table (maxfiles). */
    static final int MAX_NOFILE = 65536;

    private KFile[] files = new KFile[16];
    private boolean[] cloexec = new boolean[16];
    private int shares = 1;
    /**
     * Every descriptor below this one is in use (NetBSD's fd_freefile): allocation searches from here, not
     * from 0, so a table holding thousands of files (p2k keeps up to 4,096 open) does not scan them all on
     * every open. Lowered whenever a slot below it is freed.
     */
    private int lowestFree;

    /** The open file of {@code fd} with a reference held, or null (EBADF). Release it with {@link #drop}. */
    public synchronized KFile get(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) return null;
        KFile f = files[fd];
        f.hold();
        return f;
    }

    /**
     * A descriptor that named {@code f} is gone (close, dup2 over it, F_CLOSEM, exit): tells the file, which
     * drops the process's record locks (POSIX: any close releases them), then drops the table's reference.
     */
    public static int close(KLwp l, KFile f) {
        f.ops().descriptorClosed(l, f);
        return f.release(l);
    }

    /** Drops a reference taken by {@link #get}. */
    public static int drop(KLwp l, KFile f) {
        return f.release(l);
    }

    /**
     * Installs {@code f} at the lowest free descriptor not below {@code min}; returns it, or a negated errno
     * (EMFILE at the limit). The table takes over the caller's reference.
     */
    public synchronized int alloc(KFile f, int min, boolean closeOnExec, long limit) {
        long max = Math.min(limit, MAX_NOFILE);
        if (min >= max) return -Errno.EMFILE.number();
        for (int fd = Math.max(min, lowestFree); fd < max; fd++) {
            if (fd >= files.length) grow(fd + 1);
            if (files[fd] == null) {
                files[fd] = f;
                cloexec[fd] = closeOnExec;
                if (min <= lowestFree) lowestFree = fd + 1; // the search began at the hint: all below are used
                return fd;
            }
        }
        return -Errno.EMFILE.number();
    }

    /**
     * dup2: puts {@code f} (a held reference, taken over) at {@code to}; returns the file that was there,
     * which the caller must release outside this lock, or null.
     */
    public synchronized KFile replace(int to, KFile f, boolean closeOnExec) {
        if (to >= files.length) grow(to + 1);
        KFile old = files[to];
        files[to] = f;
        cloexec[to] = closeOnExec;
        if (f == null) freed(to);
        return old;
    }

    /** Removes {@code fd}; returns its file for the caller to release, or null (EBADF). */
    public synchronized KFile remove(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) return null;
        KFile f = files[fd];
        files[fd] = null;
        cloexec[fd] = false;
        freed(fd);
        return f;
    }

    /** Slot {@code fd} became free: the hint may have to come down to it. */
    private void freed(int fd) {
        if (fd < lowestFree) lowestFree = fd;
    }

    /** Removes {@code fd} only if it still holds {@code f}; returns whether it did. */
    public synchronized boolean removeIf(int fd, KFile f) {
        if (fd < 0 || fd >= files.length || files[fd] != f) return false;
        files[fd] = null;
        cloexec[fd] = false;
        freed(fd);
        return true;
    }

    /** The highest descriptor number a table may hold, for a soft limit of {@code limit}. */
    public static long maxDescriptors(long limit) {
        return Math.min(limit, MAX_NOFILE);
    }

    public synchronized boolean isOpen(int fd) {
        return fd >= 0 && fd < files.length && files[fd] != null;
    }

    public synchronized boolean closeOnExec(int fd) {
        return cloexec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean on) {
        cloexec[fd] = on;
    }

    /** The highest open descriptor, or -1 (F_MAXFD). */
    public synchronized int maxOpen() {
        for (int fd = files.length - 1; fd >= 0; fd--) if (files[fd] != null) return fd;
        return -1;
    }

    /** Removes every descriptor at or above {@code from} (F_CLOSEM); returns the files to release. */
    public synchronized List<KFile> removeFrom(int from) {
        List<KFile> out = new ArrayList<>();
        for (int fd = Math.max(from, 0); fd < files.length; fd++) {
            if (files[fd] != null) {
                out.add(files[fd]);
                files[fd] = null;
                cloexec[fd] = false;
                freed(fd);
            }
        }
        return out;
    }

    /** Whether any open file of this table satisfies {@code test} (unmount's busy check). */
    public synchronized boolean anyFile(java.util.function.Predicate<KFile> test) {
        for (KFile f : files) if (f != null && test.test(f)) return true;
        return false;
    }

    public synchronized int openCount() {
        int n = 0;
        for (KFile f : files) if (f != null) n++;
        return n;
    }

    /** fd_copy: a new table with the same open files (each gains a reference). */
    synchronized Filedesc copy() {
        Filedesc c = new Filedesc();
        c.files = files.clone();
        c.cloexec = cloexec.clone();
        c.lowestFree = lowestFree;
        for (KFile f : c.files) if (f != null) f.hold();
        return c;
    }

    synchronized void share() {
        shares++;
    }

    /** A proc lets go of the table; the last one closes every file. Returns the files to release. */
    synchronized List<KFile> unshare() {
        if (--shares > 0) return List.of();
        return removeFrom(0);
    }

    private void grow(int atLeast) {
        int n = Math.max(atLeast, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }

    /** Whether {@code flags} is a valid set of O_CLOEXEC/O_NONBLOCK/O_NOSIGPIPE (pipe2, dup3). */
    public static boolean validOpenFlags(int flags) {
        return (flags & ~(Sys.O_CLOEXEC | Sys.O_NONBLOCK | Sys.O_NOSIGPIPE)) == 0;
    }
}
