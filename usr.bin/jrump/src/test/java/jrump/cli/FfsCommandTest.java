package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrump newfs -t ffs}, {@code jrump makefs -t ffs} and {@code jrump fsck} on FFS: the made image is
 * clean, sleuthkit (fls) lists what makefs copied in, {@code jrump diff} finds the tree the same, and
 * images Debian's makefs made (either byte order) are detected and checked clean.
 */
class FfsCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String tool(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), s).isZero();
        return s;
    }

    @Test
    void newfsMakefsAndFsck_onFfs() throws Exception {
        Path img = tmp.resolve("new.img");
        assertThat(run("newfs", "-t", "ffs", "-O", "1", "-b", "8192", "-f", "1024", "-s", "32m", img.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("UFS1, ").contains("blocks of 8192 bytes in 1024-byte fragments");
        assertThat(Files.size(img)).isEqualTo(32L << 20);
        assertThat(run("fsck", img.toString())).as("detected as FFS: %s", out).isZero();
        assertThat(out.toString()).contains("Phase 5").contains("clean");

        Path tree = Files.createDirectories(tmp.resolve("tree/sub dir"));
        Files.writeString(tree.resolve("a file.txt"), "content", StandardCharsets.UTF_8);
        Files.write(tree.resolve("big"), new byte[300_000]);
        Files.createSymbolicLink(tmp.resolve("tree/link"), Path.of("sub dir/a file.txt"));
        Files.createLink(tmp.resolve("tree/hard"), tree.resolve("a file.txt"));
        for (String version : new String[] {"1", "2"}) {
            Path made = tmp.resolve("made" + version + ".img");
            assertThat(run("makefs", "-t", "ffs", "-O", version, made.toString(), tmp.resolve("tree").toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("UFS" + version + ", ").contains("5 files copied");
            assertThat(run("fsck", "-t", "ffs", made.toString())).as(out.toString()).isZero();
            assertThat(run("diff", made + ":/", tmp.resolve("tree").toString())).as(out + "" + err).isZero();
            assertThat(run("ls", "-l", made + ":/link")).isZero();
            assertThat(out.toString()).contains("lrwxrwxrwx").contains("-> sub dir/a file.txt");
        }
        assertThat(tool("fls", "-r", "-p", tmp.resolve("made1.img").toString())).contains("sub dir/a file.txt", "hard", "link", "big");

        // Debian's makefs, both byte orders, UFS2 with its superblock at 8192: found, read, checked clean
        for (String order : new String[] {"le", "be"}) {
            Path theirs = tmp.resolve("theirs-" + order + ".img");
            tool("makefs", "-t", "ffs", "-B", order, "-o", "version=2", "-s", "8m", theirs.toString(), tmp.resolve("tree").toString());
            assertThat(run("fsck", theirs.toString())).as(out.toString()).isZero();
            assertThat(run("diff", theirs + ":/", tmp.resolve("tree").toString())).as(out + "" + err).isZero();
        }

        // damage: a used fragment marked free in group 0's map is found
        Path made = tmp.resolve("made1.img");
        try (var ch = java.nio.channels.FileChannel.open(made, java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.READ)) {
            // UFS1 8192/1024: the group block at fragment 24, its free map at cg_freeoff (byte 96 of it); fragment 0 is the boot area
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 24 * 1024 + 96);
            int freeoff = b.getInt(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 24 * 1024 + freeoff);
        }
        assertThat(run("fsck", made.toString())).isEqualTo(4);
        assertThat(out.toString()).contains("WRONGLY FREE");
    }

    /**
     * UFS2 extended attributes through Ukfs on Debian makefs' images in both byte orders: set, replaced,
     * listed and removed, read back after a remount; fsck clean and the files' data unchanged (jrump diff).
     */
    @Test
    void extendedAttributes_throughUkfs_onDebianUfs2() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("xtree/dir"));
        Files.write(tree.resolve("f"), new byte[70_000]);
        for (String order : new String[] {"le", "be"}) {
            Path img = tmp.resolve("x-" + order + ".img");
            tool("makefs", "-t", "ffs", "-B", order, "-o", "version=2", "-s", "8m", img.toString(), tmp.resolve("xtree").toString());
            byte[] big = new byte[12_000]; // makefs chose 8 KiB blocks: a two-block area holds 16 KiB
            new java.util.SplittableRandom(order.hashCode()).nextBytes(big);
            try (jrump.ukfs.Ukfs u = jrump.ukfs.Ukfs.mount(img, jrump.ukfs.Ukfs.Options.writing())) {
                var sys = u.syscalls();
                sys.setxattr(u.kernelPath("/dir/f"), "user.big", java.nio.ByteBuffer.wrap(big), 0);
                sys.setxattr(u.kernelPath("/dir/f"), "user.gone", java.nio.ByteBuffer.wrap(new byte[] {1}), 0);
                sys.setxattr(u.kernelPath("/dir"), "user.colour", java.nio.ByteBuffer.wrap("red".getBytes(StandardCharsets.UTF_8)), 0);
                sys.setxattr(u.kernelPath("/dir"), "user.colour", java.nio.ByteBuffer.wrap("green".getBytes(StandardCharsets.UTF_8)), 0);
                sys.removexattr(u.kernelPath("/dir/f"), "user.gone");
                // more than the two-block area holds: refused, the attributes there stay
                assertThat(jrump.rumpkern.RumpException.errnoOf(() -> sys.setxattr(u.kernelPath("/dir/f"), "user.more",
                        java.nio.ByteBuffer.allocate(8_000), 0))).isEqualTo(jrump.rumpkern.Errno.ENOSPC);
            }
            try (jrump.ukfs.Ukfs u = jrump.ukfs.Ukfs.mount(img, jrump.ukfs.Ukfs.Options.reading())) {
                var sys = u.syscalls();
                java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(20_000);
                assertThat(sys.getxattr(u.kernelPath("/dir/f"), "user.big", v)).isEqualTo(big.length);
                assertThat(java.util.Arrays.copyOf(v.array(), big.length)).isEqualTo(big);
                java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(16);
                assertThat(new String(c.array(), 0, (int) sys.getxattr(u.kernelPath("/dir"), "user.colour", c), StandardCharsets.UTF_8)).isEqualTo("green");
                java.nio.ByteBuffer names = java.nio.ByteBuffer.allocate(256);
                assertThat(new String(names.array(), 0, (int) sys.listxattr(u.kernelPath("/dir/f"), names), StandardCharsets.UTF_8)).isEqualTo("user.big\0");
            }
            assertThat(run("fsck", img.toString())).as(out.toString()).isZero();
            assertThat(run("diff", img + ":/", tmp.resolve("xtree").toString())).as(out + "" + err).isZero();
        }
    }
}
