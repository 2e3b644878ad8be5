package jrump.rumpvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * NetBSD's t_renamerace and t_rmdirrace for jrump: 16 threads race renames, creates, mkdirs and rmdirs
 * in one directory for a bounded time. Nothing may deadlock, panic or fail with an errno other than the
 * ones the race makes legitimate, and the tree must be consistent afterwards.
 */
class VfsRaceTest {
    private static final long RUN_NANOS = 1_500_000_000L;
    private static final Set<Errno> RACY = Set.of(Errno.ENOENT, Errno.EEXIST, Errno.ENOTEMPTY, Errno.EINVAL,
            Errno.ENOTDIR, Errno.EISDIR);

    private static void race(RumpKernel rk, int threads, java.util.function.IntConsumer body) throws Exception {
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        long end = System.nanoTime() + RUN_NANOS;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> {
                rk.pub().lwprocRfork(Sys.RUMP_RFFDG);
                int i = 0;
                while (System.nanoTime() < end) {
                    try {
                        body.accept(id * 1_000_000 + i++);
                    } catch (RumpException e) {
                        if (!RACY.contains(e.errno())) unexpected.add(e.errno().name());
                    } catch (Throwable e) {
                        unexpected.add(e.toString());
                        return;
                    }
                }
                rk.pub().lwprocReleaselwp();
            }));
        }
        for (Thread t : ts) {
            t.join(30_000);
            assertThat(t.isAlive()).as("deadlock: a racing thread is stuck").isFalse();
        }
        assertThat(unexpected).isEmpty();
        assertThat(rk.state()).isEqualTo("RUNNING");
    }

    @Test
    void renameRace() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(4).diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/r", 0777);
            AtomicLong renames = new AtomicLong();
            race(rk, 16, n -> {
                String a = "/r/" + (n % 7);
                String b = "/r/" + ((n / 7) % 7);
                switch (n % 3) {
                    case 0 -> sys.close(sys.open(a, Sys.O_CREAT | Sys.O_WRONLY, 0644));
                    case 1 -> {
                        sys.rename(a, b);
                        renames.incrementAndGet();
                    }
                    default -> sys.unlink(a);
                }
            });
            assertThat(renames.get()).isPositive();
            assertConsistent(sys, "/r");
        }
    }

    @Test
    void rmdirRace() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(4).diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/d", 0777);
            race(rk, 16, n -> {
                String dir = "/d/" + (n % 3);
                switch (n % 4) {
                    case 0 -> sys.mkdir(dir, 0755);
                    case 1 -> sys.rmdir(dir);
                    case 2 -> sys.mkdir(dir + "/sub", 0755);
                    default -> sys.rmdir(dir + "/sub");
                }
            });
            assertConsistent(sys, "/d");
        }
    }

    /** Every name listed can be stat'ed, directory link counts add up, and the directory can be emptied. */
    private static void assertConsistent(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        int n = sys.getdents(fd, b);
        sys.close(fd);
        for (var d : jrump.rumpkern.Dirent.parse(b.flip(), n)) {
            if (d.name().equals(".") || d.name().equals("..")) continue;
            String path = dir + "/" + d.name();
            var st = sys.lstat(path);
            assertThat(st.ino()).isEqualTo(d.fileno());
            if (st.isDirectory()) {
                try {
                    sys.rmdir(path + "/sub");
                } catch (RumpException e) {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                }
                assertThat(sys.stat(path).nlink()).isEqualTo(2);
                sys.rmdir(path);
            } else {
                assertThat(st.nlink()).isEqualTo(1);
                sys.unlink(path);
            }
        }
        assertThat(sys.stat(dir).nlink()).isEqualTo(2);
        sys.rmdir(dir);
    }
}
