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

    /**
     * The corpus's rule for writers: the NetBSD-written image passes e2fsck -fn before and after jrump
     * writes to a copy of it — new files, directories, links and symlinks, removals and renames beside the
     * tree — and the tree still matches its manifest afterwards.
     */
    @Test
    void netbsdWrittenExt2Image_staysCleanAfterJrumpWritesToACopy(@TempDir Path tmp) {
        Path image = Corpus.netbsdExt2(tmp);
        Tools.Result before = Tools.run("e2fsck", "-fn", image.toString());
        assertThat(before.exit()).as("e2fsck before: %s", before.out()).isZero();
        try (RumpKernel rk = Ext2Mount.boot(image)) {
            Syscalls sys = rk.syscalls();
            Ext2Mount.mountReadWrite(rk);
            String m = Ext2Mount.MNT;
            sys.mkdir(m + "/added", 0755);
            for (int i = 0; i < 200; i++) {
                int fd = sys.open(m + "/added/f" + i, jrump.rumpkern.Sys.O_WRONLY | jrump.rumpkern.Sys.O_CREAT, 0644);
                sys.write(fd, java.nio.ByteBuffer.wrap(("content " + i + "\n").repeat(i * 10 + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                sys.close(fd);
            }
            sys.symlink("f1", m + "/added/link");
            sys.link(m + "/added/f2", m + "/added/hard");
            for (int i = 0; i < 200; i += 5) sys.unlink(m + "/added/f" + i);
            sys.rename(m + "/added/f3", m + "/renamed");
            sys.mkdir(m + "/added/sub", 0700);
            sys.rename(m + "/added/sub", m + "/sub");
            sys.unmount(m, 0);
        }
        Tools.Result after = Tools.run("e2fsck", "-fn", image.toString());
        assertThat(after.exit()).as("e2fsck after jrump wrote: %s", after.out()).isZero();
        try (RumpKernel rk = Ext2Mount.mountedReadOnly(image)) {
            Syscalls sys = rk.syscalls();
            TreeComparator.Snapshot tree = TreeComparator.kernel(sys, Ext2Mount.MNT + "/tree", false);
            List<String> diffs = new ArrayList<>();
            for (TreeComparator.Diff d : tree.problems()) diffs.add(d.toString());
            diffs.addAll(ManifestCheck.differences(Corpus.manifest(), tree.nodes()));
            assertThat(diffs).as("%d differences from tree.manifest.json", diffs.size()).isEmpty();
            assertThat(sys.stat(Ext2Mount.MNT + "/renamed").size()).isEqualTo(("content 3\n").length() * 31L);
            assertThat(sys.lstat(Ext2Mount.MNT + "/added/hard").nlink()).isEqualTo(2);
            sys.unmount(Ext2Mount.MNT, 0);
        }
    }
}
