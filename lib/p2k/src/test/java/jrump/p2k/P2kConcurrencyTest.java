package jrump.p2k;

import static jrump.p2k.Mounted.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.ukfs.Ukfs;

/**
 * Several host threads at once on one mount served by several reader threads: each worker creates, writes,
 * reads back, hard-links, renames over and removes files in its own directory while listing a shared one;
 * every read sees what its worker wrote, and the ext2 image is e2fsck-clean after the unmount.
 */
class P2kConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void parallelWorkersOnExt2() throws Exception {
        Path img = tmp.resolve("par.img");
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext2", img.toString(), "64M"));
        long seed = System.nanoTime();
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.writing(), P2k.Options.defaults().withThreads(4));
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Path shared = Files.createDirectory(m.mnt.resolve("shared"));
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                done.add(pool.submit(() -> work(m.mnt, shared, worker, new SplittableRandom(seed + worker))));
            }
            int total = 0;
            for (Future<Integer> f : done) total += f.get();
            try (Stream<Path> s = Files.list(shared)) {
                assertThat(s.count()).as("seed " + seed).isEqualTo(total);
            }
        }
        run(tmp, List.of("e2fsck", "-fn", img.toString()));
    }

    /** One worker's loop; the number of files it leaves in the shared directory. */
    private static int work(Path mnt, Path shared, int worker, SplittableRandom rnd) throws Exception {
        Path mine = Files.createDirectory(mnt.resolve("w" + worker));
        int kept = 0;
        for (int i = 0; i < 150; i++) {
            byte[] data = new byte[rnd.nextInt(1, 70_000)];
            rnd.nextBytes(data);
            Path f = Files.write(mine.resolve("f" + i), data);
            assertThat(Files.readAllBytes(f)).isEqualTo(data);
            Path link = Files.createLink(mine.resolve("l" + i), f);
            Files.move(link, mine.resolve("f" + Math.max(0, i - 1)), StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.readAllBytes(mine.resolve("f" + Math.max(0, i - 1)))).isEqualTo(data);
            if (rnd.nextInt(3) == 0) {
                Files.copy(f, shared.resolve("w" + worker + "-" + i));
                kept++;
            }
            try (Stream<Path> s = Files.list(shared)) {
                assertThat(s.count()).isGreaterThanOrEqualTo(kept);
            }
            if (i % 10 == 9) Files.delete(mine.resolve("f" + (i - 5)));
        }
        return kept;
    }
}
