package jrump.tests.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * NetBSD's tests/fs/vfs/t_renamerace.c (renamerace, renamerace_dirs) and t_rmdirrace.c for jrump: 16
 * threads, each on its own lwp of one rump process, race on a few names in /mnt for a bounded time.
 * No thread may hang, no call may fail with an errno the race does not explain, and the tree must be
 * consistent afterwards.
 */
class RaceTest {
    /** How long the threads race, per case and file system (NetBSD races 5 to 10 s; the suite must stay fast). */
    private static final Duration RACE = Duration.ofMillis(1000);
    /** How long a thread may still be inside the kernel after the race is over before it counts as deadlocked. */
    private static final Duration STUCK = Duration.ofSeconds(30);
    private static final int THREADS = 16;

    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    /** One kind of racing thread: what it does in a loop, and how often that completed. */
    private record Racer(String name, Consumer<Syscalls> step, AtomicLong done) {
        Racer(String name, Consumer<Syscalls> step) {
            this(name, step, new AtomicLong());
        }
    }

    /** Runs {@code call}; a failure with one of the {@code allowed} errnos is the race's legitimate outcome. */
    private static void allowing(Set<Errno> allowed, Runnable call) {
        try {
            call.run();
        } catch (RumpException e) {
            if (!allowed.contains(e.errno())) throw e;
        }
    }

    /** renamerace (PR kern/41128): 8 threads create and unlink a file, 8 rename it. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void renamerace(FileSystems.Fs fs) throws Exception {
        try (RumpKernel rk = fs.boot()) {
            Racer create = new Racer("create+unlink", sys -> {
                int fd = sys.open("rename.test1", Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0666);
                allowing(Set.of(Errno.ENOENT), () -> sys.unlink("rename.test1")); // renamed away meanwhile
                sys.close(fd);
            });
            Racer rename = new Racer("rename", sys ->
                    allowing(Set.of(Errno.ENOENT), () -> sys.rename("rename.test1", "rename.test2")));
            race(rk, create, rename);
            Syscalls sys = rk.syscalls();
            assertThat(Content.names(sys, ".")).isSubsetOf("rename.test2");
            if (!Content.names(sys, ".").isEmpty()) assertThat(sys.stat("rename.test2").isRegularFile()).isTrue();
            assertConsistentAndRemove(sys, ".");
        }
    }

    /** renamerace_dirs: the same with directories: 8 threads mkdir and rmdir, 8 rename. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void renameraceDirs(FileSystems.Fs fs) throws Exception {
        try (RumpKernel rk = fs.boot()) {
            Racer mkdir = new Racer("mkdir+rmdir", sys -> {
                allowing(Set.of(Errno.EEXIST), () -> sys.mkdir("rename.test1", 0777));
                allowing(Set.of(Errno.ENOENT), () -> sys.rmdir("rename.test1"));
            });
            Racer rename = new Racer("rename", sys ->
                    allowing(Set.of(Errno.ENOENT), () -> sys.rename("rename.test1", "rename.test2")));
            race(rk, mkdir, rename);
            Syscalls sys = rk.syscalls();
            assertThat(Content.names(sys, ".")).isSubsetOf("rename.test2");
            if (!Content.names(sys, ".").isEmpty()) assertThat(sys.stat("rename.test2").isDirectory()).isTrue();
            assertConsistentAndRemove(sys, ".");
        }
    }

    /** rmdirrace: threads make and remove a directory and a subdirectory in it, four of each kind. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void rmdirrace(FileSystems.Fs fs) throws Exception {
        try (RumpKernel rk = fs.boot()) {
            String dir = "rmdir.test";
            String sub = dir + "/sub";
            race(rk,
                    new Racer("mkdir dir", sys -> allowing(Set.of(Errno.EEXIST), () -> sys.mkdir(dir, 0755))),
                    new Racer("rmdir dir", sys -> allowing(Set.of(Errno.ENOENT, Errno.ENOTEMPTY), () -> sys.rmdir(dir))),
                    new Racer("mkdir sub", sys -> allowing(Set.of(Errno.EEXIST, Errno.ENOENT), () -> sys.mkdir(sub, 0755))),
                    new Racer("rmdir sub", sys -> allowing(Set.of(Errno.ENOENT), () -> sys.rmdir(sub))));
            Syscalls sys = rk.syscalls();
            assertThat(Content.names(sys, ".")).isSubsetOf(dir);
            assertConsistentAndRemove(sys, ".");
        }
    }

    /**
     * Races the racers, THREADS threads spread evenly over them, all on lwps of one new process whose
     * current directory is /mnt; the calling thread stays in that process for the checks afterwards.
     */
    private static void race(RumpKernel rk, Racer... racers) throws InterruptedException {
        Syscalls sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.chdir(FileSystems.MNT);
        int pid = sys.getpid();
        Map<String, String> unexpected = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Racer r = racers[i % racers.length];
            threads.add(Thread.ofPlatform().name("race-" + r.name() + "-" + i).start(() -> {
                rk.pub().lwprocNewlwp(pid);
                try {
                    start.await();
                    while (System.nanoTime() < end[0]) {
                        r.step().accept(sys);
                        r.done().incrementAndGet();
                    }
                } catch (Throwable e) {
                    unexpected.putIfAbsent(r.name(), e.toString()); // and this thread stops
                } finally {
                    rk.pub().lwprocReleaselwp();
                }
            }));
        }
        end[0] = System.nanoTime() + RACE.toNanos();
        start.countDown();
        for (Thread t : threads) {
            t.join(STUCK.plus(RACE));
            assertThat(t.isAlive()).as("deadlock: %s still in the kernel %s after the race ended, at %s",
                    t.getName(), STUCK, Arrays.toString(t.getStackTrace())).isFalse();
        }
        assertThat(unexpected).as("calls that failed other than the race explains").isEmpty();
        assertThat(rk.state()).isEqualTo("RUNNING");
        for (Racer r : racers) assertThat(r.done().get()).as("%s made progress", r.name()).isPositive();
    }

    /**
     * Every entry can be stat'ed and has the inode its entry says, a directory's link count is 2 plus
     * its subdirectories, a file's is 1; then everything is removed, bottom up, without an error.
     */
    private static void assertConsistentAndRemove(Syscalls sys, String dir) {
        List<Dirent> entries = Content.entries(sys, dir);
        int subdirs = 0;
        for (Dirent d : entries) {
            Stat st = sys.lstat(dir + "/" + d.name());
            assertThat(st.ino()).as(d.name()).isEqualTo(d.fileno());
            if (st.isDirectory()) subdirs++;
            else assertThat(st.nlink()).as(d.name()).isEqualTo(1);
        }
        assertThat(sys.stat(dir).nlink()).as("links of %s", dir).isEqualTo(dirLinks(sys, dir, subdirs));
        for (Dirent d : entries) {
            String path = dir + "/" + d.name();
            if (sys.lstat(path).isDirectory()) {
                assertConsistentAndRemove(sys, path);
                sys.rmdir(path);
            } else {
                sys.unlink(path);
            }
        }
        assertThat(Content.entries(sys, dir)).isEmpty();
        assertThat(sys.stat(dir).nlink()).isEqualTo(dirLinks(sys, dir, 0));
    }

    /** A directory's link count: 2 plus its subdirectories, but 1 on FAT, which counts no links. */
    private static long dirLinks(Syscalls sys, String dir, int subdirs) {
        return sys.statvfs1(dir, 0).fstypename().equals("msdos") ? 1 : 2 + subdirs;
    }
}
