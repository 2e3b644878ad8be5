package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpKernel;

/**
 * Images made by Debian's makefs read back identical: content, types, modes, owners, mtimes, link counts
 * and which names share an inode; UFS1 and UFS2, both byte orders, block sizes from 4 to 64 KiB.
 */
class FfsReadTest {
    @TempDir
    static Path tmp;
    static Path src;
    static Map<String, TreeWalk.Node> want;

    @BeforeAll
    static void tree() throws Exception {
        src = HostTrees.tree(tmp.resolve("src"), 8, (6 << 20) + 12345, 1500);
        want = TreeWalk.host(src);
    }

    @ParameterizedTest(name = "{0} be={1} {2}")
    @CsvSource(delimiter = ';', value = {
        "1;false;bsize=8192,fsize=1024",
        "2;false;bsize=8192,fsize=1024",
        "1;true;bsize=8192,fsize=1024",
        "2;true;bsize=8192,fsize=1024",
        "1;false;bsize=4096,fsize=512",
        "2;false;bsize=32768,fsize=4096",
        "1;true;bsize=65536,fsize=8192",
        "2;false;bsize=16384,fsize=2048,density=2048"})
    void makefsImageReadsBackIdentical(int version, boolean bigEndian, String options) throws Exception {
        Path img = tmp.resolve("v" + version + bigEndian + options.hashCode() + ".img");
        Tools.makefs(img, src, bigEndian, "version=" + version + "," + options, "-b", "10%"); // makefs sizes some layouts too tight without slack
        Fsck.Report report = FsckRun.fsck(img);
        assertThat(report.problems()).as("fsck: %s", report.output()).isEmpty();
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Map<String, TreeWalk.Node> got = TreeWalk.kernel(rk.syscalls(), Mounted.MNT);
            // Debian's makefs stores whole-second times, and its own reading of the tree moved the atimes
            assertThat(TreeWalk.differences(TreeWalk.times(got, true, false, true), TreeWalk.times(want, true, false, true))).isEmpty();
            assertThat(got.values()).allMatch(n -> n.mtime() % 1_000_000_000L == 0);
            // sendfile (VOP_BMAP's runs moved by the host from the image) gives what read gives
            for (var e : got.entrySet()) {
                if (e.getValue().type() != '-') continue;
                String path = Mounted.MNT + "/" + e.getKey();
                assertThat(sendAll(rk, path)).as("sendfile of %s", e.getKey()).isEqualTo(readAll(rk, path));
            }
        }
    }

    private static byte[] readAll(RumpKernel rk, String path) {
        var sys = rk.syscalls();
        int fd = sys.open(path, jrump.rumpkern.Sys.O_RDONLY, 0);
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) sys.fstat(fd).size());
            while (b.hasRemaining() && sys.read(fd, b) > 0) {
                // to the end
            }
            return java.util.Arrays.copyOf(b.array(), b.position());
        } finally {
            sys.close(fd);
        }
    }

    private static byte[] sendAll(RumpKernel rk, String path) {
        var sys = rk.syscalls();
        int fd = sys.open(path, jrump.rumpkern.Sys.O_RDONLY, 0);
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            rk.pub().fdSendfile(fd, 0, sys.fstat(fd).size(), java.nio.channels.Channels.newChannel(out));
            return out.toByteArray();
        } finally {
            sys.close(fd);
        }
    }
}
