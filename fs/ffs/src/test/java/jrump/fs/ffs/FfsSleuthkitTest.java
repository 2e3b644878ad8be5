package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Syscalls;

/**
 * UFS1 images written through the kernel (after creates, overwrites, truncations, renames and removals)
 * read back identical by sleuthkit, which nobody here wrote: tsk_recover extracts every allocated file with
 * the content we wrote, fls lists the names, icat reads one file by its inode number.
 */
class FfsSleuthkitTest {
    @TempDir
    Path tmp;

    private static String sha(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void sleuthkitReadsWhatWeWrote() throws Exception {
        Path src = HostTrees.tree(tmp.resolve("src"), 77, (3 << 20) + 99, 600);
        Map<String, TreeWalk.Node> want = TreeWalk.host(src);
        Path img = FfsNewfsTest.newfs(tmp.resolve("u1.img"), new Newfs.Options(64L << 20, false, 8192, 1024, 0, false, 1_700_000_000L));
        long bigIno;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            CopyIn.copy(sys, src, Mounted.MNT + "/t", want);
            // churn: a file grown, cut and grown again, one renamed across directories, one removed
            FfsChurnTest.writeAt(sys, Mounted.MNT + "/t/sizes/f100000", 250_000, new byte[] {1, 2, 3});
            sys.truncate(Mounted.MNT + "/t/sizes/f100000", 70_001);
            FfsChurnTest.writeAt(sys, Mounted.MNT + "/t/sizes/f100000", 90_000, new byte[] {9});
            sys.rename(Mounted.MNT + "/t/sizes/f8193", Mounted.MNT + "/t/many/moved");
            sys.unlink(Mounted.MNT + "/t/sizes/f4097");
            bigIno = sys.stat(Mounted.MNT + "/t/big.bin").ino();
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
        Fsck.Report report = FsckRun.fsck(img);
        assertThat(report.problems()).as("%s", report.output()).isEmpty();
        // what the kernel reads back is what sleuthkit must extract
        Map<String, String> expected = new TreeMap<>();
        try (RumpKernel rk = Mounted.readOnly(img)) {
            for (var e : TreeWalk.kernel(rk.syscalls(), Mounted.MNT + "/t").entrySet()) {
                // tsk_recover leaves out empty files and writes control characters in names as '^'
                String name = e.getKey().replace('\n', '^').replace('\t', '^');
                TreeWalk.Node n = e.getValue();
                if (n.type() == '-' && n.size() > 0) expected.put(name, n.sha());
                // a symlink becomes a file holding its target; for a fast one (in the inode) sleuthkit 4.11 writes
                // zeros of the target's length, from makefs' images too: only the length is compared there
                byte[] target = n.type() == 'l' ? n.link().getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
                if (target != null) expected.put(name, target.length < 60 ? "length " + target.length : sha(target));
            }
        }
        assertThat(expected).containsKey("many/moved").doesNotContainKey("sizes/f4097");
        Path out = tmp.resolve("recovered");
        Tools.run("tsk_recover", "-a", img.toString(), out.toString());
        Map<String, String> got = new TreeMap<>();
        Path root = out.resolve("t");
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                got.put(rel, expected.getOrDefault(rel, "").startsWith("length ") ? "length " + Files.size(p) : TreeWalk.sha(p));
            }
        }
        java.util.List<String> diff = new java.util.ArrayList<>();
        for (var e : expected.entrySet()) if (!e.getValue().equals(got.get(e.getKey()))) diff.add(e.getKey() + (got.containsKey(e.getKey()) ? " differs" : " missing"));
        for (String k : got.keySet()) if (!expected.containsKey(k)) diff.add(k + " extra");
        assertThat(diff).isEmpty();
        String fls = Tools.run("fls", "-r", "-p", img.toString());
        assertThat(fls).contains("t/many/moved", "t/links/long", "t/odd names/with space");
        // the removed name is only there as a deleted entry ("*"), as on any FFS
        assertThat(fls.lines().filter(l -> l.endsWith("t/sizes/f4097"))).allMatch(l -> l.contains(" * "));
        Path big = tmp.resolve("big.icat");
        Tools.run("sh", "-c", "icat '" + img + "' " + bigIno + " > '" + big + "'");
        assertThat(TreeWalk.sha(big)).isEqualTo(TreeWalk.sha(src.resolve("big.bin")));
    }

    /**
     * UFS2: sleuthkit reads files' data and ignores attribute areas, so after attributes are written to every
     * file and directory (areas of a fragment up to two blocks, allocated among the data) fls lists the same
     * tree and tsk_recover extracts the same bytes as before: the attribute writer did not touch data blocks.
     */
    @Test
    void attributesLeaveUfs2DataAsSleuthkitReadsIt() throws Exception {
        Path src = HostTrees.tree(tmp.resolve("src2"), 78, (1 << 20) + 7, 200);
        Map<String, TreeWalk.Node> want = TreeWalk.host(src);
        Path img = FfsNewfsTest.newfs(tmp.resolve("u2.img"), new Newfs.Options(32L << 20, true, 8192, 1024, 0, false, 1_700_000_000L));
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            CopyIn.copy(rk.syscalls(), src, Mounted.MNT + "/t", want);
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
        String flsBefore = Tools.run("fls", "-r", "-p", img.toString());
        Map<String, String> before = recovered(img, "before");
        assertThat(before).hasSizeGreaterThan(100);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(78);
        int tagged = 0;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            for (var e : TreeWalk.kernel(sys, Mounted.MNT + "/t").entrySet()) {
                byte[] v = new byte[1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 16_000 : 900)];
                rnd.nextBytes(v);
                sys.lsetxattr(Mounted.MNT + "/t/" + e.getKey(), "user.tag", java.nio.ByteBuffer.wrap(v), 0);
                tagged++;
            }
            sys.setxattr(Mounted.MNT + "/t", "user.top", java.nio.ByteBuffer.wrap(new byte[5000]), 0);
            sys.unmount(Mounted.MNT, 0);
        }
        assertThat(tagged).isGreaterThan(100);
        Fsck.Report report = FsckRun.fsck(img);
        assertThat(report.problems()).as("%s", report.output()).isEmpty();
        assertThat(Tools.run("fls", "-r", "-p", img.toString())).isEqualTo(flsBefore);
        assertThat(recovered(img, "after")).isEqualTo(before);
    }

    /** tsk_recover's files under t/: relative name to SHA-256. */
    private Map<String, String> recovered(Path img, String name) throws Exception {
        Path out = tmp.resolve("recovered-" + name);
        Tools.run("tsk_recover", "-a", img.toString(), out.toString());
        Map<String, String> got = new TreeMap<>();
        Path root = out.resolve("t");
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) got.put(root.relativize(p).toString(), TreeWalk.sha(p));
        }
        return got;
    }
}
