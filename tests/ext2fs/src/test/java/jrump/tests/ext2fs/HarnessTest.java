package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
}
