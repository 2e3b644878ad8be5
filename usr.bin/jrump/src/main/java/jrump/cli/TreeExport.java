package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.Ukfs;

/**
 * Copies files and trees out of an image onto the host ({@code jrump cp} from IMAGE:PATH). Directories are
 * tasks for a small pool of threads, each making its own rump kernel calls (the kernel runs them on its
 * virtual CPUs), so that reading the image and writing the host can overlap on several cores
 * ({@code -Djrump.cp.threads}; one when naming files with -v, so the names come in order). Files are only
 * ever created new and never through a symlink; names a host path cannot safely take are refused. Hard
 * links stay hard links: the first thread to meet an inode copies it, the others wait for that copy and
 * link to it. With -p, directories' times are set once everything in them is written (deepest first).
 */
final class TreeExport implements AutoCloseable {
    /**
     * Copying threads by default. One: two were slower as a whole process for 20,000 small files from ext4 on
     * the 2-core machine, quiet (0.73-0.75 s against 0.67-0.71 s) and loaded (0.87 s against 0.85 s); the
     * image's locks serialise the reads and the second thread only adds hand-offs.
     */
    private static final int DEFAULT_THREADS = 1;
    private static final int MAX_THREADS = 8;
    private static final int BUFFER_BYTES = 1 << 20;
    /** Files from this size on go by sendfile (one call instead of reads and writes of the buffer). */
    private static final long SENDFILE_BYTES = 1 << 20;
    /** Files from this size on are copied on the bulk thread, beside the walk. */
    private static final long BULK_BYTES = 16 << 20;

    private final Ukfs u;
    private final Syscalls sys;
    private final boolean preserve;
    private final PrintWriter verbose;
    private final Progress progress;
    private final Consumer<String> failed;
    private final ExecutorService pool;
    private ExecutorService bulk;
    /** Inode numbers of files with several links, to the copy the first link made. */
    private final ConcurrentHashMap<Long, CompletableFuture<Path>> linked = new ConcurrentHashMap<>();
    /** Directories whose attributes -p sets at the end. */
    private final ConcurrentLinkedQueue<Kept> keptDirectories = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(this::newWorker);
    /** Tasks not done, plus one for the caller until {@link #await}. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private record Kept(Path target, Stat stat) {
    }

    /** A worker thread's copy buffer. */
    private record Worker(ByteBuffer buf) {
    }

    /**
     * {@code verbose} null for a quiet copy (with it, one thread, so the names come in order); {@code failed}
     * hears of what was skipped while the copy went on (device nodes without privilege, sockets).
     */
    TreeExport(Ukfs u, boolean preserve, PrintWriter verbose, Progress progress, Consumer<String> failed) {
        this.u = u;
        this.sys = u.syscalls();
        this.preserve = preserve;
        this.verbose = verbose;
        this.progress = progress;
        this.failed = failed;
        int threads = verbose != null ? 1 : Math.max(1, Math.min(MAX_THREADS, Integer.getInteger("jrump.cp.threads", DEFAULT_THREADS)));
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jrump-cp");
            t.setDaemon(true);
            return t;
        });
    }

    private Worker newWorker() {
        return new Worker(ByteBuffer.allocateDirect(BUFFER_BYTES));
    }

    /**
     * Starts copying {@code src} (its lstat {@code s}) to the host path {@code target}; {@link #await} waits
     * for this and every other copy started. Several sources started before one await overlap: a large
     * file's host-side copy runs while the small files go on.
     */
    void start(ImagePath src, Stat s, Path target) {
        if (isDirectory(s)) submit(() -> directory(src, s, target));
        else submit(() -> entry(src, s, Sys.AT_FDCWD, u.kernelPath(src.path()), target));
    }

    /** Waits for everything started; the first failure is thrown. With -p, directories' times come last. */
    void await() throws IOException {
        if (pending.decrementAndGet() == 0) finished.complete(null); // the caller's own count, held until now
        try {
            finished.join();
        } catch (CompletionException e) {
            rethrow(e.getCause());
        }
        Throwable t = failure.get();
        if (t != null) rethrow(t);
        List<Kept> dirs = new ArrayList<>(keptDirectories);
        dirs.sort(Comparator.comparingInt((Kept k) -> k.target.getNameCount()).reversed());
        for (Kept k : dirs) keepOnHost(k.target, k.stat);
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException e) throw e;
        if (t instanceof UncheckedIOException e) throw e.getCause();
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        throw new IOException(t);
    }

    private interface Task {
        void run() throws IOException;
    }

    private void submit(Task task) {
        submit(pool, task);
    }

    private void submit(ExecutorService on, Task task) {
        submit(on, task, false);
    }

    /** {@code always}: the task runs even after a failure (it holds something it must let go of). */
    private void submit(ExecutorService on, Task task, boolean always) {
        pending.incrementAndGet();
        on.execute(() -> {
            try {
                if (always || failure.get() == null) task.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (pending.decrementAndGet() == 0) finished.complete(null);
            }
        });
    }

    private static boolean isDirectory(Stat s) {
        return (s.mode() & Stat.S_IFMT) == Stat.S_IFDIR;
    }

    /** One directory: made on the host, its files copied here, its subdirectories handed to the pool. */
    private void directory(ImagePath src, Stat s, Path target) throws IOException {
        if (verbose != null) verbose.println(src + " -> " + target);
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(target);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(target + ": File exists");
            }
        }
        int dfd;
        List<Dirent> entries;
        try {
            // one open of the directory: its entries, and its files opened relative to it (no path walk each)
            dfd = sys.open(u.kernelPath(src.path()), Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        } catch (RumpException e) {
            throw Images.failure(src, e);
        }
        try {
            entries = u.names(src.path());
            for (Dirent d : entries) {
                if (failure.get() != null) return;
                ImagePath child = src.child(d.name());
                String name = safeName(child, d.name());
                Path to = target.resolve(name);
                if (d.type() == Dirent.DT_DIR) {
                    Stat cs = lstat(child);
                    if (isDirectory(cs)) {
                        submit(() -> directory(child, cs, to));
                        continue;
                    }
                    entry(child, cs, dfd, d.name(), to);
                } else if (d.type() == Dirent.DT_REG && !preserve && verbose == null) {
                    regular(child, dfd, d.name(), to); // the common case needs no stat walk
                } else {
                    entry(child, lstat(child), dfd, d.name(), to);
                }
            }
        } catch (RumpException e) {
            throw Images.failure(src, e);
        } finally {
            sys.close(dfd);
        }
        if (preserve) keptDirectories.add(new Kept(target, s));
    }

    /** Anything but a directory: {@code name} relative to the image's {@code dfd} . */
    private void entry(ImagePath src, Stat s, int dfd, String name, Path target) throws IOException {
        if (verbose != null) verbose.println(src + " -> " + target);
        switch (s.mode() & Stat.S_IFMT) {
            case Stat.S_IFDIR -> {
                submit(() -> directory(src, s, target));
                return;
            }
            case Stat.S_IFREG -> regular(src, dfd, name, target);
            case Stat.S_IFLNK -> {
                try {
                    Files.createSymbolicLink(target, Path.of(u.readlink(src.path())));
                } catch (RumpException e) {
                    throw Images.failure(src, e);
                } catch (FileAlreadyExistsException e) {
                    throw new CliException(target + ": File exists");
                }
            }
            case Stat.S_IFIFO, Stat.S_IFCHR, Stat.S_IFBLK -> {
                try {
                    HostNodes.mknod(target, s.mode() & (Stat.S_IFMT | 0777), DevNumbers.linuxOfNetbsd(s.rdev()));
                } catch (IOException e) {
                    failed.accept(e.getMessage()); // a device node needs root on the host: the rest is still copied
                    return;
                }
            }
            default -> {
                failed.accept(src + ": a socket: not copied");
                return;
            }
        }
        if (preserve) keepOnHost(target, s);
    }

    /**
     * A regular file: opened in the image, created new on the host with its permissions (less the umask, as
     * cp(1) does), copied in the worker's buffer. A second link of an inode already copied becomes a link.
     */
    private void regular(ImagePath src, int dfd, String name, Path target) throws IOException {
        int fd;
        Stat st;
        try {
            fd = sys.openat(dfd, name, Sys.O_RDONLY | Sys.O_NOFOLLOW, 0);
        } catch (RumpException e) {
            throw Images.failure(src, e);
        }
        boolean handedOn = false;
        try {
            st = sys.fstat(fd);
            CompletableFuture<Path> mine = null;
            if (st.nlink() > 1) {
                mine = new CompletableFuture<>();
                CompletableFuture<Path> first = linked.putIfAbsent(st.ino(), mine);
                if (first != null) {
                    link(first, target);
                    return;
                }
            }
            if (st.size() >= BULK_BYTES && verbose == null) {
                // the host copies a large file by itself (sendfile): on its own thread, while the walk goes on
                CompletableFuture<Path> linkedHere = mine;
                int open = fd;
                Stat size = st;
                handedOn = true;
                submit(bulk(), () -> {
                    if (failure.get() == null) {
                        copyAndClose(src, open, size, target, linkedHere);
                        return;
                    }
                    // the copy failed elsewhere meanwhile: let go of the file, and of anyone waiting to link it
                    if (linkedHere != null) linkedHere.completeExceptionally(new IOException("the copy stopped"));
                    sys.close(open);
                }, true);
                return;
            }
            handedOn = true; // copyAndClose closes it, whatever happens
            copyAndClose(src, fd, st, target, mine);
        } catch (RumpException e) {
            throw Images.failure(src, e);
        } finally {
            if (!handedOn) sys.close(fd);
        }
    }

    /** Copies open file {@code fd} to {@code target}, then closes it; {@code mine} hears how it went. */
    private void copyAndClose(ImagePath src, int fd, Stat st, Path target, CompletableFuture<Path> mine) throws IOException {
        try {
            copy(workers.get(), fd, st, target);
            if (mine != null) mine.complete(target);
        } catch (RumpException e) {
            if (mine != null) mine.completeExceptionally(e);
            throw Images.failure(src, e);
        } catch (RuntimeException | IOException e) {
            if (mine != null) mine.completeExceptionally(e);
            throw e;
        } finally {
            sys.close(fd);
        }
    }

    /** The thread large files are copied on, made at the first one. */
    private synchronized ExecutorService bulk() {
        if (bulk == null) {
            bulk = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jrump-cp-bulk");
                t.setDaemon(true);
                return t;
            });
        }
        return bulk;
    }

    private static void link(CompletableFuture<Path> first, Path target) throws IOException {
        Path to;
        try {
            to = first.join();
        } catch (CompletionException e) {
            throw new CliException(target + ": not copied (its first link failed)");
        }
        try {
            Files.createLink(target, to);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(target + ": File exists");
        }
    }

    private void copy(Worker w, int fd, Stat st, Path target) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(target, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (st.size() >= SENDFILE_BYTES) {
                // from the image to the new file inside the host kernel where the file system allows it
                try {
                    u.sendfile(fd, 0, st.size(), out);
                } catch (RumpException e) {
                    // a read-only image cannot fill up: a full disk is the target's
                    if (e.errno() == jrump.rumpkern.Errno.ENOSPC) throw new CliException(target + ": No space left on device");
                    throw e;
                }
                progress.bytes(st.size());
                progress.file();
                return;
            }
            long left = st.size();
            long n;
            // stops at the size fstat gave: no last read just to see the end of the file
            while (left > 0 && (n = sys.read(fd, w.buf.clear())) > 0) {
                w.buf.flip();
                while (w.buf.hasRemaining()) out.write(w.buf);
                progress.bytes(n);
                left -= n;
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException(target + ": File exists");
        }
        progress.file();
    }

    private Stat lstat(ImagePath p) {
        try {
            return u.lstat(p.path());
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
    }

    /** A name from an image as a host path component: never "..", ".", empty, or holding '/' or NUL. */
    static String safeName(ImagePath where, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new CliException(where + ": a name no host path can safely take; refused");
        }
        return name;
    }

    /** -p: mode, owner and group (when allowed), access and modification times. */
    static void keepOnHost(Path target, Stat s) throws IOException {
        if ((s.mode() & Stat.S_IFMT) != Stat.S_IFLNK) Files.setAttribute(target, "unix:mode", s.mode() & 07777);
        try {
            Files.setAttribute(target, "unix:uid", s.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", s.gid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // not root: cp -p keeps what it may, as cp(1) does
        }
        long mtime = s.mtime().sec() * 1_000_000_000L + s.mtime().nsec();
        long atime = s.atime().sec() * 1_000_000_000L + s.atime().nsec();
        int type = s.mode() & Stat.S_IFMT;
        if (type == Stat.S_IFIFO || type == Stat.S_IFCHR || type == Stat.S_IFBLK) {
            HostNodes.setTimes(target, atime, mtime); // java.nio would open it: a FIFO blocks, a device may not exist
            return;
        }
        FileTime m = FileTime.from(mtime, TimeUnit.NANOSECONDS);
        FileTime a = FileTime.from(atime, TimeUnit.NANOSECONDS);
        Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(m, a, null);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (bulk != null) bulk.shutdownNow();
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        
    }
}
