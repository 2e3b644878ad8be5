package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded corruption beyond the corpus: images of the small generated tree (ext4 with metadata checksums,
 * ext4 without them, and ext2 with 128-byte inodes) with a few random bytes of their metadata flipped
 * ({@link Mutator}), each held to the corpus's rules: mounted read-only and walked completely, or refused
 * with an errno; never another exception, a hang, a kernel that cannot halt, or a change to the image.
 * {@value #PROPERTY} sets how many mutants per base image (32); {@code -Djrump.ext2fs.seed} the seeds.
 *
 * <p>Tagged "ext2fs": excluded until fs/ext2fs lands (see the module's README).
 */
@Tag("ext2fs")
class MutatedImageTest {
    static final String PROPERTY = "jrump.ext2fs.mutants";
    static final long SEED = 0x5eed_0000L;
    static final List<String> BASES = List.of("ext4-1k", "ext4-4k-no-csum", "ext2-1k-128");

    /** Where the small tree's directories and mapped files are, for the regions to corrupt. */
    static final List<String> DIRS = List.of("", "big", "deep", "names", "hard/sub", "xattrs", "links");
    static final List<String> MAPPED = List.of("files/large-0", "sparse/far", "sparse/scattered", "sparse/hole-middle");

    private static final Map<String, List<Mutator.Region>> regions = new HashMap<>();

    static synchronized List<Mutator.Region> regionsOf(Images.Image base) {
        return regions.computeIfAbsent(base.variant().name(), n -> Mutator.metadataRegions(base.file(), DIRS, MAPPED));
    }

    static Stream<Arguments> mutants() {
        long first = Seeds.seed(SEED);
        int count = Integer.getInteger(PROPERTY, 32);
        return BASES.stream().flatMap(b -> LongStream.range(first, first + count).mapToObj(s -> Arguments.of(b, s)));
    }

    /** The base images themselves mount and walk without an error: the mutants start from good images. */
    @ParameterizedTest
    @MethodSource("bases")
    void baseImageMountsAndWalksWithoutErrors(String base, @TempDir Path tmp) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named(base));
        ImageAttempt.Outcome o = ImageAttempt.run(base, Images.copy(image.file(), tmp.resolve("base.img")));
        assertThat(o.refused()).as(base + " mount").isNull();
        assertThat(o.walk().errors).as(base).isEmpty();
        assertThat(o.walk().entries()).as(base).isEqualTo(ImageCache.host(TreeGenerator.Spec.small()).nodes().size() + 1);
        assertThat(o.halted()).isTrue();
    }

    static List<String> bases() {
        return BASES;
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("mutants")
    void mutantMountsOrIsRefusedAndNeverHangsPanicsOrIsWritten(String base, long seed, @TempDir Path tmp) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named(base));
        Mutator.Mutant m = Mutator.mutate(image.file(), tmp.resolve(base + "-" + seed + ".img"), regionsOf(image), seed, 0);
        // -Djrump.ext2fs.seed=S -Djrump.ext2fs.mutants=1 makes this mutant again (first of each base)
        String name = base + " " + m + ", again with -D" + Seeds.PROPERTY + "=" + seed + " -D" + PROPERTY + "=1";
        String before = Images.checksum(m.file());
        ImageAttempt.Outcome o = ImageAttempt.run(name, m.file());
        System.out.println(name + ": " + o.summary());
        assertThat(o.halted()).as(name + ": the kernel halts with no call left inside").isTrue();
        assertThat(o.state()).as(name + ": kernel state after halt").isEqualTo("HALTED");
        assertThat(Images.checksum(m.file())).as(name + ": the read-only mount left the image as it was").isEqualTo(before);
    }
}
