package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jrump.rumpvfs.tool.MakefsTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Images built by {@link Makefs} from a host tree: e2fsck -fn finds them clean, debugfs lists and reads the
 * same tree, and jrump's own read-only mount reads back every file, link, mode, owner and time.
 */
class MakefsTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path t = Files.createDirectory(tmp.resolve("tree"));
        SplittableRandom rnd = new SplittableRandom(7);
        Files.writeString(t.resolve("hello.txt"), "hello, makefs\n");
        byte[] big = new byte[(3 << 20) + 123];
        rnd.nextBytes(big);
        Files.write(t.resolve("big.bin"), big);
        try (RandomAccessFile sparse = new RandomAccessFile(t.resolve("sparse").toFile(), "rw")) {
            sparse.seek(2L << 20);
            sparse.write("tail".getBytes(StandardCharsets.UTF_8));
        }
        Files.createFile(t.resolve("empty"));
        Path deep = t;
        for (int i = 0; i < 8; i++) deep = Files.createDirectory(deep.resolve("level" + i));
        Files.writeString(deep.resolve("leaf"), "deep");
        Path many = Files.createDirectory(t.resolve("many"));
        for (int i = 0; i < 500; i++) Files.writeString(many.resolve("file-number-" + i), Integer.toString(i));
        Files.createSymbolicLink(t.resolve("fast"), Path.of("hello.txt"));
        Files.createSymbolicLink(t.resolve("slow"), Path.of("s".repeat(80) + "/" + "t".repeat(80)));
        Files.createLink(t.resolve("hard"), t.resolve("hello.txt"));
        Files.writeString(t.resolve("ünïcødé 名前"), "names");
        Files.setPosixFilePermissions(t.resolve("hello.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(t.resolve("hello.txt"), "unix:uid", 1001);
        Files.setAttribute(t.resolve("hello.txt"), "unix:gid", 2002);
        Files.setLastModifiedTime(t.resolve("hello.txt"), FileTime.from(1_500_000_000_987_654_321L, TimeUnit.NANOSECONDS));
        return t;
    }

    /** The host tree as Makefs nodes: hard links share a node (by file key), times to the nanosecond. */
    private static MakefsTree.Dir model(Path dir, Map<Object, MakefsTree.Node> seen) throws IOException {
        List<Map.Entry<String, MakefsTree.Node>> entries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) entries.add(Map.entry(p.getFileName().toString(), node(p, seen)));
        }
        return new MakefsTree.Dir(attrs(dir), entries);
    }

    private static MakefsTree.Node node(Path p, Map<Object, MakefsTree.Node> seen) throws IOException {
        var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) return model(p, seen);
        if (a.isSymbolicLink()) return new MakefsTree.Symlink(attrs(p), Files.readSymbolicLink(p).toString());
        MakefsTree.Node existing = seen.get(a.fileKey());
        if (existing != null) return existing;
        MakefsTree.Node n = new MakefsTree.File(attrs(p), a.size(), (off, dst) -> {
            try (FileChannel ch = FileChannel.open(p)) {
                return ch.read(dst, off);
            }
        });
        seen.put(a.fileKey(), n);
        return n;
    }

    private static MakefsTree.Attrs attrs(Path p) throws IOException {
        Map<String, Object> u = Files.readAttributes(p, "unix:mode,uid,gid,lastAccessTime,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        return new MakefsTree.Attrs((Integer) u.get("mode") & 07777, (Integer) u.get("uid"), (Integer) u.get("gid"),
                nanos(u.get("lastAccessTime")), nanos(u.get("lastModifiedTime")), nanos(u.get("ctime")));
    }

    private static long nanos(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }

    private Path build(MakefsTree.Dir root, Makefs.Flavor flavor, int bs) throws IOException {
        Path img = tmp.resolve(flavor + "-" + bs + ".img");
        Makefs.Result r;
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            r = Makefs.build(root, new Makefs.Options(flavor, bs, 0, 0, "jrump", null, 42, 1_700_000_000_000_000_000L), (off, data) -> {
                while (data.hasRemaining()) ch.write(data, off + data.position());
            });
            ch.truncate(r.blocks() * r.blockSize());
            if (ch.size() < r.blocks() * r.blockSize()) ch.write(ByteBuffer.allocate(1), r.blocks() * r.blockSize() - 1);
        }
        return img;
    }

    @ParameterizedTest
    @CsvSource({"EXT2,1024", "EXT2,4096", "EXT3,4096", "EXT4,4096", "EXT4,1024"})
    void builtImages_areCleanForE2fsck_andReadBack(Makefs.Flavor flavor, int bs) throws Exception {
        Path tree = tree();
        Path img = build(model(tree, new HashMap<>()), flavor, bs);
        String fsck = Tools.runAnyExit("e2fsck", "-fn", img.toString());
        assertThat(fsck).as(fsck).endsWith("exit 0");
        Fsck.Report ours = FsckTest.fsck(img);
        assertThat(ours.problems()).as(String.join("\n", ours.output())).isEmpty();
        String ls = Tools.runAnyExit("debugfs", "-R", "ls -l /many", img.toString());
        assertThat(ls).contains("file-number-0").contains("file-number-499");
        String cat = Tools.runAnyExit("debugfs", "-R", "cat /level0/level1/level2/level3/level4/level5/level6/level7/leaf", img.toString());
        assertThat(cat).contains("deep");
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            assertThat(readAll(sys, "/mnt/big.bin")).isEqualTo(Files.readAllBytes(tree.resolve("big.bin")));
            assertThat(readAll(sys, "/mnt/sparse")).isEqualTo(Files.readAllBytes(tree.resolve("sparse")));
            assertThat(sys.stat("/mnt/sparse").blocks()).as("holes stay holes").isLessThan(32);
            assertThat(readAll(sys, "/mnt/empty")).isEmpty();
            assertThat(new String(readAll(sys, "/mnt/ünïcødé 名前"), StandardCharsets.UTF_8)).isEqualTo("names");
            assertThat(new String(readAll(sys, "/mnt/many/file-number-321"), StandardCharsets.UTF_8)).isEqualTo("321");
            ByteBuffer link = ByteBuffer.allocate(256);
            long n = sys.readlink("/mnt/slow", link);
            assertThat(new String(link.array(), 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("s".repeat(80) + "/" + "t".repeat(80));
            n = sys.readlink("/mnt/fast", link.clear());
            assertThat(new String(link.array(), 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("hello.txt");
            Stat hello = sys.stat("/mnt/hello.txt");
            assertThat(hello.ino()).isEqualTo(sys.stat("/mnt/hard").ino());
            assertThat(hello.nlink()).isEqualTo(2);
            assertThat(hello.mode() & 07777).isEqualTo(0640);
            assertThat(hello.uid()).isEqualTo(1001);
            assertThat(hello.gid()).isEqualTo(2002);
            assertThat(hello.mtime().sec()).isEqualTo(1_500_000_000L);
            assertThat(hello.mtime().nsec()).isEqualTo(987_654_321L); // 256-byte inodes keep nanoseconds
            assertThat(sys.stat("/mnt/many").nlink()).isEqualTo(2);
            assertThat(sys.stat("/mnt").nlink()).isEqualTo(2 + 3); // level0, many, lost+found
            assertThat(sys.statvfs1("/mnt", 0).ffree()).isPositive();
        }
    }

    @Test
    void anEmptyTree_isNewfs() throws Exception {
        long t = 1_700_000_000_000_000_000L;
        MakefsTree.Dir root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, t, t, t), List.of());
        Path img = tmp.resolve("empty.img");
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Makefs.Result r = Makefs.build(root, new Makefs.Options(Makefs.Flavor.EXT4, 4096, 64L << 20, 0, "new", null, 1, t),
                    (off, data) -> {
                        while (data.hasRemaining()) ch.write(data, off + data.position());
                    });
            assertThat(r.blocks()).isEqualTo(16384);
            ch.truncate(64L << 20);
            ch.write(ByteBuffer.allocate(1), (64L << 20) - 1);
        }
        assertThat(Tools.runAnyExit("e2fsck", "-fn", img.toString())).endsWith("exit 0");
        assertThat(Tools.runAnyExit("dumpe2fs", "-h", img.toString())).contains("Filesystem volume name:   new").contains("metadata_csum");
    }
}
