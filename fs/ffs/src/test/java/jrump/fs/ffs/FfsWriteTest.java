package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpKernel;

/**
 * A tree copied into a makefs image through a read-write mount reads back identical after a remount:
 * content, types, modes, owners, nanosecond times, link counts and shared inodes; both UFS versions and
 * byte orders, several block sizes.
 */
class FfsWriteTest {
    @TempDir
    static Path tmp;
    static Path src;
    static Path empty;
    static Map<String, TreeWalk.Node> want;

    @BeforeAll
    static void tree() throws Exception {
        src = HostTrees.tree(tmp.resolve("src"), 21, (5 << 20) + 777, 700);
        want = TreeWalk.host(src);
        empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("seed"), "made by makefs\n");
    }

    static Path emptyImage(String name, int version, boolean be, String options) throws Exception {
        return Tools.makefs(tmp.resolve(name), empty, be, "version=" + version + (options == null ? "" : "," + options), "-s", "48m", "-f", "6000"); // room for the copied tree: makefs sizes inodes by its own content
    }

    @ParameterizedTest(name = "UFS{0} be={1} {2}")
    @CsvSource(delimiter = ';', value = {
        "1;false;bsize=8192,fsize=1024",
        "2;false;bsize=8192,fsize=1024",
        "1;true;bsize=4096,fsize=512",
        "2;true;bsize=16384,fsize=2048",
        "2;false;bsize=32768,fsize=4096"})
    void treeWrittenReadsBackIdentical(int version, boolean be, String options) throws Exception {
        Path img = emptyImage("w" + version + be + options.hashCode() + ".img", version, be, options);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            CopyIn.copy(rk.syscalls(), src, Mounted.MNT + "/copy", want);
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
        Fsck.Report report = FsckRun.fsck(img);
        assertThat(report.problems()).as("fsck: %s", report.output()).isEmpty();
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Map<String, TreeWalk.Node> got = TreeWalk.kernel(rk.syscalls(), Mounted.MNT + "/copy");
            assertThat(TreeWalk.differences(got, want)).isEmpty();
        }
    }
}
