package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.fs.ext2fs.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Images written by the Linux kernel's own ext4 (a loop mount; this test runs as root, as CI does): the
 * tree copied in with cp -a is read back by jrump entry by entry — content, holes, modes, owners,
 * nanosecond times, symlinks, hard links, user attributes, a directory big enough for the kernel to index
 * — from the image after unmount, and from a copy taken while it was still mounted, whose journal needs
 * recovery and which jrump reads through it. Both pass jrump's fsck; e2fsck passes the unmounted one.
 */
class KernelWrittenTest {
    @TempDir
    Path tmp;

    private Path hostTree() throws IOException {
        Path t = Files.createDirectory(tmp.resolve("tree"));
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] big = new byte[(20 << 20) + 7];
        rnd.nextBytes(big);
        Files.write(t.resolve("big"), big);
        try (RandomAccessFile f = new RandomAccessFile(t.resolve("sparse").toFile(), "rw")) {
            f.seek(8L << 20);
            f.write(1);
        }
        Path many = Files.createDirectories(t.resolve("a/b/many"));
        for (int i = 0; i < 3000; i++) Files.writeString(many.resolve("name-" + i), "v" + i);
        Files.createSymbolicLink(t.resolve("fast"), Path.of("a/b"));
        Files.createSymbolicLink(t.resolve("slow"), Path.of("z".repeat(120)));
        Files.writeString(t.resolve("plain"), "plain text");
        Files.createLink(t.resolve("a/hard"), t.resolve("plain"));
        Files.setAttribute(t.resolve("plain"), "unix:uid", 4321);
        Files.setAttribute(t.resolve("plain"), "unix:gid", 8765);
        Files.setLastModifiedTime(t.resolve("plain"), FileTime.from(1_650_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Files.getFileAttributeView(t.resolve("big"), UserDefinedFileAttributeView.class)
                .write("origin", ByteBuffer.wrap("kernel".getBytes(StandardCharsets.UTF_8)));
        return t;
    }

    /** Every entry of the host tree, compared with the same path under /mnt. */
    private static void compare(Syscalls sys, Path tree) throws IOException {
        try (var walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                String rel = tree.relativize(p).toString();
                String at = rel.isEmpty() ? "/mnt" : "/mnt/" + rel;
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,nlink", LinkOption.NOFOLLOW_LINKS);
                Stat s = sys.lstat(at);
                assertThat(s.mode()).as("%s mode", rel).isEqualTo((int) (Integer) a.get("mode"));
                assertThat(s.uid()).as("%s uid", rel).isEqualTo((int) (Integer) a.get("uid"));
                assertThat(s.gid()).as("%s gid", rel).isEqualTo((int) (Integer) a.get("gid"));
                if (Files.isSymbolicLink(p)) {
                    ByteBuffer t = ByteBuffer.allocate(4096);
                    long n = sys.readlink(at, t);
                    assertThat(new String(t.array(), 0, (int) n, StandardCharsets.UTF_8)).as(rel).isEqualTo(Files.readSymbolicLink(p).toString());
                    continue;
                }
                long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                assertThat(s.mtime().sec() * 1_000_000_000L + s.mtime().nsec()).as("%s mtime", rel).isEqualTo(mtime);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    assertThat(s.nlink()).as("%s links", rel).isEqualTo((long) (Integer) a.get("nlink"));
                    assertThat(readAll(sys, at)).as("%s content", rel).isEqualTo(Files.readAllBytes(p));
                }
            }
        }
        ByteBuffer v = ByteBuffer.allocate(16);
        assertThat(sys.getxattr("/mnt/big", "user.origin", v)).isEqualTo(6);
        assertThat(sys.lstat("/mnt/a/hard").ino()).isEqualTo(sys.lstat("/mnt/plain").ino());
        assertThat(sys.stat("/mnt/sparse").blocks()).as("the kernel kept the hole").isLessThan(64);
    }

    private static void readBack(Path img, Path tree) throws IOException {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            compare(sys, tree);
        }
    }

    @Test
    void aTreeTheLinuxKernelWrote_readsBack_alsoFromACopyThatNeedsRecovery() throws Exception {
        Path tree = hostTree();
        run("chmod", "4751", tree.resolve("plain").toString()); // set-uid: what the JDK's permissions cannot say
        Path img = tmp.resolve("kernel.img");
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        run("mke2fs", "-q", "-F", "-t", "ext4", img.toString(), "128M");
        run("mount", "-o", "loop", img.toString(), mnt.toString());
        Path copy = tmp.resolve("mounted-copy.img");
        try {
            run("cp", "-a", tree + "/.", mnt.toString());
            run("sync");
            run("cp", "--sparse=always", img.toString(), copy.toString());
        } finally {
            run("umount", mnt.toString());
        }
        assertThat(run("dumpe2fs", "-h", copy.toString())).contains("needs_recovery");
        assertThat(run("debugfs", "-R", "htree /a/b/many", img.toString())).contains("Root node dump");
        run("e2fsck", "-fn", img.toString());
        readBack(img, tree);
        readBack(copy, tree);
        for (Path p : new Path[] {img, copy}) {
            Fsck.Report r = FsckTest.fsck(p);
            assertThat(r.problems()).as(p + "\n" + String.join("\n", r.output())).isEmpty();
        }
    }
}
