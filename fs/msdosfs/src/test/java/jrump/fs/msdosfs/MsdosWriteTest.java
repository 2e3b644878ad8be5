package jrump.fs.msdosfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;

/**
 * Trees written through the system calls onto mkfs.fat images, then checked by the real tools: fsck.fat -n
 * finds nothing, and {@code mcopy -s} copies out exactly the tree (long names included) that the same
 * operations left on the host; and what FAT cannot hold gets its errno.
 */
class MsdosWriteTest {
    @TempDir
    Path tmp;

    /** Copies the host tree {@code host} into the mount at {@code dir}. */
    static void copyIn(Mounted m, Path host, String dir) throws IOException {
        try (var s = Files.list(host)) {
            for (Path p : s.sorted().toList()) {
                String target = dir + "/" + p.getFileName();
                if (Files.isDirectory(p)) {
                    m.sys.mkdir(target, 0755);
                    copyIn(m, p, target);
                } else {
                    m.write(target, Files.readAllBytes(p));
                }
            }
        }
    }

    /** mcopy -s of the whole image into a new host directory. */
    static Path copyOut(Path img, Path out) throws Exception {
        Files.createDirectories(out);
        Tools.Result r = Tools.run(null, List.of("mcopy", "-s", "-n", "-i", img.toString(), "::/", out.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        return out;
    }

    static void assertSameHostTree(Path actual, Path expected) throws IOException {
        List<String> a = new ArrayList<>();
        List<String> e = new ArrayList<>();
        try (var s = Files.list(actual)) {
            s.forEach(p -> a.add(p.getFileName().toString()));
        }
        try (var s = Files.list(expected)) {
            s.forEach(p -> e.add(p.getFileName().toString()));
        }
        assertThat(a).as(actual.toString()).containsExactlyInAnyOrderElementsOf(e);
        for (String n : e) {
            Path x = expected.resolve(n);
            if (Files.isDirectory(x)) assertSameHostTree(actual.resolve(n), x);
            else assertThat(Files.readAllBytes(actual.resolve(n))).as(n).isEqualTo(Files.readAllBytes(x));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "fat12, 4, -F 12",
            "fat16, 32, -F 16",
            "fat32, 40, -F 32 -s 1",
            "fat32-2k-sectors, 300, -F 32 -S 2048 -s 1",
            "fat32-4k-sectors, 300, -F 32 -S 4096 -s 1",
            "fat16-64k-clusters, 300, -F 16 -s 128",
    })
    void treeWritten_fsckCleanAndMcopyReadsItBack(String name, int mib, String args) throws Exception {
        Path tree = HostTrees.make(tmp.resolve("tree"), 7, name.equals("fat12") ? 30 : 250);
        Path img = Tools.mkfs(tmp.resolve(name + ".img"), mib, args.split(" "));
        try (Mounted m = new Mounted(img)) {
            copyIn(m, tree, "/mnt");
            // the same changes here and on the host tree
            m.sys.rename("/mnt/hello.txt", "/mnt/level0/level1/Hello Again.TXT");
            Files.move(tree.resolve("hello.txt"), tree.resolve("level0/level1/Hello Again.TXT"));
            m.sys.rename("/mnt/level0/level1/level2", "/mnt/moved dir");
            Files.move(tree.resolve("level0/level1/level2"), tree.resolve("moved dir"));
            m.sys.unlink("/mnt/many/entry with a longish name 3.dat");
            Files.delete(tree.resolve("many/entry with a longish name 3.dat"));
            m.sys.rmdir("/mnt/emptydir");
            Files.delete(tree.resolve("emptydir"));
            m.sys.truncate("/mnt/big.bin", 5000);
            byte[] big = java.util.Arrays.copyOf(Files.readAllBytes(tree.resolve("big.bin")), 5000);
            Files.write(tree.resolve("big.bin"), big);
            m.sys.truncate("/mnt/empty", 70000);
            Files.write(tree.resolve("empty"), new byte[70000]);
            m.sys.rename("/mnt/README", "/mnt/readme");
            Files.move(tree.resolve("README"), tree.resolve("readme"));
            // ".." of the moved directory leads to its new parent
            assertThat(m.sys.stat("/mnt/moved dir/..").ino()).isEqualTo(m.sys.stat("/mnt").ino());
            m.assertSameTree("/mnt", tree);
        }
        Tools.fsckClean(img);
        assertSameHostTree(copyOut(img, tmp.resolve("out")), tree);
        // and mounted again, what was written reads back
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            m.assertSameTree("/mnt", tree);
        }
    }

    @Test
    void aliases_generatedAgainstTheNamesOnDisk() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("a.img"), 16, "-F", "16", "-s", "2");
        // mtools makes an alias first; ours must not reuse it
        Path src = Files.writeString(tmp.resolve("longfilename-one.txt"), "one");
        Tools.ok("mcopy", "-i", img.toString(), src.toString(), "::/");
        try (Mounted m = new Mounted(img)) {
            for (int i = 0; i < 12; i++) m.write("/mnt/longfilename-" + i + ".txt", ("n" + i).getBytes());
            m.write("/mnt/LONGFI~1.TXT", "an 8.3 name equal to an alias is the aliased file".getBytes());
        }
        Tools.fsckClean(img);
        String dir = Tools.ok("mdir", "-i", img.toString(), "::/");
        java.util.Set<String> aliases = new java.util.HashSet<>();
        for (String line : dir.split("\n")) {
            if (!line.startsWith("LONGF")) continue;
            assertThat(aliases.add(line.substring(0, 12))).as("alias %s given twice:\n%s", line.substring(0, 12), dir).isTrue();
        }
        assertThat(aliases).as("one per file: the 8.3 name reached the aliased file").hasSize(13);
        Path out = copyOut(img, tmp.resolve("out"));
        assertThat(Files.readString(out.resolve("longfilename-one.txt"))).isEqualTo("an 8.3 name equal to an alias is the aliased file");
        assertThat(Files.readString(out.resolve("longfilename-11.txt"))).isEqualTo("n11");
    }

    @Test
    void whatFatCannotHold_getsItsErrno() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("e.img"), 16, "-F", "16", "-s", "2");
        try (Mounted m = new Mounted(img, 0, "uid=1000,gid=100,mask=0750")) {
            m.write("/mnt/f", new byte[10]);
            assertThat(errnoOf(() -> m.sys.symlink("f", "/mnt/l"))).isEqualTo(Errno.EOPNOTSUPP);
            assertThat(errnoOf(() -> m.sys.link("/mnt/f", "/mnt/g"))).isEqualTo(Errno.EOPNOTSUPP);
            assertThat(errnoOf(() -> m.sys.chown("/mnt/f", 0, 0))).isEqualTo(Errno.EPERM);
            m.sys.chown("/mnt/f", 1000, 100); // saying what it already is
            for (String bad : new String[] {"a:b", "a*", "q?", "x<y", "pipe|", "quote\"", "back\\slash", "dot.", "space "}) {
                assertThat(errnoOf(() -> m.sys.open("/mnt/" + bad, Sys.O_CREAT | Sys.O_WRONLY, 0644))).as(bad).isEqualTo(Errno.EINVAL);
            }
            assertThat(errnoOf(() -> m.sys.open("/mnt/" + "n".repeat(256), Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.ENAMETOOLONG);
            int fd = m.sys.open("/mnt/f", Sys.O_WRONLY, 0);
            assertThat(errnoOf(() -> m.sys.pwrite(fd, java.nio.ByteBuffer.wrap(new byte[1]), 1L << 32))).isEqualTo(Errno.EFBIG);
            assertThat(errnoOf(() -> m.sys.ftruncate(fd, 1L << 32))).isEqualTo(Errno.EFBIG);
            m.sys.close(fd);
            Stat st = m.sys.stat("/mnt/f");
            assertThat(st.uid()).isEqualTo(1000);
            assertThat(st.gid()).isEqualTo(100);
            assertThat(st.mode() & 0777).isEqualTo(0750);
            m.sys.chmod("/mnt/f", 0444);
            assertThat(m.sys.stat("/mnt/f").mode() & 0777).as("read-only attribute").isEqualTo(0550);
            // names are case-insensitive and case-preserving
            assertThat(errnoOf(() -> m.sys.mkdir("/mnt/F", 0755))).isEqualTo(Errno.EEXIST);
            m.sys.rename("/mnt/f", "/mnt/F");
            assertThat(m.names("/mnt")).containsExactly("F");
            // times in 2-second steps
            m.sys.utimes("/mnt/F", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_700_000_001L, 0), new jrump.rumpkern.Timeval(1_700_000_003L, 500_000)});
            assertThat(m.sys.stat("/mnt/F").mtime().sec()).isEqualTo(1_700_000_002L);
        }
        Tools.fsckClean(img);
        String dir = Tools.ok("mattrib", "-i", img.toString(), "::/F");
        assertThat(dir).contains("R");
    }

    @Test
    void mountOptions_timeZoneAndMasks() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("tz.img"), 16, "-F", "16", "-s", "2");
        try (Mounted m = new Mounted(img, 0, "gmtoff=3600,mask=0640,dirmask=0750")) {
            m.write("/mnt/t", new byte[1]);
            m.sys.mkdir("/mnt/d", 0777);
            // 2023-11-14 22:13:20 UTC is 23:13:20 one hour east, which the disk holds
            m.sys.utimes("/mnt/t", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_700_000_000L, 0),
                    new jrump.rumpkern.Timeval(1_700_000_000L, 0)});
            assertThat(m.sys.stat("/mnt/t").mtime().sec()).isEqualTo(1_700_000_000L);
            assertThat(m.sys.stat("/mnt/t").mode() & 0777).isEqualTo(0640);
            assertThat(m.sys.stat("/mnt/d").mode() & 0777).isEqualTo(0750);
        }
        assertThat(Tools.ok("mdir", "-i", img.toString(), "::/t")).contains("2023-11-14  23:13");
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            assertThat(m.sys.stat("/mnt/t").mtime().sec()).as("read as UTC without the option").isEqualTo(1_700_000_000L + 3600);
        }
        try (jrump.rumpkern.RumpKernel rk = jrump.rumpkern.RumpKernel.boot(jrump.rumpkern.RumpConfig.builder().build())) {
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            rk.syscalls().mkdir("/mnt", 0755);
            assertThat(errnoOf(() -> rk.syscalls().mount("msdos", "/mnt", 0, "/dev/img,colour=blue"))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> rk.syscalls().mount("msdos", "/mnt", 0, "/dev/img,uid=x"))).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void reads_setTheAccessDate_butNotOnAReadOnlyMount() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("at.img"), 16, "-F", "16", "-s", "2");
        long day = 86_400L;
        try (Mounted m = new Mounted(img)) {
            m.write("/mnt/f", new byte[3]);
            long today = m.sys.stat("/mnt/f").mtime().sec() / day;
            m.sys.utimes("/mnt/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_000_000_000L, 0),
                    new jrump.rumpkern.Timeval(1_000_000_000L, 0)});
            assertThat(m.sys.stat("/mnt/f").atime().sec() / day).isEqualTo(1_000_000_000L / day);
            m.read("/mnt/f");
            assertThat(m.sys.stat("/mnt/f").atime().sec() / day).isEqualTo(today);
            m.sys.utimes("/mnt/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_000_000_000L, 0),
                    new jrump.rumpkern.Timeval(1_000_000_000L, 0)});
        }
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            m.read("/mnt/f");
            assertThat(m.sys.stat("/mnt/f").atime().sec() / day).isEqualTo(1_000_000_000L / day);
        }
    }

    @Test
    void dosAttributeView_userDosattrib() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("attr.img"), 16, "-F", "16", "-s", "2");
        Path src = Files.writeString(tmp.resolve("S"), "made by mtools");
        Tools.ok("mcopy", "-i", img.toString(), src.toString(), "::/S");
        Tools.ok("mattrib", "-i", img.toString(), "+s", "-a", "::/S");
        try (Mounted m = new Mounted(img)) {
            java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(16);
            long n = m.sys.getxattr("/mnt/S", "user.DOSATTRIB", v);
            assertThat(new String(v.array(), 0, (int) n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("0x4");
            m.write("/mnt/F", new byte[1]);
            m.sys.setxattr("/mnt/F", "user.DOSATTRIB", java.nio.ByteBuffer.wrap("0x23".getBytes()), 0);
            assertThat(m.sys.stat("/mnt/F").mode() & 0222).as("read-only through the view").isZero();
            assertThat(errnoOf(() -> m.sys.setxattr("/mnt/F", "user.DOSATTRIB", java.nio.ByteBuffer.wrap("hidden".getBytes()), 0)))
                    .isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> m.sys.setxattr("/mnt/F", "user.other", java.nio.ByteBuffer.wrap("x".getBytes()), 0)))
                    .isEqualTo(Errno.EOPNOTSUPP);
            java.nio.ByteBuffer list = java.nio.ByteBuffer.allocate(64);
            long len = m.sys.listxattr("/mnt/F", list);
            assertThat(new String(list.array(), 0, (int) len, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("user.DOSATTRIB\0");
        }
        Tools.fsckClean(img);
        // mattrib's columns: archive, system, hidden, read-only
        assertThat(Tools.ok("mattrib", "-i", img.toString(), "::/F")).startsWith("  A   HR");
    }
}
