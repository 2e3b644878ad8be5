package jrump.fs.ffs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpKernel;

/**
 * Fsck on images damaged on purpose: each kind of damage it claims to find, found (and named), on UFS1
 * and UFS2; the undamaged image is clean.
 */
class FfsFsckTest {
    @TempDir
    static Path tmp;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = Files.createDirectories(tmp.resolve("src"));
        SplittableRandom rnd = new SplittableRandom(11);
        HostTrees.write(src.resolve("big"), 200_000, rnd);
        HostTrees.write(src.resolve("small"), 3000, rnd);
        HostTrees.write(src.resolve("other"), 5000, rnd);
        Files.createDirectories(src.resolve("dir/sub"));
        HostTrees.write(src.resolve("dir/sub/leaf"), 100, rnd);
        Files.createSymbolicLink(src.resolve("link"), Path.of("small"));
    }

    /** A fresh image of the tree written through the kernel; {@code ino} of a few paths. */
    private static Path image(boolean ufs2, String name) throws Exception {
        Path img = FfsNewfsTest.newfs(tmp.resolve(name), new Newfs.Options(16L << 20, ufs2, 8192, 1024, 0, false, 1_700_000_000L));
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            CopyIn.copy(rk.syscalls(), src, Mounted.MNT + "/t", TreeWalk.host(src));
            rk.syscalls().unmount(Mounted.MNT, 0);
        }
        return img;
    }

    private static long ino(Path img, String path) {
        try (RumpKernel rk = Mounted.readOnly(img)) {
            return rk.syscalls().lstat(Mounted.MNT + "/t" + path).ino();
        }
    }

    @ParameterizedTest(name = "UFS2={0}: {1}")
    @CsvSource({
        "false,clean", "true,clean",
        "false,BAD BLOCK", "true,BAD BLOCK",
        "false,DUP BLOCK", "true,DUP BLOCK",
        "false,INCORRECT BLOCK COUNT", "true,INCORRECT BLOCK COUNT",
        "false,BLOCKS PAST THE END", "true,BAD SIZE",
        "false,UNKNOWN FILE TYPE",
        "false,DIRECTORY CORRUPTED", "true,DIRECTORY CORRUPTED",
        "false,UNALLOCATED", "true,BAD TYPE VALUE",
        "false,BAD '..'", "true,MISSING '.'",
        "false,UNREF FILE", "true,UNREF DIR",
        "false,LINK COUNT FILE", "true,LINK COUNT DIR",
        "false,BLK(S) MISSING IN BIT MAPS", "true,BLK(S) WRONGLY FREE IN BIT MAPS",
        "false,INODE MAP WRONG", "true,INODE MAP WRONG",
        "false,FRAGMENT SUMMARY WRONG", "true,CLUSTER MAP WRONG",
        "false,CLUSTER SUMMARY WRONG",
        "false,SUMMARY INFORMATION BAD", "true,SUPERBLOCK TOTALS BAD",
        "false,bad magic number", "true,free blocks",
        "true,BAD EXTATTR AREA", "true,BAD EXTATTR SIZE", "true,EXTATTR BLOCKS PAST THE END", "true,DUP BLOCK (ext)",
        "true,INCORRECT BLOCK COUNT (ext)", "true,clean (ext)"})
    void damageIsFound(boolean ufs2, String kind) throws Exception {
        Path base = image(ufs2, "base" + ufs2 + ".img");
        long big = ino(base, "/big");
        long small = ino(base, "/small");
        long other = ino(base, "/other");
        long dir = ino(base, "/dir");
        long sub = ino(base, "/dir/sub");
        long leaf = ino(base, "/dir/sub/leaf");
        Path img = Files.copy(base, tmp.resolve("damaged.img"), StandardCopyOption.REPLACE_EXISTING);
        if (kind.contains("EXTATTR") || kind.endsWith("(ext)")) {
            // an attribute area of two blocks on /small (the second a fragment tail), written through the kernel
            try (RumpKernel rk = Mounted.mount(img, 0)) {
                rk.syscalls().setxattr(Mounted.MNT + "/t/small", "user.a", ByteBuffer.allocate(8192 + 500), 0);
                rk.syscalls().unmount(Mounted.MNT, 0);
            }
        }
        try (Image im = new Image(img)) {
            Superblock sb = im.sb;
            long cg0 = sb.cgtod(0) * sb.fsize;
            ByteBuffer cgb = ByteBuffer.wrap(im.read(cg0, sb.cgsize)).order(sb.order);
            switch (kind) {
                case "clean", "clean (ext)" -> { }
                case "BAD EXTATTR AREA" -> im.write(im.inode(small).extb[0] * sb.fsize, new byte[4]); // ea_length 0
                case "BAD EXTATTR SIZE" -> {
                    Dinode d = im.inode(small);
                    d.extsize = 3 * sb.bsize;
                    im.putInode(small, d);
                }
                case "EXTATTR BLOCKS PAST THE END" -> {
                    Dinode d = im.inode(other);
                    d.extb[1] = im.inode(small).extb[1];
                    im.putInode(other, d);
                }
                case "DUP BLOCK (ext)" -> {
                    Dinode d = im.inode(small);
                    d.extb[0] = im.inode(big).db[1];
                    im.putInode(small, d);
                }
                case "INCORRECT BLOCK COUNT (ext)" -> {
                    Dinode d = im.inode(small);
                    d.blocks -= 2; // as if the attribute blocks were not counted
                    im.putInode(small, d);
                }
                case "BAD BLOCK" -> {
                    Dinode d = im.inode(big);
                    d.db[2] = sb.size + 5;
                    im.putInode(big, d);
                }
                case "DUP BLOCK" -> {
                    Dinode d = im.inode(other);
                    d.db[0] = im.inode(big).db[1];
                    im.putInode(other, d);
                }
                case "INCORRECT BLOCK COUNT" -> {
                    Dinode d = im.inode(small);
                    d.blocks += 2;
                    im.putInode(small, d);
                }
                case "BLOCKS PAST THE END" -> {
                    Dinode d = im.inode(big);
                    d.size = 3 * sb.bsize;
                    im.putInode(big, d);
                }
                case "BAD SIZE" -> {
                    Dinode d = im.inode(small);
                    d.size = -5;
                    im.putInode(small, d);
                }
                case "UNKNOWN FILE TYPE" -> {
                    Dinode d = im.inode(small);
                    d.mode = 0170644;
                    im.putInode(small, d);
                }
                case "DIRECTORY CORRUPTED" -> {
                    long at = im.inode(sub).db[0] * sb.fsize;
                    im.write(at + 4, ByteBuffer.allocate(2).order(sb.order).putShort((short) 7).array());
                }
                case "UNALLOCATED", "UNREF FILE" -> {
                    Dinode d = im.inode(kind.equals("UNALLOCATED") ? leaf : small);
                    if (kind.equals("UNALLOCATED")) d.mode = 0;
                    im.putInode(kind.equals("UNALLOCATED") ? leaf : small, d);
                    if (kind.equals("UNREF FILE")) renameEntry(im, ino(base, ""), "small", 0);
                }
                case "BAD TYPE VALUE" -> setEntryType(im, sub, "leaf", 4);
                case "BAD '..'" -> setEntryIno(im, sub, "..", Ffs.ROOTINO);
                case "MISSING '.'" -> setEntryIno(im, sub, ".", dir);
                case "UNREF DIR" -> renameEntry(im, dir, "sub", 0);
                case "LINK COUNT FILE", "LINK COUNT DIR" -> {
                    long i = kind.endsWith("FILE") ? small : dir;
                    Dinode d = im.inode(i);
                    d.nlink += 1;
                    im.putInode(i, d);
                }
                case "BLK(S) MISSING IN BIT MAPS", "BLK(S) WRONGLY FREE IN BIT MAPS" -> {
                    int freeoff = cgb.getInt(Cg.O_FREEOFF);
                    // the last fragment of the group is free; the big file's first is used
                    int f = kind.contains("MISSING") ? sb.fragsInCg(0) - 1 : (int) im.inode(big).db[0];
                    byte[] one = im.read(cg0 + freeoff + f / 8, 1);
                    one[0] ^= (byte) (1 << (f % 8));
                    im.write(cg0 + freeoff + f / 8, one);
                }
                case "INODE MAP WRONG" -> {
                    int iusedoff = cgb.getInt(Cg.O_IUSEDOFF);
                    int i = (int) (sb.ipg - 1);
                    byte[] one = im.read(cg0 + iusedoff + i / 8, 1);
                    one[0] ^= (byte) (1 << (i % 8));
                    im.write(cg0 + iusedoff + i / 8, one);
                }
                case "FRAGMENT SUMMARY WRONG" -> im.putInt(cg0 + Cg.O_FRSUM + 4 * 3, cgb.getInt(Cg.O_FRSUM + 12) + 1);
                case "CLUSTER MAP WRONG" -> {
                    int clusteroff = cgb.getInt(Cg.O_CLUSTEROFF);
                    int blk = (int) (im.inode(big).db[0] / sb.frag);
                    byte[] one = im.read(cg0 + clusteroff + blk / 8, 1);
                    one[0] ^= (byte) (1 << (blk % 8));
                    im.write(cg0 + clusteroff + blk / 8, one);
                }
                case "CLUSTER SUMMARY WRONG" -> {
                    int at = cgb.getInt(Cg.O_CLUSTERSUMOFF) + 4;
                    im.putInt(cg0 + at, cgb.getInt(at) + 3);
                }
                case "SUMMARY INFORMATION BAD" -> im.putInt(sb.csaddr * sb.fsize + 8, 12345);
                case "SUPERBLOCK TOTALS BAD" -> im.write(sb.location + Superblock.O_CSTOTAL + 16,
                        ByteBuffer.allocate(8).order(sb.order).putLong(999).array());
                case "bad magic number" -> im.putInt(cg0 + Cg.O_MAGIC, 0x1234);
                case "free blocks" -> im.putInt(cg0 + Cg.O_CS + 4, cgb.getInt(Cg.O_CS + 4) - 1);
                default -> throw new AssertionError(kind);
            }
        }
        Fsck.Report r = FsckRun.fsck(img);
        if (kind.startsWith("clean")) {
            assertThat(r.problems()).as("%s", r.output()).isEmpty();
            assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_CLEAN);
        } else {
            assertThat(r.exitStatus()).as("%s", r.output()).isEqualTo(Fsck.EXIT_UNCORRECTED);
            String named = kind.replace(" (ext)", "");
            assertThat(r.problems()).as("%s", r.output()).anyMatch(p -> p.contains(named));
        }
    }

    /** The entry named {@code name} of directory {@code dir}: its offset in the image. */
    private static long entryAt(Image im, long dir, String name) throws Exception {
        Dinode d = im.inode(dir);
        Superblock sb = im.sb;
        byte[] area = im.read(d.db[0] * sb.fsize, Dir.DIRBLKSIZ);
        int p = 0;
        while (p < Dir.DIRBLKSIZ) {
            Dir.Entry e = Dir.parse(sb, dir, area, 0, p, 0);
            if (e.ino() != 0 && e.name().equals(name)) return d.db[0] * sb.fsize + p;
            p += e.reclen();
        }
        throw new AssertionError(name + " not in " + dir);
    }

    private static void setEntryIno(Image im, long dir, String name, long ino) throws Exception {
        im.putInt(entryAt(im, dir, name), (int) ino);
    }

    private static void setEntryType(Image im, long dir, String name, int type) throws Exception {
        im.write(entryAt(im, dir, name) + 6, new byte[] {(byte) type});
    }

    /** Clears an entry's inode number (the name stops naming anything). */
    private static void renameEntry(Image im, long dir, String name, long ino) throws Exception {
        setEntryIno(im, dir, name, ino);
    }
}
