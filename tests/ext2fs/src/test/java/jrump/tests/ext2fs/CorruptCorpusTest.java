package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The floor of ext2fs's robustness: every image of e2fsprogs' regression suite (most of them deliberately
 * corrupt: bad inodes, directories, bitmaps, journals, checksums, extent trees), decompressed into a
 * temporary folder, is mounted read-only and walked completely ({@link RobustWalk}: getdents, lstat, read,
 * readlink, listxattr, getxattr). Either the mount is refused or the walk ends, with any errno along the
 * way; never another exception (KernelPanic, RuntimeException), never a hang past the per-image limit
 * ({@link TimeLimit}), never a kernel that cannot halt, and never a change to the image file. Each case
 * prints one line: mounted (with what the walk saw) or refused with its errno. And at least one image in
 * ten must mount, or refusing everything would pass.
 *
 * <p>Tagged "ext2fs": excluded until fs/ext2fs lands (see the module's README).
 */
@Tag("ext2fs")
class CorruptCorpusTest {
    static List<Corpus.Case> cases() {
        return Corpus.e2fsprogsCases();
    }

    private static final AtomicInteger attempted = new AtomicInteger();
    private static final AtomicInteger mounted = new AtomicInteger();

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mountsOrIsRefusedAndNeverHangsPanicsOrWritesTheImage(Corpus.Case c, @TempDir Path tmp) {
        Path image = Corpus.unpack(c.image(), tmp);
        String before = Images.checksum(image);
        ImageAttempt.Outcome o = ImageAttempt.run(c.name(), image);
        attempted.incrementAndGet();
        if (o.refused() == null) mounted.incrementAndGet();
        System.out.println(c.name() + ": " + o.summary() + " -- " + c.description());
        assertThat(o.halted()).as(c.name() + ": the kernel halts with no call left inside").isTrue();
        assertThat(o.state()).as(c.name() + ": kernel state after halt").isEqualTo("HALTED");
        assertThat(Images.checksum(image)).as(c.name() + ": the read-only mount left the image as it was").isEqualTo(before);
    }

    /**
     * The same images mounted read-write (on a copy): the mount replays or refuses, and a few changes on
     * top of the walk end in data or errnos — never an uncaught exception, a panic or a hang.
     */
    @ParameterizedTest(name = "{0} read-write")
    @MethodSource("cases")
    void readWriteMountsChangeOrRefuseAndNeverHangOrPanic(Corpus.Case c, @TempDir Path tmp) {
        Path image = Corpus.unpack(c.image(), tmp);
        ImageAttempt.Outcome o = ImageAttempt.run(c.name(), image, true);
        System.out.println(c.name() + " (read-write): " + o.summary());
        assertThat(o.halted()).as(c.name() + ": the kernel halts with no call left inside").isTrue();
        assertThat(o.state()).as(c.name() + ": kernel state after halt").isEqualTo("HALTED");
    }

    /**
     * Refusing every image would pass every case and prove nothing: many of the corpus's images are
     * well-formed (e2fsck finds nothing in 44 of them) or only mildly damaged, so a real reader mounts a
     * good share. Checked when most of the corpus ran (not for a single chosen case).
     */
    @AfterAll
    static void aGoodShareOfTheCorpusMounted() {
        if (attempted.get() < 100) return;
        System.out.println("e2fsprogs corpus: " + mounted.get() + " of " + attempted.get() + " images mounted");
        assertThat(mounted.get()).as("images mounted of " + attempted.get()).isGreaterThanOrEqualTo(attempted.get() / 10);
    }
}
