package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;

/**
 * Eight lwps of one process create, write, rename, remove and make and remove directories over a small set
 * of names at once (a fixed number of operations each, seeded); whatever interleaving happened, the volume
 * is consistent afterwards: fsck.fat -n and our Fsck find nothing, and every name left reads.
 */
@Timeout(300)
class MsdosConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPS = 400;
    /** What a race may answer: the name was taken, gone or not empty when the call got there. */
    private static final Set<Errno> RACE = Set.of(Errno.EEXIST, Errno.ENOENT, Errno.ENOTEMPTY, Errno.EISDIR, Errno.ENOTDIR, Errno.EINVAL);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {12, 32})
    void concurrentChanges_leaveAConsistentVolume(int type) throws Exception {
        Path img = tmp.resolve("c.img");
        MsdosNewfsTest.newfs(img, new Newfs.Options(type == 12 ? 4L << 20 : 40L << 20, type, 512, type == 12 ? 1024 : 512, null, 9));
        String[] names = {"a", "B", "long name one", "Long Name Two.txt", "d1", "d2/x", "d1/y", "d2", "d1/Long Sub Name"};
        Map<String, String> unexpected = new ConcurrentHashMap<>();
        try (Mounted m = new Mounted(img)) {
            m.rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
            m.sys.chdir("/mnt");
            int pid = m.sys.getpid();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 1000L * type + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    m.rk.pub().lwprocNewlwp(pid);
                    try {
                        start.await();
                        SplittableRandom rnd = new SplittableRandom(seed);
                        for (int i = 0; i < OPS; i++) step(m, rnd, names);
                    } catch (Throwable e) {
                        unexpected.putIfAbsent("seed " + seed, e.toString());
                    } finally {
                        m.rk.pub().lwprocReleaselwp();
                    }
                }));
            }
            start.countDown();
            for (Thread th : threads) th.join();
            assertThat(unexpected).isEmpty();
            for (String n : m.names("/mnt")) {
                if ((m.sys.stat("/mnt/" + n).mode() & jrump.rumpkern.Stat.S_IFMT) != jrump.rumpkern.Stat.S_IFDIR) m.read("/mnt/" + n);
            }
            m.sys.chdir("/"); // the mount must not be this process's current directory to be unmounted
        }
        Tools.fsckClean(img);
        assertThat(MsdosFsckTest.fsck(img).problems()).isEmpty();
    }

    private static void step(Mounted m, SplittableRandom rnd, String[] names) {
        String a = names[rnd.nextInt(names.length)];
        String b = names[rnd.nextInt(names.length)];
        try {
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    int fd = m.sys.open(a, Sys.O_CREAT | Sys.O_WRONLY, 0644);
                    try {
                        m.sys.pwrite(fd, ByteBuffer.wrap(new byte[rnd.nextInt(5000)]), rnd.nextInt(3000));
                    } finally {
                        m.sys.close(fd);
                    }
                }
                case 1 -> m.sys.rename(a, b);
                case 2 -> m.sys.unlink(a);
                case 3 -> m.sys.mkdir(a, 0755);
                case 4 -> m.sys.rmdir(a);
                default -> m.sys.truncate(a, rnd.nextInt(9000));
            }
        } catch (RumpException e) {
            if (!RACE.contains(e.errno()) && !(e.errno() == Errno.EPERM)) throw e; // EPERM: unlink of a directory
        }
    }
}
