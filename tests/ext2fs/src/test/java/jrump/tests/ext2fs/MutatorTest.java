package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mutation harness without ext2fs: the metadata regions are where dumpe2fs and debugfs say, a mutant
 * differs from its base exactly at its recorded bytes, all inside those regions, the same seed makes the
 * same mutant, and the damage is real (e2fsck notices it in many of them).
 */
class MutatorTest {
    @Test
    void regionsCoverTheSuperblockGroupMetadataInodesDirectoriesAndBlockMaps() throws Exception {
        for (String base : MutatedImageTest.BASES) {
            Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named(base));
            List<Mutator.Region> regions = MutatedImageTest.regionsOf(image);
            long size = Files.size(image.file());
            assertThat(regions).as(base).allSatisfy(r -> {
                assertThat(r.offset()).isNotNegative();
                assertThat(r.length()).isPositive();
                assertThat(r.offset() + r.length()).isLessThanOrEqualTo(size);
            });
            assertThat(regions).as(base).anySatisfy(r -> assertThat(r).isEqualTo(new Mutator.Region("superblock", 1024, 1024)));
            for (String what : List.of("group descriptors", "block bitmap", "inode bitmap", "inode table", "directory block")) {
                assertThat(regions).as(base + " has a " + what).anyMatch(r -> r.what().startsWith(what));
            }
            assertThat(regions.stream().filter(r -> r.what().equals("directory block")).count()).as(base).isGreaterThan(6);
            // a large file has indirect blocks (or, with 1 KiB blocks and extents, an extent tree block)
            if (!base.equals("ext4-4k-no-csum")) assertThat(regions).as(base).anyMatch(r -> r.what().equals("block map block"));
        }
    }

    @Test
    void mutantDiffersExactlyAtItsRecordedBytesInsideTheRegionsAndRepeatsBySeed(@TempDir Path tmp) throws Exception {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named("ext4-1k"));
        List<Mutator.Region> regions = MutatedImageTest.regionsOf(image);
        String baseSum = Images.checksum(image.file());
        Mutator.Mutant a = Mutator.mutate(image.file(), tmp.resolve("a.img"), regions, 99, 0);
        Mutator.Mutant b = Mutator.mutate(image.file(), tmp.resolve("b.img"), regions, 99, 0);
        assertThat(a.changes()).isEqualTo(b.changes());
        assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(b.file()));
        assertThat(Images.checksum(image.file())).as("the base is not touched").isEqualTo(baseSum);
        byte[] base = Files.readAllBytes(image.file());
        byte[] mutant = Files.readAllBytes(a.file());
        for (int i = 0; i < base.length; i++) {
            if (base[i] != mutant[i]) {
                long off = i;
                assertThat(a.changes()).containsKey(off);
                assertThat(regions).anyMatch(r -> off >= r.offset() && off < r.offset() + r.length());
            }
        }
        assertThat(a.changes()).hasSizeBetween(1, 4);
        for (var c : a.changes().entrySet()) assertThat(mutant[(int) (long) c.getKey()]).isEqualTo(c.getValue());
    }

    @Test
    void e2fsckFindsDamageInManyMutants(@TempDir Path tmp) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named("ext2-1k-128"));
        List<Mutator.Region> regions = MutatedImageTest.regionsOf(image);
        int damaged = 0;
        int n = 32;
        for (int seed = 0; seed < n; seed++) {
            Mutator.Mutant m = Mutator.mutate(image.file(), tmp.resolve(seed + ".img"), regions, seed, 0);
            if (Tools.run("e2fsck", "-fn", m.file().toString()).exit() != 0) damaged++;
        }
        // metadata, not free space: e2fsck objects to most of them (flips in unused bitmap bits or padding
        // may go unnoticed)
        assertThat(damaged).as("mutants e2fsck finds damaged, of " + n).isGreaterThanOrEqualTo(n / 4);
    }
}
