package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Images made by e2fsprogs' mke2fs -d from a tree built here, mounted read-only through an etfs block device
 * and read back: names, content, holes, symlinks fast and slow, modes, owners, nanosecond times, user
 * attributes, a directory big enough for an htree index; the image file is never written.
 */
class Ext2ReadTest {
    @TempDir
    Path tmp;

    /** mke2fs argument sets: type and feature variations. */
    static final String[][] VARIANTS = {
            {"ext2", "-t", "ext2", "-b", "1024"},
            {"ext3", "-t", "ext3", "-b", "4096"},
            {"ext4", "-t", "ext4", "-b", "4096"},
            {"ext4-1k", "-t", "ext4", "-b", "1024"},
            {"ext4-nocsum", "-t", "ext4", "-O", "^metadata_csum"},
            {"ext4-inline", "-t", "ext4", "-O", "inline_data"},
            {"ext4-noextent", "-t", "ext4", "-O", "^extent,^64bit"},
    };

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }

    private Path tree(long seed) throws IOException {
        Path t = Files.createDirectory(tmp.resolve("tree"));
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.writeString(t.resolve("hello.txt"), "hello, ext2\n");
        byte[] big = new byte[3 << 20];
        rnd.nextBytes(big);
        Files.write(t.resolve("big.bin"), big);
        try (RandomAccessFile sparse = new RandomAccessFile(t.resolve("sparse").toFile(), "rw")) {
            sparse.seek(5L << 20);
            sparse.write("tail".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(t.resolve("small"), new byte[] {1, 2, 3});
        Path deep = t;
        for (int i = 0; i < 12; i++) deep = Files.createDirectory(deep.resolve("d" + i));
        Files.writeString(deep.resolve("leaf"), "deep");
        Path many = Files.createDirectory(t.resolve("many"));
        for (int i = 0; i < 600; i++) Files.writeString(many.resolve("entry-with-a-longish-name-" + i), Integer.toString(i));
        Files.createSymbolicLink(t.resolve("fast-link"), Path.of("hello.txt"));
        Files.createSymbolicLink(t.resolve("slow-link"), Path.of("x".repeat(100) + "/" + "y".repeat(100)));
        Files.createLink(t.resolve("hard"), t.resolve("hello.txt"));
        Files.writeString(t.resolve("ünïcødé 名前"), "names");
        Files.setPosixFilePermissions(t.resolve("small"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(t.resolve("hello.txt"), FileTime.from(1_600_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Files.setAttribute(t.resolve("small"), "unix:uid", 1234);
        Files.setAttribute(t.resolve("small"), "unix:gid", 5678);
        UserDefinedFileAttributeView x = Files.getFileAttributeView(t.resolve("hello.txt"), UserDefinedFileAttributeView.class);
        x.write("colour", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
        return t;
    }

    private Path image(Path tree, String[] variant) throws Exception {
        Path img = tmp.resolve(variant[0] + ".img");
        List<String> cmd = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-d", tree.toString()));
        for (int i = 1; i < variant.length; i++) cmd.add(variant[i]);
        cmd.addAll(List.of(img.toString(), "32M"));
        run(tmp, cmd.toArray(String[]::new));
        run(tmp, "e2fsck", "-fn", img.toString());
        return img;
    }

    /** mtime seconds and nanoseconds of {@code path} as debugfs decodes the inode ("0xSECONDS[:EXTRA]"). */
    private long[] debugfsMtime(Path img, String path) throws Exception {
        Process p = new ProcessBuilder("debugfs", "-R", "stat " + path, img.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("mtime: 0x([0-9a-f]{8})(?::([0-9a-f]{8}))?").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long sec = Integer.parseUnsignedInt(m.group(1), 16);
        long extra = m.group(2) == null ? 0 : Long.parseLong(m.group(2), 16);
        return new long[] {(int) sec + ((extra & 3) << 32), extra >>> 2};
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static List<String> names(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(4096);
        List<String> out = new ArrayList<>();
        int n;
        while ((n = sys.getdents(fd, b.clear())) > 0) {
            for (Dirent d : Dirent.parse(b.flip(), n)) out.add(d.name());
        }
        sys.close(fd);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void imagesMadeByMke2fs_readBackAsTheirTree(int variantIndex) throws Exception {
        String[] variant = VARIANTS[variantIndex];
        Path tree = tree(42);
        Path img = image(tree, variant);
        String before = sha(img);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            assertThat(sys.statvfs1("/mnt", 0).fstypename()).isEqualTo("ext2fs");

            assertThat(new String(readAll(sys, "/mnt/hello.txt"), StandardCharsets.UTF_8)).isEqualTo("hello, ext2\n");
            assertThat(readAll(sys, "/mnt/big.bin")).isEqualTo(Files.readAllBytes(tree.resolve("big.bin")));
            byte[] sparse = readAll(sys, "/mnt/sparse");
            assertThat(sparse).hasSize((5 << 20) + 4);
            assertThat(java.util.Arrays.copyOf(sparse, 5 << 20)).containsOnly(0);
            assertThat(sys.stat("/mnt/sparse").blocks()).as("a hole costs nothing").isLessThan(64);
            assertThat(new String(readAll(sys, "/mnt/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/leaf"), StandardCharsets.UTF_8)).isEqualTo("deep");
            assertThat(new String(readAll(sys, "/mnt/ünïcødé 名前"), StandardCharsets.UTF_8)).isEqualTo("names");

            List<String> many = names(sys, "/mnt/many");
            assertThat(many).hasSize(602).contains(".", "..", "entry-with-a-longish-name-0", "entry-with-a-longish-name-599");
            assertThat(new String(readAll(sys, "/mnt/many/entry-with-a-longish-name-321"), StandardCharsets.UTF_8)).isEqualTo("321");
            assertThat(names(sys, "/mnt")).contains("hello.txt", "big.bin", "sparse", "many", "fast-link", "slow-link", "lost+found");

            ByteBuffer link = ByteBuffer.allocate(512);
            long n = sys.readlink("/mnt/fast-link", link);
            assertThat(new String(link.array(), 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("hello.txt");
            n = sys.readlink("/mnt/slow-link", link.clear());
            assertThat(new String(link.array(), 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("x".repeat(100) + "/" + "y".repeat(100));
            assertThat(new String(readAll(sys, "/mnt/fast-link"), StandardCharsets.UTF_8)).isEqualTo("hello, ext2\n");

            Stat hello = sys.stat("/mnt/hello.txt");
            assertThat(sys.stat("/mnt/hard").ino()).isEqualTo(hello.ino());
            assertThat(hello.nlink()).isEqualTo(2);
            // mke2fs -d stores whole seconds; what debugfs reads from the inode is what we must report
            long[] disk = debugfsMtime(img, "/hello.txt");
            assertThat(hello.mtime().sec()).isEqualTo(1_600_000_000L).isEqualTo(disk[0]);
            assertThat(hello.mtime().nsec()).isEqualTo(disk[1]);
            Stat small = sys.stat("/mnt/small");
            assertThat(small.mode() & 07777).isEqualTo(0750);
            assertThat(small.uid()).isEqualTo(1234);
            assertThat(small.gid()).isEqualTo(5678);
            assertThat(small.size()).isEqualTo(3);

            ByteBuffer v = ByteBuffer.allocate(16);
            assertThat(sys.getxattr("/mnt/hello.txt", "user.colour", v)).isEqualTo(4);
            assertThat(new String(v.array(), 0, 4, StandardCharsets.UTF_8)).isEqualTo("blue");

            assertThat(errnoOf(() -> sys.open("/mnt/new", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.unlink("/mnt/hello.txt"))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.stat("/mnt/nothing"))).isEqualTo(Errno.ENOENT);
            sys.unmount("/mnt", 0);
        }
        assertThat(sha(img)).as("a read-only mount never writes").isEqualTo(before);
    }
}
