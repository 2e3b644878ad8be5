package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Syscalls;

/**
 * ext2fs reads what NetBSD's own ext2fs wrote: the corpus's netbsd-written/ext2.img (made empty by mke2fs,
 * then filled through a NetBSD rump kernel's system calls, so its allocation and directory layout are
 * NetBSD's), mounted read-only, has under /tree exactly the entries of tree.manifest.json with their types,
 * modes, sizes, SHA-256 contents, symlink targets and hard-link groups; the image is not written.
 *
 * <p>Tagged "ext2fs": excluded until fs/ext2fs lands (see the module's README). The harness is checked
 * against e2fsprogs' reading of the same image in {@link CorpusTest}.
 */
@Tag("ext2fs")
class NetbsdWrittenTest {
    @Test
    void netbsdWrittenExt2ImageHasItsManifestsTree(@TempDir Path tmp) {
        Path image = Corpus.netbsdExt2(tmp);
        String before = Images.checksum(image);
        try (RumpKernel rk = Ext2Mount.mountedReadOnly(image)) {
            Syscalls sys = rk.syscalls();
            TreeComparator.Snapshot tree = TreeComparator.kernel(sys, Ext2Mount.MNT + "/tree", false);
            List<String> diffs = new ArrayList<>();
            for (TreeComparator.Diff d : tree.problems()) diffs.add(d.toString());
            diffs.addAll(ManifestCheck.differences(Corpus.manifest(), tree.nodes()));
            assertThat(diffs).as("%d differences from tree.manifest.json", diffs.size()).isEmpty();
            assertThat(Images.checksum(image)).as("image while mounted read-only").isEqualTo(before);
            sys.unmount(Ext2Mount.MNT, 0);
        }
        assertThat(Images.checksum(image)).as("image after unmount and halt").isEqualTo(before);
    }
}
