package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.fs.ext2fs.Tools.run;
import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Read-write mounts of images mke2fs made, in each layout a user meets (ext2 with 1 KiB blocks and
 * indirect blocks, ext3, ext4 as Debian makes it with metadata_csum, 64bit and flex_bg in 1 and 4 KiB
 * blocks, ext4 with uninit_bg's crc16 descriptors, ext4 with many small groups, ext2 with 128-byte
 * inodes): a fixed scenario of everything a user does, then
 * a seeded random sequence of file operations checked against a model. Afterwards e2fsck -fn must find the
 * image clean, the Linux kernel's ext4 (a loop mount) must read back exactly the model, and so must jrump
 * after mounting it again.
 */
class Ext2WriteTest {
    private static final String[][] VARIANTS = {
            {"-t", "ext2", "-b", "1024"},
            {"-t", "ext3", "-b", "2048"},
            {"-t", "ext4"},
            {"-t", "ext4", "-O", "^metadata_csum,uninit_bg"},
            {"-t", "ext4", "-b", "1024", "-g", "2048", "-N", "2048"},
            {"-t", "ext4", "-b", "4096"},
            {"-t", "ext2", "-I", "128"},
    };

    @TempDir
    Path tmp;

    private Path mke2fs(String[] variant, String size) throws Exception {
        Path img = tmp.resolve("img");
        List<String> cmd = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-E", "lazy_itable_init=1"));
        cmd.addAll(List.of(variant));
        cmd.add(img.toString());
        cmd.add(size);
        run(cmd.toArray(String[]::new));
        return img;
    }

    /** What the tree should hold: path → content (files), "->target" (symlinks), null (directories). */
    private final Map<String, byte[]> model = new TreeMap<>();
    /** Extended attributes the scenario set: path → name → value. */
    private final Map<String, Map<String, byte[]>> xattrs = new TreeMap<>();

    private void write(Syscalls sys, String path, byte[] data, long at) {
        int fd = sys.open("/mnt" + path, Sys.O_WRONLY | Sys.O_CREAT, 0644);
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) sys.pwrite(fd, b, at + b.position());
        } finally {
            sys.close(fd);
        }
        byte[] old = model.getOrDefault(path, new byte[0]);
        byte[] now = java.util.Arrays.copyOf(old, (int) Math.max(old.length, at + data.length));
        System.arraycopy(data, 0, now, (int) at, data.length);
        model.put(path, now);
    }

    private static byte[] random(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] link(String target) {
        return ("->" + target).getBytes(StandardCharsets.UTF_8);
    }

    /** Content equality, reported by size and first difference instead of every byte. */
    private static void assertSame(byte[] actual, byte[] expected, String what) {
        int diff = java.util.Arrays.mismatch(actual, expected);
        assertThat(diff).as("%s: %d bytes read, %d expected, first difference at %d", what, actual.length, expected.length, diff).isEqualTo(-1);
    }

    /** The fixed part: every kind of change once. */
    private void scenario(Syscalls sys, SplittableRandom rnd) {
        sys.mkdir("/mnt/d1", 0755);
        sys.mkdir("/mnt/d1/d2", 0700);
        model.put("/d1", null);
        model.put("/d1/d2", null);
        write(sys, "/small", "hello, ext2 writer\n".getBytes(StandardCharsets.UTF_8), 0);
        byte[] big = random(rnd, 3 << 20);
        for (int off = 0; off < big.length; off += 100_000) {
            write(sys, "/d1/big", java.util.Arrays.copyOfRange(big, off, Math.min(big.length, off + 100_000)), off);
        }
        write(sys, "/sparse", new byte[] {7}, 9L << 20);
        write(sys, "/sparse", new byte[] {9}, 4096 * 13 + 5);
        sys.symlink("d1/d2", "/mnt/fast");
        model.put("/fast", link("d1/d2"));
        String longTarget = "t".repeat(200);
        sys.symlink(longTarget, "/mnt/d1/slow");
        model.put("/d1/slow", link(longTarget));
        sys.link("/mnt/small", "/mnt/d1/hard");
        model.put("/d1/hard", model.get("/small"));
        assertThat(sys.stat("/mnt/small").nlink()).isEqualTo(2);
        // a directory moves to another parent; a file replaces another
        write(sys, "/d1/d2/inner", "inner".getBytes(StandardCharsets.UTF_8), 0);
        sys.rename("/mnt/d1/d2", "/mnt/d3");
        model.remove("/d1/d2");
        model.put("/d3", null);
        model.put("/d3/inner", model.remove("/d1/d2/inner"));
        assertThat(sys.stat("/mnt/d3/..").ino()).isEqualTo(sys.stat("/mnt").ino());
        write(sys, "/victim", "to be replaced".getBytes(StandardCharsets.UTF_8), 0);
        write(sys, "/d3/winner", "winner".getBytes(StandardCharsets.UTF_8), 0);
        sys.rename("/mnt/d3/winner", "/mnt/victim");
        model.put("/victim", model.remove("/d3/winner"));
        assertThat(errnoOf(() -> sys.rename("/mnt/d1", "/mnt/d1/sub"))).isIn(Errno.EINVAL, Errno.ENOENT);
        // a directory of several blocks, thinned out
        sys.mkdir("/mnt/many", 0755);
        model.put("/many", null);
        for (int i = 0; i < 300; i++) write(sys, "/many/entry-with-a-longish-name-" + i, ("#" + i).getBytes(StandardCharsets.UTF_8), 0);
        for (int i = 0; i < 300; i += 3) {
            sys.unlink("/mnt/many/entry-with-a-longish-name-" + i);
            model.remove("/many/entry-with-a-longish-name-" + i);
        }
        // truncation, down into a block and up again
        sys.truncate("/mnt/d1/big", (3 << 19) + 100);
        model.put("/d1/big", java.util.Arrays.copyOf(model.get("/d1/big"), (3 << 19) + 100));
        sys.truncate("/mnt/d1/big", (3 << 19) + 5000);
        model.put("/d1/big", java.util.Arrays.copyOf(model.get("/d1/big"), (3 << 19) + 5000));
        // attributes
        sys.chmod("/mnt/small", 0600);
        sys.chown("/mnt/small", 1234, 5678);
        sys.utimes("/mnt/small", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_000_000, 5), new jrump.rumpkern.Timeval(1_600_000_000, 250_000)});
        sys.mkfifo("/mnt/fifo", 0640);
        model.put("/fifo", "|fifo".getBytes(StandardCharsets.UTF_8));
        // an open file loses its last name, is written, then closed: its space comes back
        int fd = sys.open("/mnt/doomed", Sys.O_RDWR | Sys.O_CREAT, 0644);
        sys.unlink("/mnt/doomed");
        sys.write(fd, ByteBuffer.wrap(random(rnd, 200_000)));
        assertThat(sys.fstat(fd).size()).isEqualTo(200_000);
        sys.close(fd);
        sys.mkdir("/mnt/gone", 0755);
        sys.rmdir("/mnt/gone");
        // extended attributes: small ones in the inode, big ones spilling into a block, one removed, one replaced
        sys.setxattr("/mnt/small", "user.colour", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)), 0);
        sys.setxattr("/mnt/small", "user.colour", ByteBuffer.wrap("green".getBytes(StandardCharsets.UTF_8)), 0);
        xattrs.put("/small", Map.of("user.colour", "green".getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> many = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            byte[] v = random(rnd, 40 + 30 * i);
            sys.setxattr("/mnt/victim", "user.attr" + i, ByteBuffer.wrap(v), 0);
            many.put("user.attr" + i, v);
        }
        sys.removexattr("/mnt/victim", "user.attr2");
        many.remove("user.attr2");
        xattrs.put("/victim", many);
        assertThat(errnoOf(() -> sys.removexattr("/mnt/victim", "user.attr2"))).isEqualTo(Errno.ENOATTR);
        // more than a block holds (no ea_inode): ENOSPC, and the attributes already there stay
        assertThat(errnoOf(() -> sys.setxattr("/mnt/victim", "user.huge", ByteBuffer.allocate(60_000), 0))).isEqualTo(Errno.ENOSPC);
        assertThat(errnoOf(() -> sys.rmdir("/mnt/d1"))).isEqualTo(Errno.ENOTEMPTY);
    }

    /** The random part: creates, appends, overwrites, truncations, renames and removals among a few directories. */
    private void randomOps(Syscalls sys, SplittableRandom rnd, int steps) {
        String[] dirs = {"", "/d1", "/d3", "/many"};
        for (int step = 0; step < steps; step++) {
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : model.entrySet()) {
                byte[] v = e.getValue();
                boolean linked = e.getKey().equals("/small") || e.getKey().equals("/d1/hard"); // two names, one content
                if (v != null && !(v.length >= 2 && v[0] == '-' && v[1] == '>') && !e.getKey().equals("/fifo") && !linked) files.add(e.getKey());
            }
            String dir = dirs[rnd.nextInt(dirs.length)];
            switch (rnd.nextInt(6)) {
                case 0 -> write(sys, dir + "/r" + rnd.nextInt(1000), random(rnd, rnd.nextInt(70_000)), 0);
                case 1 -> {
                    String f = files.get(rnd.nextInt(files.size()));
                    write(sys, f, random(rnd, 1 + rnd.nextInt(20_000)), rnd.nextInt(model.get(f).length + 1));
                }
                case 2 -> {
                    String f = files.get(rnd.nextInt(files.size()));
                    int len = rnd.nextInt(model.get(f).length + 10_000);
                    sys.truncate("/mnt" + f, len);
                    model.put(f, java.util.Arrays.copyOf(model.get(f), len));
                }
                case 3 -> {
                    String f = files.get(rnd.nextInt(files.size()));
                    String to = dirs[rnd.nextInt(dirs.length)] + "/m" + rnd.nextInt(1000);
                    if (model.containsKey(to) && model.get(to) == null) break;
                    sys.rename("/mnt" + f, "/mnt" + to);
                    model.put(to, model.remove(f));
                    xattrs.remove(to);
                    if (xattrs.containsKey(f)) xattrs.put(to, xattrs.remove(f));
                }
                case 4 -> {
                    String f = files.get(rnd.nextInt(files.size()));
                    sys.unlink("/mnt" + f);
                    model.remove(f);
                    xattrs.remove(f);
                }
                default -> {
                    String f = files.get(rnd.nextInt(files.size()));
                    assertSame(readAll(sys, "/mnt" + f), model.get(f), "step " + step + ": " + f);
                }
            }
        }
    }

    /** jrump's own view of the tree against the model. */
    private void compare(Syscalls sys) {
        for (Map.Entry<String, Map<String, byte[]>> f : xattrs.entrySet()) {
            for (Map.Entry<String, byte[]> x : f.getValue().entrySet()) {
                ByteBuffer v = ByteBuffer.allocate(4096);
                long n = sys.getxattr("/mnt" + f.getKey(), x.getKey(), v);
                assertSame(java.util.Arrays.copyOf(v.array(), (int) n), x.getValue(), f.getKey() + " " + x.getKey());
            }
        }
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            String at = "/mnt" + e.getKey();
            Stat s = sys.lstat(at);
            byte[] v = e.getValue();
            if (v == null) {
                assertThat(s.mode() & Stat.S_IFMT).as(at).isEqualTo(Stat.S_IFDIR);
            } else if (v.length >= 2 && v[0] == '-' && v[1] == '>') {
                ByteBuffer t = ByteBuffer.allocate(4096);
                long n = sys.readlink(at, t);
                assertThat("->" + new String(t.array(), 0, (int) n, StandardCharsets.UTF_8)).as(at).isEqualTo(new String(v, StandardCharsets.UTF_8));
            } else if (e.getKey().equals("/fifo")) {
                assertThat(s.mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFIFO);
            } else {
                assertSame(readAll(sys, at), v, at);
            }
        }
    }

    /** debugfs' view: rdump of the whole tree, every file's content and every symlink's target against the model. */
    private void compareWithDebugfs(Path img) throws Exception {
        Path out = Files.createDirectory(tmp.resolve("rdump"));
        run("debugfs", "-R", "rdump / " + out, img.toString());
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            Path p = out.resolve(e.getKey().substring(1));
            byte[] v = e.getValue();
            if (v == null) {
                assertThat(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).as("debugfs: %s", e.getKey()).isTrue();
            } else if (v.length >= 2 && v[0] == '-' && v[1] == '>') {
                assertThat("->" + Files.readSymbolicLink(p)).as("debugfs: %s", e.getKey()).isEqualTo(new String(v, StandardCharsets.UTF_8));
            } else if (!e.getKey().equals("/fifo")) {
                assertSame(Files.readAllBytes(p), v, "debugfs reads " + e.getKey());
            }
        }
    }

    /** The Linux kernel's view (read-only loop mount) against the model, names included. */
    private void compareWithLinux(Path img, boolean nanoseconds) throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("linux"));
        run("mount", "-o", "ro,loop", img.toString(), mnt.toString());
        try {
            List<String> seen = new ArrayList<>();
            try (var walk = Files.walk(mnt)) {
                for (Path p : walk.toList()) {
                    String rel = "/" + mnt.relativize(p);
                    if (rel.equals("/") || rel.startsWith("/lost+found")) continue;
                    seen.add(rel);
                    assertThat(model).as("Linux sees %s", rel).containsKey(rel);
                    byte[] v = model.get(rel);
                    if (v == null) {
                        assertThat(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).as(rel).isTrue();
                    } else if (Files.isSymbolicLink(p)) {
                        assertThat("->" + Files.readSymbolicLink(p)).as(rel).isEqualTo(new String(v, StandardCharsets.UTF_8));
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        assertSame(Files.readAllBytes(p), v, "Linux reads " + rel);
                    }
                }
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(model.keySet());
            for (Map.Entry<String, Map<String, byte[]>> f : xattrs.entrySet()) {
                if (!model.containsKey(f.getKey())) continue;
                var view = Files.getFileAttributeView(mnt.resolve(f.getKey().substring(1)), java.nio.file.attribute.UserDefinedFileAttributeView.class);
                assertThat(view.list()).as("Linux lists the attributes of %s", f.getKey())
                        .containsExactlyInAnyOrderElementsOf(f.getValue().keySet().stream().map(k -> k.substring(5)).toList());
                for (Map.Entry<String, byte[]> x : f.getValue().entrySet()) {
                    ByteBuffer v = ByteBuffer.allocate(view.size(x.getKey().substring(5)));
                    view.read(x.getKey().substring(5), v);
                    assertSame(v.array(), x.getValue(), "Linux reads " + f.getKey() + " " + x.getKey());
                }
            }
            Map<String, Object> small = Files.readAttributes(mnt.resolve("small"), "unix:mode,uid,gid,lastModifiedTime,nlink");
            assertThat((Integer) small.get("mode") & 07777).isEqualTo(0600);
            assertThat(small.get("uid")).isEqualTo(1234);
            assertThat(small.get("gid")).isEqualTo(5678);
            assertThat(small.get("nlink")).isEqualTo(2);
            assertThat(((java.nio.file.attribute.FileTime) small.get("lastModifiedTime")).to(TimeUnit.MICROSECONDS))
                    .isEqualTo(1_600_000_000_000_000L + (nanoseconds ? 250_000 : 0));
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static boolean smallInodes(int variantIndex) {
        return java.util.Arrays.asList(VARIANTS[variantIndex]).contains("128");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void changesMadeByJrump_passE2fsck_andReadBackInLinuxAndJrump(int variantIndex) throws Exception {
        long seed = 1000 + variantIndex;
        Path img = mke2fs(VARIANTS[variantIndex], "64M");
        SplittableRandom rnd = new SplittableRandom(seed);
        long freeBefore;
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            freeBefore = sys.statvfs1("/mnt", 0).bfree();
            try {
                scenario(sys, rnd);
                randomOps(sys, rnd, 300);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
            compare(sys);
            assertThat(sys.stat("/mnt/small").mtime().nsec()).as("what the inode keeps").isEqualTo(smallInodes(variantIndex) ? 0 : 250_000_000L);
            assertThat(sys.statvfs1("/mnt", 0).bfree()).isLessThan(freeBefore);
            sys.unmount("/mnt", 0);
        }
        run("e2fsck", "-fn", img.toString());
        compareWithDebugfs(img);
        compareWithLinux(img, !smallInodes(variantIndex));
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            compare(sys);
            sys.unmount("/mnt", 0);
        }
    }
}
