package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Syscalls;

/**
 * Damaged images: superblocks, inodes, block pointers and directories broken on purpose end in a clear
 * errno (EFTYPE for what is not FFS, EIO for damage), and hundreds of seeded mutants of a valid image are
 * mounted or refused, walked and read, then mounted read-write and changed, every failure an errno: never
 * another exception, a panic or a hang.
 */
@Timeout(300)
class FfsRobustnessTest {
    @TempDir
    static Path tmp;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = Files.createDirectories(tmp.resolve("src"));
        SplittableRandom rnd = new SplittableRandom(3);
        HostTrees.write(src.resolve("big.bin"), 300_000, rnd);
        HostTrees.write(src.resolve("small"), 700, rnd);
        Path d = Files.createDirectories(src.resolve("dir/sub"));
        for (int i = 0; i < 60; i++) HostTrees.write(d.resolve("file" + i), rnd.nextInt(5000), rnd);
        Files.createSymbolicLink(src.resolve("link"), Path.of("dir/sub/file1"));
    }

    private static Path image(String name, int version) throws Exception {
        return Tools.makefs(tmp.resolve(name), src, false, "version=" + version, "-b", "10%");
    }

    private static long ino(Path img, String path) {
        try (RumpKernel rk = Mounted.readOnly(img)) {
            return rk.syscalls().lstat(Mounted.MNT + path).ino();
        }
    }

    @Test
    void noSuperblockIsEftype() throws Exception {
        Path img = tmp.resolve("zeros.img");
        Files.write(img, new byte[1 << 20]);
        assertThat(mountErrno(img)).isEqualTo(Errno.EFTYPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void impossibleGeometryIsEftype(int version) throws Exception {
        for (int field : new int[] {Superblock.O_BSIZE, Superblock.O_FSIZE, Superblock.O_NCG, Superblock.O_IPG, Superblock.O_INOPB, Superblock.O_NINDIR}) {
            Path img = image("geom" + version + "-" + field + ".img", version);
            try (Image im = new Image(img)) {
                im.putInt(im.sb.location + field, field == Superblock.O_NCG ? 0 : 12345);
            }
            assertThat(mountErrno(img)).as("field at %d", field).isEqualTo(Errno.EFTYPE);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void unallocatedRootIsEio(int version) throws Exception {
        Path img = image("root" + version + ".img", version);
        try (Image im = new Image(img)) {
            Dinode d = im.inode(Ffs.ROOTINO);
            d.mode = 0;
            im.putInode(Ffs.ROOTINO, d);
        }
        assertThat(mountErrno(img)).isEqualTo(Errno.EIO);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void blockPointersOutsideTheFileSystemAreEio(int version) throws Exception {
        Path img = image("ptr" + version + ".img", version);
        long big = ino(img, "/big.bin");
        try (Image im = new Image(img)) {
            Dinode d = im.inode(big);
            d.db[3] = im.sb.size + 100; // a direct block
            d.ib[0] = version == 1 ? 0xfffffff0L : Long.MAX_VALUE / 2; // the indirect block
            im.putInode(big, d);
        }
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Syscalls sys = rk.syscalls();
            assertThat(RumpException.errnoOf(() -> TreeWalk.sha(sys, Mounted.MNT + "/big.bin"))).isEqualTo(Errno.EIO);
            // the rest of the file system is still there
            assertThat(TreeWalk.sha(sys, Mounted.MNT + "/small")).isEqualTo(TreeWalk.sha(src.resolve("small")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void brokenDirectoryEntriesAreEio(int version) throws Exception {
        Path img = image("dir" + version + ".img", version);
        long sub = ino(img, "/dir/sub");
        try (Image im = new Image(img)) {
            Dinode d = im.inode(sub);
            long at = d.db[0] * im.sb.fsize;
            // the first entry (".") keeps its place; its record length becomes impossible
            im.write(at + 4, ByteBuffer.allocate(2).order(im.sb.order).putShort((short) 6).array());
        }
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Syscalls sys = rk.syscalls();
            assertThat(RumpException.errnoOf(() -> TreeWalk.names(sys, Mounted.MNT + "/dir/sub"))).isEqualTo(Errno.EIO);
            assertThat(RumpException.errnoOf(() -> sys.lstat(Mounted.MNT + "/dir/sub/file3"))).isEqualTo(Errno.EIO);
            assertThat(TreeWalk.names(sys, Mounted.MNT)).contains("big.bin", "dir");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void inodeNumbersOutOfRangeAreEio(int version) throws Exception {
        Path img = image("ino" + version + ".img", version);
        long dir = ino(img, "/dir");
        try (Image im = new Image(img)) {
            Dinode d = im.inode(dir);
            long at = d.db[0] * im.sb.fsize;
            // "." then ".." then "sub": the third entry's inode number past the last inode
            int dotdot = ByteBuffer.wrap(im.read(at + 4, 2)).order(im.sb.order).getShort() & 0xffff;
            int sub = dotdot + (ByteBuffer.wrap(im.read(at + dotdot + 4, 2)).order(im.sb.order).getShort() & 0xffff);
            im.putInt(at + sub, (int) im.sb.inodeCount() + 5);
        }
        try (RumpKernel rk = Mounted.readOnly(img)) {
            assertThat(RumpException.errnoOf(() -> rk.syscalls().lstat(Mounted.MNT + "/dir/sub"))).isEqualTo(Errno.EIO);
        }
    }

    /** A UFS2 image whose /small carries three attributes (written through the kernel) and /dir one. */
    private static Path withAttributes(String name) throws Exception {
        Path img = image(name, 2);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            SplittableRandom rnd = new SplittableRandom(9);
            for (int i = 0; i < 3; i++) {
                byte[] v = new byte[50 + 700 * i];
                rnd.nextBytes(v);
                sys.setxattr(Mounted.MNT + "/small", "user.attr" + i, ByteBuffer.wrap(v), 0);
            }
            sys.setxattr(Mounted.MNT + "/dir", "user.d", ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            sys.unmount(Mounted.MNT, 0);
        }
        return img;
    }

    /** Each way an attribute area can be impossible is EIO for the calls on it; the file's data and the rest stay readable. */
    @ParameterizedTest
    @ValueSource(strings = {"extsize past two blocks", "block outside", "length 0", "length past the area", "length not a multiple of 8",
        "name past the record", "padding past the content"})
    void damagedAttributeAreasAreEio(String kind) throws Exception {
        Path img = withAttributes("ext-" + kind.replace(' ', '-') + ".img");
        long small = ino(img, "/small");
        try (Image im = new Image(img)) {
            Dinode d = im.inode(small);
            long area = d.extb[0] * im.sb.fsize;
            ByteBuffer len = ByteBuffer.allocate(4).order(im.sb.order);
            switch (kind) {
                case "extsize past two blocks" -> d.extsize = 2 * im.sb.bsize + 8;
                case "block outside" -> d.extb[0] = im.sb.size + 10;
                case "length 0" -> im.write(area, len.putInt(0, 0).array());
                case "length past the area" -> im.write(area, len.putInt(0, d.extsize + 8).array());
                case "length not a multiple of 8" -> im.write(area, len.putInt(0, 61).array());
                case "name past the record" -> im.write(area + 6, new byte[] {(byte) 250});
                case "padding past the content" -> im.write(area + 5, new byte[] {(byte) 200});
                default -> throw new AssertionError(kind);
            }
            im.putInode(small, d);
        }
        Fsck.Report r = FsckRun.fsck(img);
        assertThat(r.exitStatus()).as("%s", r.output()).isEqualTo(Fsck.EXIT_UNCORRECTED);
        assertThat(r.problems()).as("%s", r.output()).anyMatch(p -> p.contains("EXTATTR") || p.contains("BAD BLOCK"));
        String m = Mounted.MNT;
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Syscalls sys = rk.syscalls();
            assertThat(RumpException.errnoOf(() -> sys.getxattr(m + "/small", "user.attr0", ByteBuffer.allocate(100)))).isEqualTo(Errno.EIO);
            assertThat(RumpException.errnoOf(() -> sys.listxattr(m + "/small", ByteBuffer.allocate(100)))).isEqualTo(Errno.EIO);
            assertThat(TreeWalk.sha(sys, m + "/small")).isEqualTo(TreeWalk.sha(src.resolve("small")));
            assertThat(sys.getxattr(m + "/dir", "user.d", ByteBuffer.allocate(8))).isEqualTo(3);
        }
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            assertThat(RumpException.errnoOf(() -> sys.setxattr(m + "/small", "user.new", ByteBuffer.allocate(8), 0))).isEqualTo(Errno.EIO);
            assertThat(RumpException.errnoOf(() -> sys.removexattr(m + "/small", "user.attr1"))).isEqualTo(Errno.EIO);
            attempt(() -> sys.unlink(m + "/small")); // freeing the damaged area: an errno on the console at most
            sys.unmount(m, 0);
        }
    }

    /** Mutants of an attribute area and the inode fields that place it: every call an answer or an errno. */
    @Test
    void seededAttributeAreaMutantsEndInErrnos() throws Exception {
        Path valid = withAttributes("ext-valid.img");
        long small = ino(valid, "/small");
        long areaAt;
        long inodeAt;
        int extsize;
        try (Image im = new Image(valid)) {
            Dinode d = im.inode(small);
            areaAt = d.extb[0] * im.sb.fsize;
            inodeAt = im.sb.inodeOffset(small);
            extsize = d.extsize;
        }
        int eio = 0;
        for (int i = 0; i < 120; i++) {
            long seed = 900_000L + i;
            Path img = Files.copy(valid, tmp.resolve("ext-mutant.img"), StandardCopyOption.REPLACE_EXISTING);
            SplittableRandom rnd = new SplittableRandom(seed);
            try (Image im = new Image(img)) {
                int flips = 1 + rnd.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    // mostly the records' headers and names; sometimes di_extsize and di_extb (inode bytes 92-111)
                    long at = rnd.nextInt(5) == 0 ? inodeAt + 92 + rnd.nextInt(20) : areaAt + rnd.nextInt(Math.min(extsize, 256));
                    im.write(at, new byte[] {(byte) rnd.nextInt(256)});
                }
            }
            try {
                Fsck.Report r = FsckRun.fsck(img);
                assertThat(r.exitStatus()).as("%s", r.output()).isIn(Fsck.EXIT_CLEAN, Fsck.EXIT_UNCORRECTED, Fsck.EXIT_OPERATIONAL);
                try (RumpKernel rk = Mounted.mount(img, 0)) {
                    Syscalls sys = rk.syscalls();
                    String f = Mounted.MNT + "/small";
                    if (RumpException.errnoOf(() -> sys.listxattr(f, ByteBuffer.allocate(4096))) == Errno.EIO) eio++;
                    for (int k = 0; k < 3; k++) {
                        String name = "user.attr" + k;
                        attempt(() -> sys.getxattr(f, name, ByteBuffer.allocate(4096)));
                    }
                    attempt(() -> sys.setxattr(f, "user.more", ByteBuffer.allocate(3000), 0));
                    attempt(() -> sys.removexattr(f, "user.attr1"));
                    attempt(() -> sys.unlink(f));
                    attempt(() -> sys.unmount(Mounted.MNT, 0));
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("attribute mutant seed " + seed, e);
            }
        }
        assertThat(eio).as("mutants whose area was found damaged").isGreaterThan(20);
    }

    /** Mutants: 1-12 random bytes in the superblock, the cylinder group, the inodes and the first data blocks. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void seededMutantsEndInErrnos(int version) throws Exception {
        Path valid = image("valid" + version + ".img", version);
        long sbAt;
        long metadataEnd;
        try (Image im = new Image(valid)) {
            sbAt = im.sb.location;
            metadataEnd = (im.sb.cgdmin(0) + 64L * im.sb.frag) * im.sb.fsize;
        }
        Long only = Long.getLong("ffs.mutant"); // -Dffs.mutant=SEED reruns one mutant
        written = 0;
        for (int i = 0; i < 150; i++) {
            long seed = version * 100_000L + i;
            if (only != null && only != seed) continue;
            Path img = Files.copy(valid, tmp.resolve("mutant.img"), StandardCopyOption.REPLACE_EXISTING);
            SplittableRandom rnd = new SplittableRandom(seed);
            try (Image im = new Image(img)) {
                int flips = 1 + rnd.nextInt(12);
                for (int f = 0; f < flips; f++) {
                    long at = rnd.nextInt(4) == 0 ? sbAt + rnd.nextInt(1400) : rnd.nextLong(sbAt, metadataEnd);
                    im.write(at, new byte[] {(byte) rnd.nextInt(256)});
                }
            } catch (AssertionError noLongerFfs) {
                // the test's own parser finds no superblock any more: the kernel must refuse it too
            }
            try {
                Fsck.Report r = FsckRun.fsck(img);
                assertThat(r.exitStatus()).as("%s", r.output()).isIn(Fsck.EXIT_CLEAN, Fsck.EXIT_UNCORRECTED, Fsck.EXIT_OPERATIONAL);
                walk(img);
                change(img);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("mutant seed " + seed + " (UFS" + version + ")", e);
            }
        }
        if (only == null) assertThat(written).as("mutants that took a new file").isGreaterThan(30);
    }

    private static Errno mountErrno(Path img) {
        RumpKernel rk = Mounted.boot(img);
        try (rk) {
            return RumpException.errnoOf(() -> rk.syscalls().mount("ffs", Mounted.MNT, jrump.rumpkern.Sys.MNT_RDONLY, Mounted.DEV));
        }
    }

    /** Mounts (or is refused), walks to a bounded depth reading every file and link, unmounts. */
    private static void walk(Path img) {
        RumpKernel rk = Mounted.boot(img);
        try (rk) {
            try {
                rk.syscalls().mount("ffs", Mounted.MNT, jrump.rumpkern.Sys.MNT_RDONLY, Mounted.DEV);
            } catch (RumpException refused) {
                return;
            }
            walkDir(rk.syscalls(), Mounted.MNT, 0);
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
    }

    /**
     * Mounts read-write (or is refused), then creates, extends, truncates and removes: each call ends in
     * success or an errno, and the unmount too.
     */
    private static void change(Path img) {
        RumpKernel rk = Mounted.boot(img);
        try (rk) {
            Syscalls sys = rk.syscalls();
            try {
                sys.mount("ffs", Mounted.MNT, 0, Mounted.DEV);
            } catch (RumpException refused) {
                return;
            }
            String m = Mounted.MNT;
            attempt(() -> {
                FfsChurnTest.writeAt(sys, m + "/new file", 0, new byte[20_000]);
                written++;
            });
            attempt(() -> FfsChurnTest.writeAt(sys, m + "/big.bin", 400_000, new byte[] {1}));
            attempt(() -> sys.truncate(m + "/big.bin", 5000));
            attempt(() -> sys.unlink(m + "/small"));
            attempt(() -> sys.mkdir(m + "/dir/sub/newdir", 0755));
            attempt(() -> sys.rename(m + "/dir/sub/file3", m + "/moved"));
            attempt(() -> sys.unlink(m + "/dir/sub/file4"));
            attempt(() -> sys.symlink("a long target " + "x".repeat(200), m + "/dir/slow"));
            attempt(() -> sys.unmount(Mounted.MNT, 0));
        }
    }

    /** Mutants that took a new file (the read-write path was exercised, not only refused). */
    private static int written;

    private static void attempt(Runnable call) {
        try {
            call.run();
        } catch (RumpException e) {
            // an errno is what is asked
        }
    }

    private static void walkDir(Syscalls sys, String dir, int depth) {
        if (depth > 8) return; // a cycle the checks did not see would otherwise go on forever
        List<String> names;
        try {
            names = TreeWalk.names(sys, dir);
        } catch (RumpException e) {
            return;
        }
        for (String n : names) {
            if (n.equals(".") || n.equals("..")) continue;
            String p = dir + "/" + n;
            try {
                Stat st = sys.lstat(p);
                int t = st.mode() & Stat.S_IFMT;
                if (t == Stat.S_IFDIR) walkDir(sys, p, depth + 1);
                else if (t == Stat.S_IFLNK) sys.readlink(p, ByteBuffer.allocate(1024));
                else if (t == Stat.S_IFREG && st.size() < (16L << 20)) TreeWalk.sha(sys, p);
            } catch (RumpException e) {
                // an errno for this name: on to the next
            }
        }
    }
}
