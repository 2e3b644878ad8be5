package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.FdSet;
import jrump.rumpkern.Fhandle;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timeval;

/**
 * File handles (t_vfsops tfilehandle, tfhremove, tfhinval), the extattr_* calls, mknodat/mkfifoat,
 * fchroot, the fsync family, posix_fallocate and select over files.
 */
class MoreFileCallsTest {
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private void writeFile(String path, String content) {
        int fd = sys.open(path, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0644);
        sys.write(fd, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        sys.close(fd);
    }

    private String readAll(int fd) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (sys.read(fd, b) > 0) {
            // to the end
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private void becomeUser(int uid) {
        rk.pub().lwprocRfork(Sys.RUMP_RFFDG);
        sys.setuid(uid);
    }

    @Test
    void fileHandle_opensTheSameFile() {
        writeFile("/f", "handled");
        Fhandle fh = sys.getfh("/f");
        assertThat(sys.getfh("/f")).isEqualTo(fh); // stable
        int fd = sys.fhopen(fh, Sys.O_RDONLY);
        assertThat(readAll(fd)).isEqualTo("handled");
        assertThat(sys.fhstat(fh).ino()).isEqualTo(sys.stat("/f").ino());
        assertThat(sys.fhstatvfs1(fh, 0).fstypename()).isEqualTo("rumpfs");
        sys.rename("/f", "/g"); // a handle names the file, not the path
        assertThat(sys.fhstat(fh).ino()).isEqualTo(sys.stat("/g").ino());
        assertThat(errnoOf(() -> sys.fhopen(fh, Sys.O_RDWR | Sys.O_CREAT))).isEqualTo(Errno.EINVAL);
        sys.mkdir("/d", 0755);
        assertThat(errnoOf(() -> sys.fhopen(sys.getfh("/d"), Sys.O_RDWR))).isEqualTo(Errno.EISDIR);
    }

    @Test
    void fileHandle_ofARemovedFile_isStale() {
        writeFile("/f", "x");
        Fhandle fh = sys.getfh("/f");
        sys.unlink("/f");
        assertThat(errnoOf(() -> sys.fhopen(fh, Sys.O_RDONLY))).isEqualTo(Errno.ESTALE);
        assertThat(errnoOf(() -> sys.fhstat(fh))).isEqualTo(Errno.ESTALE);
    }

    @Test
    void garbageFileHandles_areRefused() {
        writeFile("/f", "x");
        byte[] good = sys.getfh("/f").bytes();
        assertThat(errnoOf(() -> sys.fhopen(new Fhandle(new byte[0]), Sys.O_RDONLY))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fhopen(new Fhandle(new byte[200]), Sys.O_RDONLY))).isEqualTo(Errno.EINVAL);
        byte[] otherFs = good.clone();
        otherFs[0] ^= 0x55;
        assertThat(errnoOf(() -> sys.fhopen(new Fhandle(otherFs), Sys.O_RDONLY))).isEqualTo(Errno.ESTALE);
        byte[] shortFid = java.util.Arrays.copyOf(good, good.length - 1);
        assertThat(errnoOf(() -> sys.fhopen(new Fhandle(shortFid), Sys.O_RDONLY))).isEqualTo(Errno.EINVAL);
        byte[] noSuchIno = good.clone();
        noSuchIno[noSuchIno.length - 2] = 0x7f;
        assertThat(errnoOf(() -> sys.fhstat(new Fhandle(noSuchIno)))).isEqualTo(Errno.ESTALE);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[rnd.nextInt(0, 90)];
            rnd.nextBytes(junk);
            Errno got = errnoOf(() -> sys.fhstat(new Fhandle(junk)));
            assertThat(got).as("junk handle %s", new Fhandle(junk)).isIn(Errno.EINVAL, Errno.ESTALE);
        }
        Fhandle fh = new Fhandle(good);
        becomeUser(1000);
        assertThat(errnoOf(() -> sys.getfh("/f"))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.fhopen(fh, Sys.O_RDONLY))).isEqualTo(Errno.EPERM);
    }

    @Test
    void extattrCalls_shareTheAttributesOfTheXattrCalls() {
        writeFile("/f", "x");
        ByteBuffer v = ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8));
        assertThat(sys.extattrSetFile("/f", Sys.EXTATTR_NAMESPACE_USER, "colour", v)).isEqualTo(4);
        ByteBuffer out = ByteBuffer.allocate(16);
        assertThat(sys.getxattr("/f", "user.colour", out)).isEqualTo(4);
        assertThat(new String(out.array(), 0, 4, StandardCharsets.UTF_8)).isEqualTo("blue");
        sys.setxattr("/f", "user.size", ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
        assertThat(sys.extattrGetFile("/f", Sys.EXTATTR_NAMESPACE_USER, "size", ByteBuffer.allocate(0))).isEqualTo(3);
        // the list: each name after its length byte
        ByteBuffer list = ByteBuffer.allocate(64);
        long n = sys.extattrListFile("/f", Sys.EXTATTR_NAMESPACE_USER, list);
        assertThat(n).isEqualTo(1 + 6 + 1 + 4);
        assertThat(list.array()[0]).isEqualTo((byte) 6);
        assertThat(new String(list.array(), 1, 6, StandardCharsets.UTF_8)).isEqualTo("colour");
        assertThat(sys.extattrListFile("/f", Sys.EXTATTR_NAMESPACE_USER, ByteBuffer.allocate(0))).isEqualTo(12);
        int fd = sys.open("/f", Sys.O_RDONLY, 0);
        sys.extattrDeleteFd(fd, Sys.EXTATTR_NAMESPACE_USER, "colour");
        assertThat(errnoOf(() -> sys.extattrGetFd(fd, Sys.EXTATTR_NAMESPACE_USER, "colour", ByteBuffer.allocate(8)))).isEqualTo(Errno.ENOATTR);
        assertThat(sys.extattrListFd(fd, Sys.EXTATTR_NAMESPACE_USER, ByteBuffer.allocate(0))).isEqualTo(5);
        // _link acts on the link itself
        sys.symlink("/f", "/l");
        sys.extattrSetLink("/l", Sys.EXTATTR_NAMESPACE_USER, "on-link", ByteBuffer.wrap(new byte[] {9}));
        assertThat(errnoOf(() -> sys.extattrGetFile("/l", Sys.EXTATTR_NAMESPACE_USER, "on-link", ByteBuffer.allocate(0)))).isEqualTo(Errno.ENOATTR);
        assertThat(sys.extattrGetLink("/l", Sys.EXTATTR_NAMESPACE_USER, "on-link", ByteBuffer.allocate(0))).isEqualTo(1);
        sys.extattrDeleteLink("/l", Sys.EXTATTR_NAMESPACE_USER, "on-link");
        // bad namespaces and names
        assertThat(errnoOf(() -> sys.extattrSetFile("/f", 7, "a", ByteBuffer.allocate(1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.extattrSetFile("/f", Sys.EXTATTR_NAMESPACE_USER, "", ByteBuffer.allocate(1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.extattrSetFile("/f", Sys.EXTATTR_NAMESPACE_USER, "n".repeat(256), ByteBuffer.allocate(1))))
                .isEqualTo(Errno.ENAMETOOLONG);
        assertThat(errnoOf(() -> sys.extattrListFile("/f", Sys.EXTATTR_NAMESPACE_USER, ByteBuffer.allocate(2)))).isEqualTo(Errno.ERANGE);
        // the system namespace is root's
        sys.extattrSetFile("/f", Sys.EXTATTR_NAMESPACE_SYSTEM, "sys", ByteBuffer.wrap(new byte[] {1}));
        sys.chmod("/f", 0666);
        becomeUser(1000);
        assertThat(errnoOf(() -> sys.extattrGetFile("/f", Sys.EXTATTR_NAMESPACE_SYSTEM, "sys", ByteBuffer.allocate(4)))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.extattrListFile("/f", Sys.EXTATTR_NAMESPACE_SYSTEM, ByteBuffer.allocate(0)))).isEqualTo(Errno.EPERM);
        assertThat(sys.extattrGetFile("/f", Sys.EXTATTR_NAMESPACE_USER, "size", ByteBuffer.allocate(0))).isEqualTo(3);
    }

    @Test
    void mknodatAndMkfifoat() {
        sys.mkdir("/d", 0755);
        int dfd = sys.open("/d", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        sys.mkfifoat(dfd, "fifo", 0640);
        assertThat(sys.stat("/d/fifo").mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFIFO);
        sys.mknodat(dfd, "chr", Stat.S_IFCHR | 0600, 0x0102);
        Stat chr = sys.stat("/d/chr");
        assertThat(chr.mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFCHR);
        assertThat(chr.rdev()).isEqualTo(0x0102);
        sys.mknodat(Sys.AT_FDCWD, "/d/blk", Stat.S_IFBLK | 0600, 7);
        assertThat(sys.stat("/d/blk").mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFBLK);
        sys.mknodat(dfd, "reg", Stat.S_IFREG | 0644, 0);
        assertThat(sys.stat("/d/reg").isRegularFile()).isTrue();
        assertThat(errnoOf(() -> sys.mknodat(dfd, "chr", Stat.S_IFCHR | 0600, 1))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> sys.mknodat(dfd, "dir", Stat.S_IFDIR | 0755, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.mkfifoat(99, "x", 0600))).isEqualTo(Errno.EBADF);
        sys.chmod("/d", 0777);
        becomeUser(1000);
        assertThat(errnoOf(() -> sys.mknodat(Sys.AT_FDCWD, "/d/mine", Stat.S_IFCHR | 0600, 1))).isEqualTo(Errno.EPERM);
        sys.mknodat(Sys.AT_FDCWD, "/d/myfifo", Stat.S_IFIFO | 0600, 0); // FIFOs need no privilege
        assertThat(sys.stat("/d/myfifo").uid()).isEqualTo(1000);
    }

    @Test
    void fchroot_confinesLikeChroot() {
        sys.mkdir("/jail", 0755);
        writeFile("/jail/inside", "in");
        writeFile("/outside", "out");
        int fd = sys.open("/jail", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        int file = sys.open("/outside", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.fchroot(file))).isEqualTo(Errno.ENOTDIR);
        sys.fchroot(fd);
        assertThat(sys.stat("/inside").isRegularFile()).isTrue();
        assertThat(errnoOf(() -> sys.stat("/outside"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.stat("/..").ino()).isEqualTo(sys.stat("/").ino());
        becomeUser(1000);
        int again = sys.open("/", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        assertThat(errnoOf(() -> sys.fchroot(again))).isEqualTo(Errno.EPERM);
    }

    @Test
    void fsyncFamily() {
        int fd = sys.open("/f", Sys.O_RDWR | Sys.O_CREAT, 0644);
        sys.write(fd, ByteBuffer.wrap(new byte[100]));
        sys.fsync(fd);
        sys.fdatasync(fd);
        sys.fsyncRange(fd, Sys.FDATASYNC, 0, 50);
        sys.fsyncRange(fd, Sys.FFILESYNC | Sys.FDISKSYNC, 0, 0);
        assertThat(errnoOf(() -> sys.fsyncRange(fd, 0, 0, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fsyncRange(fd, Sys.FDATASYNC | 0x4000, 0, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fsyncRange(fd, Sys.FDATASYNC, -1, 0))).isEqualTo(Errno.EINVAL);
        int ro = sys.open("/f", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.fsyncRange(ro, Sys.FDATASYNC, 0, 0))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fdatasync(77))).isEqualTo(Errno.EBADF);
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.fdatasync(p[0]))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void posixFallocate_returnsErrnoAsValue_andGrowsTheFile() {
        int fd = sys.open("/f", Sys.O_RDWR | Sys.O_CREAT, 0644);
        assertThat(sys.posixFallocate(fd, 0, 10_000)).isZero();
        assertThat(sys.fstat(fd).size()).isEqualTo(10_000);
        assertThat(sys.fstat(fd).blocks()).isPositive();
        assertThat(sys.posixFallocate(fd, 100, 10)).isZero();
        assertThat(sys.fstat(fd).size()).isEqualTo(10_000); // never shrinks
        ByteBuffer b = ByteBuffer.allocate(10_000);
        sys.pread(fd, b, 0);
        assertThat(b.array()).containsOnly(0);
        assertThat(sys.posixFallocate(fd, -1, 10)).isEqualTo(Errno.EINVAL.number());
        assertThat(sys.posixFallocate(fd, 0, 0)).isEqualTo(Errno.EINVAL.number());
        assertThat(sys.posixFallocate(99, 0, 1)).isEqualTo(Errno.EBADF.number());
        int ro = sys.open("/f", Sys.O_RDONLY, 0);
        assertThat(sys.posixFallocate(ro, 0, 1)).isEqualTo(Errno.EBADF.number());
        int[] p = sys.pipe();
        assertThat(sys.posixFallocate(p[1], 0, 1)).isEqualTo(Errno.ESPIPE.number());
        assertThat(sys.posixFallocate(fd, 1L << 50, 1)).isEqualTo(Errno.EFBIG.number());
        // no memory limit here: the host's own memory bounds what one call may take
        assertThat(sys.posixFallocate(fd, 0, 1L << 39)).isEqualTo(Errno.ENOSPC.number());
        assertThat(sys.fstat(fd).size()).isEqualTo(10_000);
    }

    @Test
    void posixFallocate_beyondTheMemoryLimit_isEnospc_andTakesNothing() {
        try (RumpKernel small = RumpKernel.boot(RumpConfig.builder().memLimit(1 << 20).build())) {
            Syscalls s = small.syscalls();
            int fd = s.open("/f", Sys.O_RDWR | Sys.O_CREAT, 0644);
            assertThat(s.posixFallocate(fd, 0, 1L << 30)).isEqualTo(Errno.ENOSPC.number());
            assertThat(s.fstat(fd).size()).isZero();
            assertThat(s.fstat(fd).blocks()).isZero();
            assertThat(s.posixFallocate(fd, 0, 64 << 10)).isZero();
        }
    }

    @Test
    void select_overFilesAndPipes() {
        int f = sys.open("/f", Sys.O_RDWR | Sys.O_CREAT, 0644);
        int[] p = sys.pipe();
        FdSet in = new FdSet().set(f).set(p[0]);
        FdSet out = new FdSet().set(p[1]);
        // files are always ready; the empty pipe is not readable, its write end is writable
        assertThat(sys.select(p[1] + 1, in, out, null, new Timeval(0, 0))).isEqualTo(2);
        assertThat(in.isSet(f)).isTrue();
        assertThat(in.isSet(p[0])).isFalse();
        assertThat(out.isSet(p[1])).isTrue();
        sys.write(p[1], ByteBuffer.wrap(new byte[] {1}));
        FdSet rd = new FdSet().set(p[0]);
        assertThat(sys.select(p[0] + 1, rd, null, null, null)).isEqualTo(1);
        assertThat(rd.isSet(p[0])).isTrue();
        // a timeout with nothing ready: all sets come back empty
        sys.read(p[0], ByteBuffer.allocate(1));
        FdSet none = new FdSet().set(p[0]);
        assertThat(sys.select(p[0] + 1, none, null, null, new Timeval(0, 1000))).isZero();
        assertThat(none.count()).isZero();
        FdSet bad = new FdSet().set(p[1] + 5);
        assertThat(errnoOf(() -> sys.select(p[1] + 6, bad, null, null, new Timeval(0, 0)))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.select(p[1] + 1, new FdSet().set(99), null, null, new Timeval(0, 0)))).isNull();
        assertThat(errnoOf(() -> sys.select(-1, null, null, null, new Timeval(0, 0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.select(1, null, null, null, new Timeval(0, 1_000_000)))).isEqualTo(Errno.EINVAL);
        FdSet closed = new FdSet().set(f);
        sys.close(f);
        assertThat(errnoOf(() -> sys.select(f + 1, closed, null, null, new Timeval(0, 0)))).isEqualTo(Errno.EBADF);
        assertThat(closed.isSet(f)).isTrue(); // unchanged on failure
    }
}
