package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.RumpException;

/**
 * Seeded mutants of a valid image (random bytes of the boot sector, the FATs and the directories
 * overwritten): Fsck always gives a verdict, and the kernel mounts or refuses, walks and reads what it can
 * and unmounts, every failure an errno: never an exception of another kind, a panic or a hang. The seed
 * is in the message of any failure.
 */
@Timeout(300)
class MsdosMutantTest {
    private static final int MUTANTS = 40;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 32})
    void mutants_endInVerdictsAndErrnos(int type) throws Exception {
        Path host = HostTrees.make(tmp.resolve("tree"), 5, 60);
        Path valid = tmp.resolve("valid.img");
        long size = type == 32 ? 40L << 20 : type == 16 ? 20L << 20 : 4L << 20;
        MsdosMakefsTest.build(valid, MsdosMakefsTest.tree(host), new Newfs.Options(size, type, 512, type == 32 ? 512 : 2048, null, 3));
        long metadata;
        try (Damage d = new Damage(valid)) {
            // the boot area, the FATs, the root and the first directory clusters
            metadata = d.bpb.clusterOffset(2) + 64L * d.bpb.clusterBytes;
        }
        for (int i = 0; i < MUTANTS; i++) {
            long seed = type * 1000L + i;
            Path img = Files.copy(valid, tmp.resolve("mutant.img"), StandardCopyOption.REPLACE_EXISTING);
            SplittableRandom rnd = new SplittableRandom(seed);
            try (Damage d = new Damage(img)) {
                int flips = 1 + rnd.nextInt(12);
                for (int f = 0; f < flips; f++) {
                    long at = rnd.nextInt(8) == 0 ? rnd.nextInt(512) : rnd.nextLong(metadata);
                    d.write(at, new byte[] {(byte) rnd.nextInt(256)});
                }
            }
            try {
                Fsck.Report r = MsdosFsckTest.fsck(img);
                assertThat(r.exitStatus()).isIn(Fsck.EXIT_CLEAN, Fsck.EXIT_UNCORRECTED, Fsck.EXIT_OPERATIONAL);
                walk(img);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("mutant seed " + seed + " (FAT" + type + ")", e);
            }
        }
    }

    /** Mounts (or is refused), walks to a bounded depth reading every file, writes one file, unmounts. */
    private static void walk(Path img) {
        Mounted m;
        try {
            m = new Mounted(img);
        } catch (RumpException refused) {
            return; // a clear errno
        }
        try (m) {
            walkDir(m, "/mnt", 0);
            try {
                m.write("/mnt/new file after damage.txt", "x".getBytes());
            } catch (RumpException e) {
                // ENOSPC, EIO... an errno is what is asked
            }
        }
    }

    private static void walkDir(Mounted m, String dir, int depth) {
        if (depth > 12) return; // a cycle the checks did not see would otherwise go on forever
        java.util.List<String> names;
        try {
            names = m.names(dir);
        } catch (RumpException e) {
            return;
        }
        for (String n : names) {
            String p = dir + "/" + n;
            try {
                if ((m.sys.stat(p).mode() & jrump.rumpkern.Stat.S_IFMT) == jrump.rumpkern.Stat.S_IFDIR) walkDir(m, p, depth + 1);
                else if (m.sys.stat(p).size() < (64L << 20)) m.read(p);
            } catch (RumpException e) {
                // an errno for this name: on to the next
            }
        }
    }
}
