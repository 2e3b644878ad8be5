package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Statvfs;

/** Newfs' file systems mount, take a tree, and read it back identical after a remount. */
class FfsNewfsTest {
    @TempDir
    static Path tmp;
    static Path src;
    static Map<String, TreeWalk.Node> want;

    @BeforeAll
    static void tree() throws Exception {
        src = HostTrees.tree(tmp.resolve("src"), 5, (2 << 20) + 5, 400);
        want = TreeWalk.host(src);
    }

    static Path newfs(Path img, Newfs.Options o) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            Newfs.format(o, (off, data) -> {
                while (data.hasRemaining()) off += ch.write(data, off);
            });
        }
        return img;
    }

    @ParameterizedTest(name = "{0} bytes UFS2={1} {2}/{3} be={4}")
    @CsvSource({
        "33554432,false,0,0,false",
        "33554432,true,0,0,false",
        "100000000,true,8192,1024,true",
        "20000000,false,4096,512,true",
        "300000000,true,65536,8192,false",
        "150000000,false,16384,2048,false"})
    void newfsThenTreeReadsBack(long size, boolean ufs2, int bsize, int fsize, boolean be) throws Exception {
        Path img = newfs(tmp.resolve("n" + size + ufs2 + bsize + be + ".img"), new Newfs.Options(size, ufs2, bsize, fsize, 0, be, 1_700_000_000L));
        long freeBefore;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            assertThat(TreeWalk.names(rk.syscalls(), Mounted.MNT)).containsExactlyInAnyOrder(".", "..");
            Statvfs st = rk.syscalls().statvfs1(Mounted.MNT, 1);
            freeBefore = st.bfree();
            assertThat(freeBefore).isPositive();
            CopyIn.copy(rk.syscalls(), src, Mounted.MNT + "/t", want);
            assertThat(rk.syscalls().statvfs1(Mounted.MNT, 1).bfree()).isLessThan(freeBefore);
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
        Fsck.Report report = FsckRun.fsck(img);
        assertThat(report.problems()).as("fsck: %s", report.output()).isEmpty();
        try (RumpKernel rk = Mounted.readOnly(img)) {
            assertThat(TreeWalk.differences(TreeWalk.kernel(rk.syscalls(), Mounted.MNT + "/t"), want)).isEmpty();
        }
    }
}
