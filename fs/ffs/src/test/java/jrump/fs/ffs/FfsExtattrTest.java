package jrump.fs.ffs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * UFS2 extended attributes: an area assembled by hand from extattr.h's struct extattr (not by our writer)
 * and placed in a Debian makefs image read back through the calls; set, get, list and delete round trips up
 * to the two-block limit; the blocks given back; UFS1 and read-only mounts refusing; Fsck clean after each.
 */
class FfsExtattrTest {
    @TempDir
    Path tmp;

    private static final String M = Mounted.MNT;

    private static byte[] random(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One struct extattr laid out by hand: header, name, zeros to 8, content, zeros to 8. */
    private static byte[] record(ByteOrder order, int ns, String name, byte[] content) {
        byte[] n = utf8(name);
        int base = (7 + n.length + 7) / 8 * 8;
        int pad = (8 - content.length % 8) % 8;
        int len = base + content.length + pad;
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(len).put((byte) ns).put((byte) pad).put((byte) n.length).put(n);
        b.position(base);
        b.put(content);
        return b.array();
    }

    private static void assertClean(Path img) throws Exception {
        Fsck.Report r = FsckRun.fsck(img);
        assertThat(r.problems()).as("%s", r.output()).isEmpty();
        assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_CLEAN);
    }

    /** The attributes of {@code path} (a symlink itself) as llistxattr and lgetxattr give them, against {@code model}. */
    private static void assertAttrs(Syscalls sys, String path, Map<String, byte[]> model) {
        ByteBuffer list = ByteBuffer.allocate(1 << 16);
        long n = sys.llistxattr(path, list);
        List<String> names = new ArrayList<>();
        for (String s : new String(list.array(), 0, (int) n, StandardCharsets.UTF_8).split("\0")) if (!s.isEmpty()) names.add(s);
        assertThat(names).as(path).containsExactlyInAnyOrderElementsOf(model.keySet());
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            assertThat(errnoOf(() -> sys.lgetxattr(path, e.getKey(), ByteBuffer.allocate(0)))).as("%s %s %d", path, e.getKey(), e.getValue().length).isNull();
            assertThat(sys.lgetxattr(path, e.getKey(), ByteBuffer.allocate(0))).isEqualTo(e.getValue().length);
            ByteBuffer v = ByteBuffer.allocate(e.getValue().length + 1);
            long got = sys.lgetxattr(path, e.getKey(), v);
            assertThat(got).isEqualTo(e.getValue().length);
            assertThat(java.util.Arrays.copyOf(v.array(), (int) got)).as("%s %s", path, e.getKey()).isEqualTo(e.getValue());
        }
    }

    private Path newfsUfs2(String name, int bsize, int fsize) throws Exception {
        return FfsNewfsTest.newfs(tmp.resolve(name), new Newfs.Options(16L << 20, true, bsize, fsize, 0, false, 1_700_000_000L));
    }

    // --- an area built by hand, in an image made by Debian's makefs ------------------------------

    /**
     * makefs writes a file whose bytes are a hand-made attribute area ("donor"); the test moves the donor's
     * blocks to another inode's di_extb (raw bytes of the inode), so the group maps stay exact. The calls
     * then read the attributes back; Fsck finds the image clean.
     */
    @ParameterizedTest(name = "scale {0} big-endian {1}")
    @CsvSource({"1,false", "3,true", "12,false", "12,true"})
    void handAssembledAreaReadsBack(int scale, boolean bigEndian) throws Exception {
        SplittableRandom rnd = new SplittableRandom(scale);
        // the records are in the file system's byte order (FreeBSD writes them natively, like the inode)
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Map<String, byte[]> user = new TreeMap<>();
        java.io.ByteArrayOutputStream area = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] v = random(rnd, 100 * scale * (i + 1) + i); // content lengths not multiples of 8
            user.put("user.a" + i + "x".repeat(i * 5), v);
            area.writeBytes(record(order, ExtAttr.NAMESPACE_USER, "a" + i + "x".repeat(i * 5), v));
        }
        byte[] sys2 = utf8("system value");
        area.writeBytes(record(order, ExtAttr.NAMESPACE_SYSTEM, "acl", sys2));
        user.put("system.acl", sys2); // the test runs as root: listxattr shows the system namespace too
        area.writeBytes(record(order, ExtAttr.NAMESPACE_USER, "empty", new byte[0]));
        user.put("user.empty", new byte[0]);
        byte[] bytes = area.toByteArray();
        assertThat(bytes.length).isLessThanOrEqualTo(2 * 8192);

        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] content = random(rnd, 30_000);
        Files.write(src.resolve("victim"), content);
        Files.write(src.resolve("donor"), bytes);
        Files.createDirectories(src.resolve("dir"));
        Path img = Tools.makefs(tmp.resolve("m2.img"), src, bigEndian, "version=2,bsize=8192,fsize=1024", "-s", "8m");
        long victim, donor;
        try (RumpKernel rk = Mounted.readOnly(img)) {
            victim = rk.syscalls().lstat(M + "/victim").ino();
            donor = rk.syscalls().lstat(M + "/donor").ino();
        }
        try (Image im = new Image(img)) {
            Dinode d = im.inode(donor);
            Dinode v = im.inode(victim);
            assertThat(d.extsize).isZero();
            assertThat(v.extsize).isZero();
            v.extb[0] = d.db[0];
            v.extb[1] = d.db[1];
            v.extsize = bytes.length;
            v.blocks += d.blocks;
            d.db[0] = d.db[1] = 0;
            d.size = 0;
            d.blocks = 0;
            im.putInode(victim, v);
            im.putInode(donor, d);
        }
        assertClean(img);
        try (RumpKernel rk = Mounted.readOnly(img)) {
            Syscalls sys = rk.syscalls();
            assertAttrs(sys, M + "/victim", user);
            ByteBuffer sv = ByteBuffer.allocate(64);
            assertThat(sys.extattrGetFile(M + "/victim", Sys.EXTATTR_NAMESPACE_SYSTEM, "acl", sv)).isEqualTo(sys2.length);
            assertThat(java.util.Arrays.copyOf(sv.array(), sys2.length)).isEqualTo(sys2);
            // extattr_list_file: names after a length byte, in the area's order
            ByteBuffer l = ByteBuffer.allocate(256);
            long n = sys.extattrListFile(M + "/victim", Sys.EXTATTR_NAMESPACE_SYSTEM, l);
            assertThat(java.util.Arrays.copyOf(l.array(), (int) n)).isEqualTo(new byte[] {3, 'a', 'c', 'l'});
            assertThat(errnoOf(() -> sys.getxattr(M + "/victim", "user.acl", ByteBuffer.allocate(8)))).isEqualTo(Errno.ENOATTR);
            assertThat(errnoOf(() -> sys.getxattr(M + "/victim", "user.a0", ByteBuffer.allocate(3)))).isEqualTo(Errno.ERANGE);
            assertThat(errnoOf(() -> sys.setxattr(M + "/victim", "user.new", ByteBuffer.allocate(3), 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.removexattr(M + "/victim", "user.a0"))).isEqualTo(Errno.EROFS);
            assertThat(FfsChurnTest.readAll(sys, M + "/victim", content.length)).isEqualTo(content);
        }
        // our writer changes the hand-made area: one removed, one added, the rest unchanged
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            sys.removexattr(M + "/victim", "user.a1xxxxx");
            user.remove("user.a1xxxxx");
            byte[] added = random(rnd, 777);
            sys.setxattr(M + "/victim", "user.added", ByteBuffer.wrap(added), 0);
            user.put("user.added", added);
            sys.unmount(M, 0);
        }
        assertClean(img);
        try (RumpKernel rk = Mounted.readOnly(img)) {
            assertAttrs(rk.syscalls(), M + "/victim", user);
            assertThat(FfsChurnTest.readAll(rk.syscalls(), M + "/victim", content.length)).isEqualTo(content);
        }
    }

    // --- round trips through the calls --------------------------------------------------------------

    @ParameterizedTest(name = "bsize {0}")
    @ValueSource(ints = {4096, 8192, 32768})
    void roundTripsUpToTheLimitAndBack(int bsize) throws Exception {
        int fsize = bsize / 8;
        Path img = newfsUfs2("rt" + bsize + ".img", bsize, fsize);
        SplittableRandom rnd = new SplittableRandom(bsize);
        Map<String, Map<String, byte[]>> model = new TreeMap<>();
        long freeAtStart;
        long blocksBefore;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            FfsChurnTest.writeAt(sys, M + "/f", 0, random(rnd, 5000));
            sys.mkdir(M + "/d", 0755);
            sys.symlink("target", M + "/l");
            freeAtStart = sys.statvfs1(M, 1).bfree();
            blocksBefore = sys.stat(M + "/f").blocks();
            // small: a fragment-sized area
            Map<String, byte[]> f = new TreeMap<>();
            model.put("/f", f);
            put(sys, "/f", f, "user.small", random(rnd, 10));
            assertThat(sys.stat(M + "/f").blocks()).isEqualTo(blocksBefore + fsize / 512);
            // many attributes until the two blocks are full, then ENOSPC (and nothing lost)
            int i = 0;
            while (true) {
                byte[] v = random(rnd, 1 + rnd.nextInt(bsize / 8));
                String name = "user.many" + i++;
                Errno e = errnoOf(() -> sys.setxattr(M + "/f", name, ByteBuffer.wrap(v), 0));
                if (e == Errno.ENOSPC) break;
                assertThat(e).isNull();
                f.put(name, v);
                assertThat(i).isLessThan(10_000);
            }
            assertThat(sys.stat(M + "/f").blocks()).isEqualTo(blocksBefore + 2L * bsize / 512);
            assertAttrs(sys, M + "/f", f);
            sys.unmount(M, 0);
        }
        assertClean(img);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            assertAttrs(sys, M + "/f", model.get("/f"));
            // replace with smaller and larger values; remove most
            Map<String, byte[]> f = model.get("/f");
            for (String name : new ArrayList<>(f.keySet())) {
                int r = rnd.nextInt(3);
                if (r == 0) put(sys, "/f", f, name, random(rnd, f.get(name).length / 2));
                else {
                    sys.removexattr(M + "/f", name);
                    f.remove(name);
                }
            }
            assertAttrs(sys, M + "/f", f);
            // a value spanning both blocks, on a directory; then one larger than the area: ENOSPC
            Map<String, byte[]> d = new TreeMap<>();
            model.put("/d", d);
            int big = Math.min(2 * bsize - 64, Sys.XATTR_SIZE_MAX);
            put(sys, "/d", d, "user.big", random(rnd, big));
            put(sys, "/d", d, "user.big", random(rnd, bsize + 3)); // smaller: the second block shrinks to fragments
            if (2 * bsize <= Sys.XATTR_SIZE_MAX) {
                assertThat(errnoOf(() -> sys.setxattr(M + "/d", "user.huge", ByteBuffer.allocate(2 * bsize), 0))).isEqualTo(Errno.ENOSPC);
            }
            put(sys, "/d", d, "user.big", random(rnd, 3)); // and back to one fragment
            put(sys, "/d", d, "user.big", random(rnd, bsize + 3 * fsize + 1)); // grown again
            assertAttrs(sys, M + "/d", d);
            // a fast symlink keeps its target in the inode while it has attribute blocks
            Map<String, byte[]> l = new TreeMap<>();
            model.put("/l", l);
            byte[] lv = random(rnd, 99);
            sys.extattrSetLink(M + "/l", Sys.EXTATTR_NAMESPACE_USER, "on-link", ByteBuffer.wrap(lv));
            l.put("user.on-link", lv);
            ByteBuffer t = ByteBuffer.allocate(64);
            assertThat(new String(t.array(), 0, (int) sys.readlink(M + "/l", t), StandardCharsets.UTF_8)).isEqualTo("target");
            // names: 255 bytes is the longest; empty and unknown namespaces are refused
            String longName = "n".repeat(255);
            assertThat(sys.extattrSetFile(M + "/f", Sys.EXTATTR_NAMESPACE_USER, longName, ByteBuffer.wrap(new byte[] {7}))).isEqualTo(1);
            ByteBuffer seven = ByteBuffer.allocate(4);
            assertThat(sys.extattrGetFile(M + "/f", Sys.EXTATTR_NAMESPACE_USER, longName, seven)).isEqualTo(1);
            assertThat(seven.get(0)).isEqualTo((byte) 7);
            sys.extattrDeleteFile(M + "/f", Sys.EXTATTR_NAMESPACE_USER, longName); // "user." + 255 bytes is past getxattr's limit
            assertThat(errnoOf(() -> sys.extattrSetFile(M + "/f", Sys.EXTATTR_NAMESPACE_USER, longName + "n", ByteBuffer.allocate(1)))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.extattrSetFile(M + "/f", 3, "x", ByteBuffer.allocate(1)))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> sys.removexattr(M + "/f", "user.never"))).isEqualTo(Errno.ENOATTR);
            sys.unmount(M, 0);
        }
        assertClean(img);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            for (var e : model.entrySet()) assertAttrs(sys, M + e.getKey(), e.getValue());
            // everything removed: the blocks come back
            for (var e : model.entrySet()) {
                for (String name : e.getValue().keySet()) sys.lremovexattr(M + e.getKey(), name);
            }
            assertThat(sys.stat(M + "/f").blocks()).isEqualTo(blocksBefore);
            assertThat(sys.lstat(M + "/l").blocks()).isZero();
            assertThat(sys.statvfs1(M, 1).bfree()).isEqualTo(freeAtStart);
            sys.unmount(M, 0);
        }
        assertClean(img);
    }

    private static void put(Syscalls sys, String path, Map<String, byte[]> model, String name, byte[] v) {
        sys.setxattr(M + path, name, ByteBuffer.wrap(v), 0);
        model.put(name, v);
    }

    /** Unlinking a file (and removing a directory, a symlink) with attributes frees their blocks. */
    @Test
    void removingFilesFreesTheirAreas() throws Exception {
        Path img = newfsUfs2("rm.img", 8192, 1024);
        SplittableRandom rnd = new SplittableRandom(5);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            long free = sys.statvfs1(M, 1).bfree();
            FfsChurnTest.writeAt(sys, M + "/a", 0, random(rnd, 20_000));
            sys.mkdir(M + "/d", 0755);
            sys.symlink("t", M + "/l");
            sys.setxattr(M + "/a", "user.x", ByteBuffer.wrap(random(rnd, 12_000)), 0);
            sys.setxattr(M + "/d", "user.x", ByteBuffer.wrap(random(rnd, 300)), 0);
            sys.lsetxattr(M + "/l", "user.x", ByteBuffer.wrap(random(rnd, 3000)), 0);
            // an open file loses its name; its area goes with its last reference
            int fd = sys.open(M + "/a", Sys.O_RDONLY, 0);
            sys.unlink(M + "/a");
            assertThat(sys.extattrGetFd(fd, Sys.EXTATTR_NAMESPACE_USER, "x", ByteBuffer.allocate(0))).isEqualTo(12_000);
            sys.close(fd);
            sys.rmdir(M + "/d");
            sys.unlink(M + "/l");
            assertThat(sys.statvfs1(M, 1).bfree()).isEqualTo(free);
            // a file renamed over another: the one replaced loses its area; a second name keeps it
            FfsChurnTest.writeAt(sys, M + "/b", 0, random(rnd, 3000));
            FfsChurnTest.writeAt(sys, M + "/c", 0, random(rnd, 3000));
            sys.setxattr(M + "/b", "user.x", ByteBuffer.wrap(random(rnd, 9000)), 0);
            sys.setxattr(M + "/c", "user.y", ByteBuffer.wrap(random(rnd, 9000)), 0);
            sys.link(M + "/c", M + "/c2");
            sys.rename(M + "/c", M + "/b");
            assertThat(sys.getxattr(M + "/b", "user.y", ByteBuffer.allocate(0))).isEqualTo(9000);
            assertThat(errnoOf(() -> sys.getxattr(M + "/b", "user.x", ByteBuffer.allocate(0)))).isEqualTo(Errno.ENOATTR);
            sys.unlink(M + "/b");
            assertThat(sys.getxattr(M + "/c2", "user.y", ByteBuffer.allocate(0))).isEqualTo(9000);
            sys.unlink(M + "/c2");
            assertThat(sys.statvfs1(M, 1).bfree()).isEqualTo(free);
            sys.unmount(M, 0);
        }
        assertClean(img);
    }

    @Test
    void ufs1HasNoArea() throws Exception {
        Path img = FfsNewfsTest.newfs(tmp.resolve("u1.img"), new Newfs.Options(8L << 20, false, 8192, 1024, 0, false, 1_700_000_000L));
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            FfsChurnTest.writeAt(sys, M + "/f", 0, new byte[10]);
            assertThat(errnoOf(() -> sys.setxattr(M + "/f", "user.x", ByteBuffer.allocate(1), 0))).isEqualTo(Errno.EOPNOTSUPP);
            assertThat(errnoOf(() -> sys.getxattr(M + "/f", "user.x", ByteBuffer.allocate(1)))).isEqualTo(Errno.EOPNOTSUPP);
            assertThat(sys.listxattr(M + "/f", ByteBuffer.allocate(16))).isZero();
            sys.unmount(M, 0);
        }
        assertClean(img);
    }

    /**
     * Seeded churn of file data (writes with fragment tails, truncations) and attributes (set, replace,
     * remove) on the same few files, so that tails and attribute areas compete for the same partly used
     * blocks; both checked against models, after a remount too, Fsck clean, every block back at the end.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24})
    void dataAndAttributesChurnTogether(long seed) throws Exception {
        boolean bigEndian = seed % 2 == 0;
        int bsize = seed < 23 ? 4096 : 16384;
        Path img = FfsNewfsTest.newfs(tmp.resolve("churn.img"), new Newfs.Options(24L << 20, true, bsize, bsize / 8, 0, bigEndian, 1_700_000_000L));
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, byte[]> data = new TreeMap<>();
        Map<String, Map<String, byte[]>> attrs = new TreeMap<>();
        long freeAtStart;
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            freeAtStart = sys.statvfs1(M, 1).bfree();
            for (int step = 0; step < 500; step++) {
                String f = "/f" + rnd.nextInt(6);
                try {
                    switch (rnd.nextInt(6)) {
                        case 0, 1 -> {
                            byte[] cur = data.getOrDefault(f, new byte[0]);
                            int off = rnd.nextInt(cur.length + 1);
                            byte[] add = random(rnd, 1 + rnd.nextInt(rnd.nextBoolean() ? 3 * bsize : bsize / 3));
                            FfsChurnTest.writeAt(sys, M + f, off, add);
                            byte[] next = java.util.Arrays.copyOf(cur, Math.max(cur.length, off + add.length));
                            System.arraycopy(add, 0, next, off, add.length);
                            data.put(f, next);
                            attrs.putIfAbsent(f, new TreeMap<>());
                        }
                        case 2 -> {
                            if (!data.containsKey(f)) continue;
                            int len = rnd.nextInt(data.get(f).length + 1);
                            sys.truncate(M + f, len);
                            data.put(f, java.util.Arrays.copyOf(data.get(f), len));
                        }
                        case 3, 4 -> {
                            if (!data.containsKey(f)) continue;
                            String name = "user.a" + rnd.nextInt(4);
                            byte[] v = random(rnd, rnd.nextInt(rnd.nextInt(4) == 0 ? bsize + bsize / 2 : bsize / 4));
                            Errno e = errnoOf(() -> sys.setxattr(M + f, name, ByteBuffer.wrap(v), 0));
                            if (e == null) attrs.get(f).put(name, v);
                            else assertThat(e).isEqualTo(Errno.ENOSPC); // the two blocks are full
                        }
                        default -> {
                            if (!data.containsKey(f)) continue;
                            String name = "user.a" + rnd.nextInt(4);
                            Errno e = errnoOf(() -> sys.removexattr(M + f, name));
                            assertThat(e).isEqualTo(attrs.get(f).remove(name) == null ? Errno.ENOATTR : null);
                        }
                    }
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("seed " + seed + " step " + step + " on " + f, e);
                }
            }
            for (String f : data.keySet()) {
                assertThat(FfsChurnTest.readAll(sys, M + f, data.get(f).length)).as("seed %d %s", seed, f).isEqualTo(data.get(f));
                assertAttrs(sys, M + f, attrs.get(f));
            }
            sys.unmount(M, 0);
        }
        assertClean(img);
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            for (String f : data.keySet()) {
                assertThat(FfsChurnTest.readAll(sys, M + f, data.get(f).length)).as("seed %d %s", seed, f).isEqualTo(data.get(f));
                assertAttrs(sys, M + f, attrs.get(f));
                sys.unlink(M + f);
            }
            assertThat(sys.statvfs1(M, 1).bfree()).as("seed %d: every block back", seed).isEqualTo(freeAtStart);
            sys.unmount(M, 0);
        }
        assertClean(img);
    }

    /**
     * NetBSD 10 marks a UFS2 that may hold attribute areas with FS_UFS2EA_MAGIC: such an image mounts as UFS2,
     * takes attributes, keeps its magic and is checked clean.
     */
    @Test
    void netbsdUfs2eaMagicIsUfs2WithAttributes() throws Exception {
        Path img = newfsUfs2("ea.img", 8192, 1024);
        long magicAt;
        try (Image im = new Image(img)) {
            magicAt = im.sb.location + Superblock.O_MAGIC;
            im.putInt(magicAt, Superblock.UFS2EA_MAGIC);
        }
        try (RumpKernel rk = Mounted.mount(img, 0)) {
            Syscalls sys = rk.syscalls();
            FfsChurnTest.writeAt(sys, M + "/f", 0, new byte[100]);
            sys.setxattr(M + "/f", "user.on-ea", ByteBuffer.wrap(utf8("yes")), 0);
            sys.unmount(M, 0);
        }
        assertClean(img);
        try (Image im = new Image(img)) {
            assertThat(ByteBuffer.wrap(im.read(magicAt, 4)).order(im.sb.order).getInt()).isEqualTo(Superblock.UFS2EA_MAGIC);
            assertThat(im.sb.ufs2).isTrue();
        }
        try (RumpKernel rk = Mounted.readOnly(img)) {
            assertAttrs(rk.syscalls(), M + "/f", Map.of("user.on-ea", utf8("yes")));
        }
    }
}
