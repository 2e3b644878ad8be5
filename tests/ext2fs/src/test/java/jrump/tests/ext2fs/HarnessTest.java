package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.tests.ext2fs.TreeComparator.Node;
import jrump.tests.ext2fs.TreeComparator.Type;

/** The parts of the ext2fs tests' harness that do not need ext2fs, each shown to pass and to fail. */
class HarnessTest {
    @Test
    void bootRegistersTheImageAsABlockDeviceAtTheContractsPath(@TempDir Path tmp) throws Exception {
        Path image = Files.write(tmp.resolve("img"), new byte[64 * 1024]);
        try (RumpKernel rk = Ext2Mount.boot(image)) {
            Stat dev = rk.syscalls().stat(Ext2Mount.DEV);
            assertThat(dev.mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFBLK);
            assertThat(rk.syscalls().stat(Ext2Mount.MNT).isDirectory()).isTrue();
        }
    }

    @Test
    void offsetReadsMatchOnACopyAndReportAChangedByte() {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.small());
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/copy", 0755);
            KernelCopier.copy(tree.root(), sys, "/copy");
            List<String> diffs = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(1);
            int files = 0;
            for (Node n : ImageCache.host(TreeGenerator.Spec.small()).nodes().values()) {
                if (n.type() != Type.FILE || !(n.path().startsWith("files/") || n.path().startsWith("sparse/"))) continue;
                diffs.addAll(OffsetReads.check(sys, "/copy/" + n.path(), tree.root().resolve(n.path()), 1024, rnd));
                files++;
            }
            assertThat(files).isGreaterThan(20);
            assertThat(diffs).isEmpty();
            // offset 0 is always read: a changed first byte is found
            int fd = sys.open("/copy/files/size-4097", Sys.O_RDWR, 0);
            ByteBuffer b = ByteBuffer.allocate(1);
            sys.pread(fd, b, 0);
            sys.pwrite(fd, ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x55)}), 0);
            sys.close(fd);
            assertThat(OffsetReads.check(sys, "/copy/files/size-4097", tree.root().resolve("files/size-4097"), 1024, rnd))
                    .singleElement().asString().contains("first difference at offset 0");
        }
    }

    @Test
    void robustWalkVisitsEveryEntryOfACopyOnceAndReadsEveryByte() {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.small());
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/copy", 0755);
            KernelCopier.copy(tree.root(), sys, "/copy");
            RobustWalk.Result r = RobustWalk.walk(sys, "/copy");
            var nodes = ImageCache.host(TreeGenerator.Spec.small()).nodes().values();
            assertThat(r.errors).isEmpty();
            assertThat(r.dirs).isEqualTo(nodes.stream().filter(n -> n.type() == Type.DIR).count());
            assertThat(r.files).isEqualTo(nodes.stream().filter(n -> n.type() == Type.FILE).count());
            assertThat(r.symlinks).isEqualTo(nodes.stream().filter(n -> n.type() == Type.SYMLINK).count());
            assertThat(r.others).isEqualTo(nodes.stream().filter(n -> n.type() == Type.FIFO || n.type() == Type.CHAR
                    || n.type() == Type.BLOCK).count());
            assertThat(r.bytesRead).isEqualTo(nodes.stream().filter(n -> n.type() == Type.FILE).mapToLong(Node::size).sum());
            // a failing call is counted, and the walk goes on past it
            RobustWalk.Result missing = RobustWalk.walk(sys, "/nonexistent");
            assertThat(missing.errors).containsEntry("lstat ENOENT", 1);
        }
    }

    @Test
    void timeLimitReturnsTheResultAndNamesTheWorkWhenItThrows() {
        assertThat(TimeLimit.run("answer", 60, () -> 42)).isEqualTo(42);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> TimeLimit.run("case-x", 60, () -> {
            throw boom;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("case-x").hasCause(boom);
    }

    @Test
    void timeLimitFailsWorkThatNeverFinishesAndShowsWhereItIs() {
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> TimeLimit.run("stuck-case", 1, () -> {
            never.await();
            return null;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("stuck-case").hasMessageContaining("did not finish")
                .hasMessageContaining("CountDownLatch.await");
    }

    @Test
    void imageAttemptHaltsTheKernelWhateverTheMountAnswers(@TempDir Path tmp) throws Exception {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), Images.named("ext2-1k-128"));
        Path copy = Images.copy(image.file(), tmp.resolve("img"));
        ImageAttempt.Outcome o = ImageAttempt.run("small ext2", copy);
        // ENODEV until ext2fs is on the classpath, then a walk
        assertThat(o.refused() != null || o.walk().entries() > 0).isTrue();
        assertThat(o.halted()).isTrue();
        assertThat(o.state()).isEqualTo("HALTED");
        assertThat(o.summary()).isNotBlank();
        // an empty file, as one e2fsprogs case has, is refused somewhere along the way, not thrown
        ImageAttempt.Outcome empty = ImageAttempt.run("empty", Files.write(tmp.resolve("empty"), new byte[0]));
        assertThat(empty.refused()).isNotNull();
        assertThat(empty.halted()).isTrue();
    }
}
