package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.fs.ext2fs.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Several threads change one read-write ext4 mount at once — each in its own directory and all in a shared
 * one (creates, appends, truncations, renames across directories, unlinks of open files, stats and reads
 * racing them) — while a further thread syncs. Afterwards every file a thread says it left behind has the
 * content it wrote, and e2fsck -fn finds the image clean. Seeded; the seed is in every failure message.
 */
class ConcurrentWriteTest {
    private static final long SEED = 424242;
    private static final int THREADS = 4;
    private static final int STEPS = 400;

    @TempDir
    Path tmp;

    /**
     * One virtual CPU too: a thread waiting inside the file system for a kernel lock gives its CPU up, so the
     * file system's own lock must give it up as well (a Java monitor would not, and the kernel would stop).
     */
    @ParameterizedTest(name = "{0} virtual CPUs")
    @ValueSource(ints = {1, 2})
    @Timeout(180)
    void threadsChangingOneMount_leaveAConsistentImage(int ncpu) throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", img.toString(), "64M");
        Map<String, byte[]> expected = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(ncpu).diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            sys.mkdir("/mnt/shared", 0777);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        work(sys, id, new SplittableRandom(SEED + id), expected);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, new AssertionError("seed " + SEED + ", thread " + id + ": " + e, e));
                    }
                }));
            }
            Thread syncer = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        sys.sync();
                        Thread.sleep(5);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            start.countDown();
            for (Thread th : threads) th.join();
            syncer.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertThat(java.util.Arrays.mismatch(readAll(sys, e.getKey()), e.getValue())).as("seed %d: %s", SEED, e.getKey()).isEqualTo(-1);
            }
            sys.unmount("/mnt", 0);
        }
        run("e2fsck", "-fn", img.toString());
    }

    /** One thread's steps; the files it leaves are recorded in {@code expected}. */
    private static void work(Syscalls sys, int id, SplittableRandom rnd, Map<String, byte[]> expected) {
        String own = "/mnt/t" + id;
        sys.mkdir(own, 0755);
        List<String> mine = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            int op = rnd.nextInt(7);
            String dir = rnd.nextBoolean() ? own : "/mnt/shared";
            switch (op) {
                case 0, 1 -> {
                    String name = dir + "/f" + id + "-" + step;
                    byte[] data = new byte[rnd.nextInt(6000)];
                    rnd.nextBytes(data);
                    int fd = sys.open(name, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL, 0644);
                    sys.write(fd, ByteBuffer.wrap(data));
                    sys.close(fd);
                    expected.put(name, data);
                    mine.add(name);
                }
                case 2 -> {
                    if (mine.isEmpty()) break;
                    String name = mine.get(rnd.nextInt(mine.size()));
                    byte[] more = new byte[rnd.nextInt(3000)];
                    rnd.nextBytes(more);
                    int fd = sys.open(name, Sys.O_WRONLY | Sys.O_APPEND, 0);
                    sys.write(fd, ByteBuffer.wrap(more));
                    sys.close(fd);
                    byte[] old = expected.get(name);
                    byte[] now = java.util.Arrays.copyOf(old, old.length + more.length);
                    System.arraycopy(more, 0, now, old.length, more.length);
                    expected.put(name, now);
                }
                case 3 -> {
                    if (mine.isEmpty()) break;
                    int i = rnd.nextInt(mine.size());
                    String from = mine.get(i);
                    String to = (rnd.nextBoolean() ? own : "/mnt/shared") + "/r" + id + "-" + step;
                    sys.rename(from, to);
                    expected.put(to, expected.remove(from));
                    mine.set(i, to);
                }
                case 4 -> {
                    if (mine.isEmpty()) break;
                    String name = mine.remove(rnd.nextInt(mine.size()));
                    // unlinked while open, written after, then closed: the orphan's space comes back
                    int fd = sys.open(name, Sys.O_RDWR, 0);
                    sys.unlink(name);
                    expected.remove(name);
                    sys.write(fd, ByteBuffer.allocate(1000));
                    sys.close(fd);
                }
                case 5 -> {
                    if (mine.isEmpty()) break;
                    String name = mine.get(rnd.nextInt(mine.size()));
                    int len = rnd.nextInt(expected.get(name).length + 1);
                    sys.truncate(name, len);
                    expected.put(name, java.util.Arrays.copyOf(expected.get(name), len));
                }
                default -> {
                    // a walk of the shared directory racing the others' changes: names may vanish under it
                    int fd = sys.open("/mnt/shared", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
                    ByteBuffer b = ByteBuffer.allocate(8192);
                    int n;
                    while ((n = sys.getdents(fd, b.clear())) > 0) {
                        for (jrump.rumpkern.Dirent d : jrump.rumpkern.Dirent.parse(b.flip(), n)) {
                            try {
                                sys.lstat("/mnt/shared/" + d.name());
                            } catch (RumpException e) {
                                if (e.errno() != jrump.rumpkern.Errno.ENOENT) throw e;
                            }
                        }
                    }
                    sys.close(fd);
                }
            }
        }
    }
}
