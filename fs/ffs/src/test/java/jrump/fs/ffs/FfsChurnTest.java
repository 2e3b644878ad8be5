package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Seeded random operations (writes at random offsets making holes and fragment tails, truncations up and
 * down, renames, links, removals) against an in-memory model: the files read back as the model says, before
 * and after a remount, Fsck finds the maps and counts exact, and the space freed comes back. Includes a
 * sparse file reaching the triple-indirect blocks. The seed is in every failure's message.
 */
class FfsChurnTest {
    @TempDir
    Path tmp;

    static void writeAt(Syscalls sys, String path, long off, byte[] data) {
        int fd = sys.open(path, Sys.O_WRONLY | Sys.O_CREAT, 0644);
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) sys.pwrite(fd, b, off + b.position());
        } finally {
            sys.close(fd);
        }
    }

    static byte[] readAll(Syscalls sys, String path, int size) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(size + 1);
            while (sys.read(fd, b) > 0) {
                if (!b.hasRemaining()) break;
            }
            return Arrays.copyOf(b.array(), b.position());
        } finally {
            sys.close(fd);
        }
    }

    @ParameterizedTest(name = "UFS2={0} seed={1}")
    @CsvSource({"false,1", "true,2", "false,3", "true,4"})
    void randomOperationsMatchTheModel(boolean ufs2, long seed) throws Exception {
        Path img = FfsNewfsTest.newfs(tmp.resolve("churn.img"), new Newfs.Options(48L << 20, ufs2, ufs2 ? 16384 : 4096, ufs2 ? 2048 : 512, 0, seed % 2 == 1, 1_700_000_000L));
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, byte[]> model = new HashMap<>();
        long freeAtStart;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            freeAtStart = sys.statvfs1(Mounted.MNT, 1).bfree();
            sys.mkdir(Mounted.MNT + "/a", 0755);
            sys.mkdir(Mounted.MNT + "/b", 0755);
            String[] dirs = {"/a/", "/b/", "/"};
            for (int step = 0; step < 400; step++) {
                String name = Mounted.MNT + dirs[rnd.nextInt(3)] + "f" + rnd.nextInt(12);
                try {
                    switch (rnd.nextInt(10)) {
                        case 0, 1, 2, 3 -> {
                            byte[] cur = model.getOrDefault(name, new byte[0]);
                            int off = rnd.nextInt(4) == 0 ? rnd.nextInt(300_000) : rnd.nextInt(cur.length + 1);
                            byte[] data = new byte[rnd.nextInt(rnd.nextBoolean() ? 40_000 : 3000) + 1];
                            rnd.nextBytes(data);
                            writeAt(sys, name, off, data);
                            byte[] next = Arrays.copyOf(cur, Math.max(cur.length, off + data.length));
                            System.arraycopy(data, 0, next, off, data.length);
                            model.put(name, next);
                        }
                        case 4, 5 -> {
                            if (!model.containsKey(name)) continue;
                            int len = rnd.nextInt(200_000);
                            sys.truncate(name, len);
                            model.put(name, Arrays.copyOf(model.get(name), len));
                        }
                        case 6 -> {
                            if (!model.containsKey(name)) continue;
                            sys.unlink(name);
                            model.remove(name);
                        }
                        case 7 -> {
                            String to = Mounted.MNT + dirs[rnd.nextInt(3)] + "f" + rnd.nextInt(12);
                            if (!model.containsKey(name) || to.equals(name)) continue;
                            sys.rename(name, to);
                            model.put(to, model.remove(name));
                        }
                        default -> {
                            String to = Mounted.MNT + dirs[rnd.nextInt(3)] + "g" + rnd.nextInt(1000);
                            if (!model.containsKey(name) || model.containsKey(to)) continue;
                            sys.link(name, to);
                            // a hard link shares the bytes: the model tracks only names that are written through one of them
                            sys.unlink(name);
                            model.put(to, model.remove(name));
                        }
                    }
                } catch (RumpException e) {
                    throw new AssertionError("seed " + seed + " step " + step + " on " + name, e);
                }
            }
            // a sparse file reaching the triple-indirect blocks (UFS2's pointers reach that far in a small image)
            long far = ufs2 ? (1L << 40) + 12345 : (1L << 33) + 777;
            writeAt(sys, Mounted.MNT + "/sparse", far, new byte[] {42, 43});
            writeAt(sys, Mounted.MNT + "/sparse", 5, new byte[] {7});
            assertThat(sys.stat(Mounted.MNT + "/sparse").size()).isEqualTo(far + 2);
            check(sys, model, seed);
            sys.unmount(Mounted.MNT, 0);
        }
        Fsck.Report r = FsckRun.fsck(img);
        assertThat(r.problems()).as("seed %d: %s", seed, r.output()).isEmpty();
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            check(sys, model, seed);
            long far = ufs2 ? (1L << 40) + 12345 : (1L << 33) + 777;
            int fd = sys.open(Mounted.MNT + "/sparse", Sys.O_RDONLY, 0);
            ByteBuffer b = ByteBuffer.allocate(2);
            sys.pread(fd, b, far);
            ByteBuffer hole = ByteBuffer.allocate(4096);
            sys.pread(fd, hole, far - 5000);
            sys.close(fd);
            assertThat(b.array()).containsExactly(42, 43);
            assertThat(hole.array()).containsOnly(0);
            for (String name : model.keySet()) sys.unlink(name);
            sys.unlink(Mounted.MNT + "/sparse");
            sys.rmdir(Mounted.MNT + "/a");
            sys.rmdir(Mounted.MNT + "/b");
            assertThat(sys.statvfs1(Mounted.MNT, 1).bfree()).as("seed %d: every block back", seed).isEqualTo(freeAtStart);
            sys.unmount(Mounted.MNT, 0);
        }
        r = FsckRun.fsck(img);
        assertThat(r.problems()).as("seed %d: %s", seed, r.output()).isEmpty();
    }

    private static void check(Syscalls sys, Map<String, byte[]> model, long seed) {
        for (var e : model.entrySet()) {
            byte[] got = readAll(sys, e.getKey(), e.getValue().length);
            assertThat(got).as("seed %d: %s", seed, e.getKey()).isEqualTo(e.getValue());
        }
    }
}
