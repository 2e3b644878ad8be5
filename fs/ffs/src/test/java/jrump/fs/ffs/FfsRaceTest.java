package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** Directories made and removed by racing threads: afterwards every name is there once and names the inode its entry says. */
class FfsRaceTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mkdirRmdirRace(boolean ufs2) throws Exception {
        Path img = FfsNewfsTest.newfs(tmp.resolve("race.img"), new Newfs.Options(64L << 20, ufs2, 0, 0, 0, false, 1_700_000_000L));
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
            sys.chdir(Mounted.MNT);
            int pid = sys.getpid();
            String[][] ops = {{"mkdir", "rmdir.test"}, {"rmdir", "rmdir.test"}, {"mkdir", "rmdir.test/sub"}, {"rmdir", "rmdir.test/sub"}};
            CountDownLatch start = new CountDownLatch(1);
            long end = System.nanoTime() + 1_000_000_000L;
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 16; i++) {
                String[] op = ops[i % ops.length];
                threads.add(Thread.ofPlatform().start(() -> {
                    rk.pub().lwprocNewlwp(pid);
                    try {
                        start.await();
                        while (System.nanoTime() < end) {
                            try {
                                if (op[0].equals("mkdir")) sys.mkdir(op[1], 0755);
                                else sys.rmdir(op[1]);
                            } catch (RumpException e) {
                                // EEXIST, ENOENT, ENOTEMPTY: the race
                            }
                        }
                    } catch (Throwable t) {
                        failed.add(t);
                    } finally {
                        rk.pub().lwprocReleaselwp();
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) t.join();
            assertThat(failed).isEmpty();
            for (String dir : new String[] {".", "rmdir.test"}) {
                List<Dirent> ents;
                try {
                    ents = entries(sys, dir);
                } catch (RumpException e) {
                    continue;
                }
                List<String> names = ents.stream().map(Dirent::name).toList();
                assertThat(names).doesNotHaveDuplicates();
                for (Dirent d : ents) assertThat(sys.lstat(dir + "/" + d.name()).ino()).as(dir + "/" + d.name()).isEqualTo(d.fileno());
            }
        }
    }

    static List<Dirent> entries(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8192);
        List<Dirent> out = new ArrayList<>();
        try {
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) out.addAll(Dirent.parse(b.flip(), n));
        } finally {
            sys.close(fd);
        }
        return out;
    }
}
