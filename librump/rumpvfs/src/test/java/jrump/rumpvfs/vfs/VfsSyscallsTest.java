package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** The file system calls on the rumpfs root: results and every errno provoked (t_vnops-style cases). */
class VfsSyscallsTest {
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

    private String readFile(String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (sys.read(fd, b) > 0) {
            // to the end
        }
        sys.close(fd);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    private List<String> names(String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(8192);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int n;
        while ((n = sys.getdents(fd, b.clear())) > 0) {
            for (Dirent d : Dirent.parse(b.flip(), n)) out.add(d.name());
        }
        sys.close(fd);
        return out;
    }

    @Test
    void createWriteReadBack_andOffsets() {
        writeFile("/f", "hello, world");
        assertThat(readFile("/f")).isEqualTo("hello, world");
        int fd = sys.open("/f", Sys.O_RDWR, 0);
        assertThat(sys.lseek(fd, 7, Sys.SEEK_SET)).isEqualTo(7);
        ByteBuffer b = ByteBuffer.allocate(5);
        sys.read(fd, b);
        assertThat(new String(b.array(), StandardCharsets.UTF_8)).isEqualTo("world");
        assertThat(sys.lseek(fd, 0, Sys.SEEK_END)).isEqualTo(12);
        sys.pwrite(fd, ByteBuffer.wrap("J".getBytes()), 7);
        assertThat(sys.lseek(fd, 0, Sys.SEEK_CUR)).isEqualTo(12); // pwrite leaves the offset
        sys.close(fd);
        assertThat(readFile("/f")).isEqualTo("hello, Jorld");
        assertThat(sys.stat("/f").size()).isEqualTo(12);
    }

    @Test
    void appendTruncExcl() {
        writeFile("/a", "one");
        int fd = sys.open("/a", Sys.O_WRONLY | Sys.O_APPEND, 0);
        sys.write(fd, ByteBuffer.wrap("two".getBytes()));
        sys.close(fd);
        assertThat(readFile("/a")).isEqualTo("onetwo");
        assertThat(errnoOf(() -> sys.open("/a", Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EEXIST);
        sys.close(sys.open("/a", Sys.O_WRONLY | Sys.O_TRUNC, 0));
        assertThat(sys.stat("/a").size()).isZero();
    }

    @Test
    void openErrors() {
        sys.mkdir("/d", 0755);
        writeFile("/file", "x");
        assertThat(errnoOf(() -> sys.open("/missing", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.open("/d", Sys.O_WRONLY, 0))).isEqualTo(Errno.EISDIR);
        assertThat(errnoOf(() -> sys.open("/file", Sys.O_RDONLY | Sys.O_DIRECTORY, 0))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> sys.open("/file/x", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> sys.open("/file/", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> sys.open("", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.open("/f", Sys.O_ACCMODE, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.open("/" + "n".repeat(Sys.NAME_MAX + 1), Sys.O_RDONLY, 0))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(errnoOf(() -> sys.open("/a".repeat(Sys.PATH_MAX), Sys.O_RDONLY, 0))).isEqualTo(Errno.ENAMETOOLONG);
        int fd = sys.open("/file", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.write(fd, ByteBuffer.wrap(new byte[1])))).isEqualTo(Errno.EBADF);
    }

    @Test
    void directories() {
        sys.umask(022);
        sys.mkdir("/d", 0777);
        Stat d = sys.stat("/d");
        assertThat(d.isDirectory()).isTrue();
        assertThat(d.permissions()).isEqualTo(0755); // umask applied
        assertThat(d.nlink()).isEqualTo(2);
        sys.mkdir("/d/sub", 0755);
        assertThat(sys.stat("/d").nlink()).isEqualTo(3);
        assertThat(errnoOf(() -> sys.mkdir("/d", 0755))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> sys.mkdir("/", 0755))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> sys.mkdir("/nope/x", 0755))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.rmdir("/d"))).isEqualTo(Errno.ENOTEMPTY);
        assertThat(errnoOf(() -> sys.rmdir("/d/sub/."))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.rmdir("/"))).isEqualTo(Errno.EBUSY);
        writeFile("/d/f", "x");
        assertThat(errnoOf(() -> sys.rmdir("/d/f"))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> sys.unlink("/d/sub"))).isEqualTo(Errno.EPERM);
        assertThat(names("/d")).containsExactly(".", "..", "sub", "f");
        sys.rmdir("/d/sub");
        sys.unlink("/d/f");
        sys.rmdir("/d");
        assertThat(errnoOf(() -> sys.stat("/d"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.stat("/").nlink()).isEqualTo(2);
    }

    @Test
    void chdirAndRelativePaths() {
        sys.mkdir("/a", 0755);
        sys.mkdir("/a/b", 0755);
        sys.chdir("/a/b");
        writeFile("f", "rel");
        assertThat(readFile("/a/b/f")).isEqualTo("rel");
        assertThat(readFile("../b/./f")).isEqualTo("rel");
        assertThat(sys.stat("../../..").ino()).isEqualTo(sys.stat("/").ino()); // ".." at the root stays
        writeFile("/a/file", "x");
        assertThat(errnoOf(() -> sys.chdir("/a/file"))).isEqualTo(Errno.ENOTDIR);
        // a child process inherits the directory
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(readFile("f")).isEqualTo("rel");
    }

    @Test
    void symlinks() {
        writeFile("/target", "via link");
        sys.symlink("/target", "/link");
        assertThat(readFile("/link")).isEqualTo("via link");
        assertThat(sys.lstat("/link").isSymbolicLink()).isTrue();
        assertThat(sys.stat("/link").isRegularFile()).isTrue();
        ByteBuffer b = ByteBuffer.allocate(64);
        assertThat(sys.readlink("/link", b)).isEqualTo(7);
        assertThat(new String(b.array(), 0, 7, StandardCharsets.UTF_8)).isEqualTo("/target");
        assertThat(errnoOf(() -> sys.readlink("/target", ByteBuffer.allocate(8)))).isEqualTo(Errno.EINVAL);
        sys.symlink("/loop2", "/loop1");
        sys.symlink("/loop1", "/loop2");
        assertThat(errnoOf(() -> sys.stat("/loop1"))).isEqualTo(Errno.ELOOP);
        sys.symlink("/nothing", "/dangling");
        assertThat(errnoOf(() -> sys.stat("/dangling"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.lstat("/dangling").isSymbolicLink()).isTrue();
        assertThat(errnoOf(() -> sys.open("/link", Sys.O_RDONLY | Sys.O_NOFOLLOW, 0))).isEqualTo(Errno.EFTYPE);
        sys.mkdir("/dir", 0755);
        sys.symlink("dir", "/reldir");
        writeFile("/reldir/inside", "x");
        assertThat(readFile("/dir/inside")).isEqualTo("x");
        assertThat(errnoOf(() -> sys.symlink("/x", "/link"))).isEqualTo(Errno.EEXIST);
    }

    @Test
    void hardLinks_andUnlinkedOpenFile() {
        writeFile("/f", "data");
        sys.link("/f", "/g");
        assertThat(sys.stat("/f").nlink()).isEqualTo(2);
        assertThat(sys.stat("/g").ino()).isEqualTo(sys.stat("/f").ino());
        sys.mkdir("/d", 0755);
        assertThat(errnoOf(() -> sys.link("/d", "/d2"))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.link("/f", "/g"))).isEqualTo(Errno.EEXIST);
        int fd = sys.open("/f", Sys.O_RDWR, 0);
        sys.unlink("/f");
        sys.unlink("/g");
        assertThat(errnoOf(() -> sys.stat("/f"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.fstat(fd).nlink()).isZero();
        sys.pwrite(fd, ByteBuffer.wrap("DATA".getBytes()), 0);
        ByteBuffer b = ByteBuffer.allocate(4);
        sys.pread(fd, b, 0);
        assertThat(new String(b.array(), StandardCharsets.UTF_8)).isEqualTo("DATA");
    }

    @Test
    void rename() {
        writeFile("/a", "A");
        writeFile("/b", "B");
        sys.rename("/a", "/b");
        assertThat(readFile("/b")).isEqualTo("A");
        assertThat(errnoOf(() -> sys.stat("/a"))).isEqualTo(Errno.ENOENT);
        sys.mkdir("/d", 0755);
        sys.mkdir("/d/e", 0755);
        assertThat(errnoOf(() -> sys.rename("/d", "/d/e/f"))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.rename("/b", "/d"))).isEqualTo(Errno.EISDIR);
        assertThat(errnoOf(() -> sys.rename("/d/e", "/b"))).isEqualTo(Errno.ENOTDIR);
        sys.mkdir("/full", 0755);
        writeFile("/full/x", "x");
        assertThat(errnoOf(() -> sys.rename("/d", "/full"))).isEqualTo(Errno.ENOTEMPTY);
        assertThat(errnoOf(() -> sys.rename("/missing", "/z"))).isEqualTo(Errno.ENOENT);
        sys.rename("/d/e", "/e");
        assertThat(sys.stat("/d").nlink()).isEqualTo(2);
        assertThat(sys.stat("/e").isDirectory()).isTrue();
        sys.rename("/b", "/b"); // the same file: nothing happens
        assertThat(readFile("/b")).isEqualTo("A");
    }

    @Test
    void permissions() {
        sys.mkdir("/pub", 0777);
        sys.mkdir("/priv", 0700);
        writeFile("/priv/secret", "s");
        sys.chmod("/pub", 01777); // sticky
        writeFile("/pub/rootsfile", "r");
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(1000);
        assertThat(errnoOf(() -> sys.open("/newfile", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EACCES);
        assertThat(errnoOf(() -> sys.open("/priv/secret", Sys.O_RDONLY, 0))).isEqualTo(Errno.EACCES);
        assertThat(errnoOf(() -> sys.stat("/priv/secret"))).isEqualTo(Errno.EACCES);
        writeFile("/pub/mine", "m");
        Stat mine = sys.stat("/pub/mine");
        assertThat(mine.uid()).isEqualTo(1000);
        assertThat(mine.gid()).isZero(); // the directory's group
        assertThat(errnoOf(() -> sys.unlink("/pub/rootsfile"))).isEqualTo(Errno.EPERM); // sticky
        assertThat(errnoOf(() -> sys.chmod("/pub/rootsfile", 0777))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.chown("/pub/mine", 0, -1))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.open("/pub/rootsfile", Sys.O_WRONLY, 0))).isEqualTo(Errno.EACCES);
        assertThat(errnoOf(() -> sys.access("/pub/rootsfile", Sys.W_OK))).isEqualTo(Errno.EACCES);
        sys.access("/pub/rootsfile", Sys.R_OK);
        sys.chmod("/pub/mine", 0600);
        sys.unlink("/pub/mine");
        assertThat(errnoOf(() -> sys.chroot("/pub"))).isEqualTo(Errno.EPERM);
    }

    @Test
    void chownAndTruncateAsRoot() {
        writeFile("/f", "123456");
        sys.chown("/f", 7, 8);
        Stat s = sys.stat("/f");
        assertThat(s.uid()).isEqualTo(7);
        assertThat(s.gid()).isEqualTo(8);
        sys.truncate("/f", 3);
        assertThat(readFile("/f")).isEqualTo("123");
        sys.truncate("/f", 5);
        assertThat(readFile("/f").getBytes()).containsExactly('1', '2', '3', 0, 0);
        sys.mkdir("/d", 0755);
        assertThat(errnoOf(() -> sys.truncate("/d", 0))).isEqualTo(Errno.EISDIR);
        assertThat(errnoOf(() -> sys.truncate("/f", -1))).isEqualTo(Errno.EINVAL);
        int ro = sys.open("/f", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.ftruncate(ro, 0))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void times() {
        writeFile("/f", "x");
        sys.utimes("/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1000, 5), new jrump.rumpkern.Timeval(2000, 0)});
        Stat s = sys.stat("/f");
        assertThat(s.atime()).isEqualTo(new jrump.rumpkern.Timespec(1000, 5000));
        assertThat(s.mtime().sec()).isEqualTo(2000);
        long before = s.ctime().toNanos();
        sys.utimensat(Sys.AT_FDCWD, "/f", new jrump.rumpkern.Timespec[] {
                new jrump.rumpkern.Timespec(0, Sys.UTIME_OMIT), new jrump.rumpkern.Timespec(3000, 0)}, 0);
        s = sys.stat("/f");
        assertThat(s.atime().sec()).isEqualTo(1000); // omitted
        assertThat(s.mtime().sec()).isEqualTo(3000);
        assertThat(s.ctime().toNanos()).isGreaterThanOrEqualTo(before);
        sys.utimes("/f", null); // now
        assertThat(sys.stat("/f").mtime().sec()).isGreaterThan(1_700_000_000L);
        assertThat(errnoOf(() -> sys.utimes("/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1, 1_000_000),
                new jrump.rumpkern.Timeval(1, 0)}))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.utimensat(Sys.AT_FDCWD, "/f", new jrump.rumpkern.Timespec[1], 0))).isEqualTo(Errno.EINVAL);
        // another user with write permission may set "now" but not explicit times
        sys.chmod("/f", 0666);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(42);
        sys.utimes("/f", null);
        assertThat(errnoOf(() -> sys.utimes("/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1, 0),
                new jrump.rumpkern.Timeval(1, 0)}))).isEqualTo(Errno.EPERM);
        sys.setuid(42);
        int fd = sys.open("/f", Sys.O_RDONLY, 0);
        sys.futimens(fd, null);
    }

    @Test
    void writeUpdatesMtimeAndCtime_readUpdatesAtime() {
        writeFile("/f", "x");
        sys.utimes("/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(10, 0), new jrump.rumpkern.Timeval(10, 0)});
        readFile("/f");
        Stat afterRead = sys.stat("/f");
        assertThat(afterRead.atime().sec()).isGreaterThan(10);
        assertThat(afterRead.mtime().sec()).isEqualTo(10);
        writeFile("/f", "y");
        assertThat(sys.stat("/f").mtime().sec()).isGreaterThan(10);
    }

    @Test
    void writesAtHugeOffsets_areEfbig_andEmptyWritesChangeNothing() {
        int fd = sys.open("/f", Sys.O_CREAT | Sys.O_RDWR, 0644);
        assertThat(errnoOf(() -> sys.pwrite(fd, ByteBuffer.allocate(10), Long.MAX_VALUE - 5))).isEqualTo(Errno.EFBIG);
        assertThat(sys.pwrite(fd, ByteBuffer.allocate(0), 1L << 30)).isZero();
        assertThat(sys.fstat(fd).size()).isZero();
        assertThat(rk.state()).isEqualTo("RUNNING");
    }

    @Test
    void memoryLimit_makesWritesEnospc() {
        try (RumpKernel small = RumpKernel.boot(RumpConfig.builder().memLimit(1 << 20).build())) {
            Syscalls s = small.syscalls();
            int fd = s.open("/big", Sys.O_CREAT | Sys.O_RDWR, 0644);
            assertThat(errnoOf(() -> s.pwrite(fd, ByteBuffer.allocate(2 << 20), 0))).isEqualTo(Errno.ENOSPC);
            assertThat(s.fstat(fd).size()).isZero(); // nothing of the refused write was stored
            assertThat(s.pwrite(fd, ByteBuffer.allocate(1000), 0)).isEqualTo(1000);
            // far past the limit but sparse: one page
            assertThat(s.pwrite(fd, ByteBuffer.allocate(1), 64L << 20)).isEqualTo(1);
            assertThat(s.fstat(fd).size()).isEqualTo((64L << 20) + 1);
            assertThat(s.fstat(fd).blocks()).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void sparseFiles_readZerosInHoles_andSpaceReturnsOnUnlink() {
        try (RumpKernel small = RumpKernel.boot(RumpConfig.builder().memLimit(4 << 20).build())) {
            Syscalls s = small.syscalls();
            int fd = s.open("/sparse", Sys.O_CREAT | Sys.O_RDWR, 0644);
            s.pwrite(fd, ByteBuffer.wrap("end".getBytes()), 1L << 30);
            ByteBuffer hole = ByteBuffer.allocate(8192);
            s.pread(fd, hole, 12345);
            assertThat(hole.array()).containsOnly(0);
            s.ftruncate(fd, 10L << 30);
            assertThat(s.fstat(fd).size()).isEqualTo(10L << 30);
            s.close(fd);
            long free = s.statvfs1("/", 0).bfree();
            int g = s.open("/fill", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            s.write(g, ByteBuffer.allocate(2 << 20));
            s.close(g);
            assertThat(s.statvfs1("/", 0).bfree()).isLessThan(free);
            s.unlink("/fill");
            assertThat(s.statvfs1("/", 0).bfree()).isEqualTo(free); // the pages came back
        }
    }

    @Test
    void appendingDescriptor_appendsOnPositionedWritesToo() {
        writeFile("/f", "abc");
        int fd = sys.open("/f", Sys.O_WRONLY | Sys.O_APPEND, 0);
        sys.pwrite(fd, ByteBuffer.wrap("Z".getBytes()), 0);
        assertThat(readFile("/f")).isEqualTo("abcZ");
    }

    @Test
    void readdirWhileRemoving_seesEveryEntry() {
        sys.mkdir("/many", 0755);
        for (int i = 0; i < 300; i++) writeFile("/many/file-with-a-longish-name-" + i, "");
        int fd = sys.open("/many", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(512); // a few entries per call
        int removed = 0;
        int n;
        while ((n = sys.getdents(fd, b.clear())) > 0) {
            for (Dirent d : Dirent.parse(b.flip(), n)) {
                if (d.name().startsWith(".")) continue;
                sys.unlink("/many/" + d.name());
                removed++;
            }
        }
        sys.close(fd);
        assertThat(removed).isEqualTo(300);
        sys.rmdir("/many");
    }

    @Test
    void setgidIsDropped_forACreatorOutsideTheGroup() {
        sys.mkdir("/g", 0777);
        sys.chmod("/g", 0777); // past the umask
        sys.chown("/g", 0, 50);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(1000);
        sys.umask(0);
        sys.close(sys.open("/g/f", Sys.O_CREAT | Sys.O_WRONLY, 02755));
        Stat st = sys.stat("/g/f");
        assertThat(st.gid()).isEqualTo(50);
        assertThat(st.permissions()).isEqualTo(0755);
    }

    @Test
    void namesCannotBeAddedToARemovedDirectory() {
        sys.mkdir("/d", 0755);
        writeFile("/f", "x");
        sys.chdir("/d");
        sys.rmdir("/d");
        assertThat(errnoOf(() -> sys.rename("/f", "g"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.link("/f", "h"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.open("i", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.ENOENT);
        assertThat(readFile("/f")).isEqualTo("x");
        assertThat(sys.stat("/f").nlink()).isEqualTo(1);
    }

    @Test
    void fchdirCannotLeaveAChroot() {
        sys.mkdir("/jail", 0755);
        int outside = sys.open("/", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        sys.chroot("/jail");
        assertThat(errnoOf(() -> sys.fchdir(outside))).isEqualTo(Errno.EPERM);
    }

    @Test
    void openCreateEdgeCases() {
        sys.mkdir("/d", 0755);
        assertThat(errnoOf(() -> sys.open("/new", Sys.O_CREAT | Sys.O_DIRECTORY | Sys.O_RDONLY, 0644))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.stat("/new"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.open("/d", Sys.O_CREAT | Sys.O_RDONLY, 0644))).isEqualTo(Errno.EISDIR);
        writeFile("/f", "x");
        assertThat(errnoOf(() -> sys.link("/f", "/newdir/"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void concurrentCreates_neverSeeEexistWithoutExcl() throws Exception {
        int pid = sys.getpid();
        java.util.Set<String> errors = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.List<Thread> ts = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                rk.pub().lwprocNewlwp(pid);
                for (int i = 0; i < 200; i++) {
                    try {
                        int fd = sys.open("/c" + (i % 5), Sys.O_CREAT | Sys.O_WRONLY, 0644);
                        sys.close(fd);
                        if (i % 7 == 0) sys.unlink("/c" + (i % 5));
                    } catch (RumpException e) {
                        if (e.errno() != Errno.ENOENT) errors.add(e.errno().name());
                    }
                }
                rk.pub().lwprocReleaselwp();
            }));
        }
        for (Thread t : ts) t.join();
        assertThat(errors).isEmpty();
    }

    @Test
    void fifo_carriesDataBetweenAReaderAndAWriter() throws Exception {
        sys.mkfifo("/fifo", 0666);
        assertThat(sys.stat("/fifo").mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFIFO);
        // no reader yet: a non-blocking writer is refused
        assertThat(errnoOf(() -> sys.open("/fifo", Sys.O_WRONLY | Sys.O_NONBLOCK, 0))).isEqualTo(Errno.ENXIO);
        int pid = sys.getpid();
        String[] got = new String[1];
        Thread reader = Thread.ofPlatform().start(() -> {
            rk.pub().lwprocNewlwp(pid);
            int fd = sys.open("/fifo", Sys.O_RDONLY, 0); // waits for the writer
            ByteBuffer b = ByteBuffer.allocate(64);
            while (sys.read(fd, b) > 0) {
                // until the writer closes
            }
            got[0] = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            sys.close(fd);
            rk.pub().lwprocReleaselwp();
        });
        int w = sys.open("/fifo", Sys.O_WRONLY, 0); // waits for the reader
        sys.write(w, ByteBuffer.wrap("through the fifo".getBytes(StandardCharsets.UTF_8)));
        assertThat(sys.fstat(w).mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFIFO);
        assertThat(errnoOf(() -> sys.lseek(w, 0, Sys.SEEK_SET))).isEqualTo(Errno.ESPIPE);
        sys.close(w);
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(got[0]).isEqualTo("through the fifo");
        // a non-blocking reader with no writer opens at once and sees end of file
        int r = sys.open("/fifo", Sys.O_RDONLY | Sys.O_NONBLOCK, 0);
        assertThat(sys.read(r, ByteBuffer.allocate(8))).isZero();
        // O_RDWR never waits, and its own writes come back
        int rw = sys.open("/fifo", Sys.O_RDWR, 0);
        sys.write(rw, ByteBuffer.wrap("x".getBytes()));
        ByteBuffer one = ByteBuffer.allocate(1);
        assertThat(sys.read(r, one)).isEqualTo(1);
        sys.close(rw);
        sys.close(r);
    }

    @Test
    void flock_sharedExclusiveAndRelease() throws Exception {
        writeFile("/f", "x");
        int a = sys.open("/f", Sys.O_RDONLY, 0);
        int b = sys.open("/f", Sys.O_RDONLY, 0);
        sys.flock(a, Sys.LOCK_SH);
        sys.flock(b, Sys.LOCK_SH); // shared locks coexist
        assertThat(errnoOf(() -> sys.flock(b, Sys.LOCK_EX | Sys.LOCK_NB))).isEqualTo(Errno.EWOULDBLOCK);
        sys.flock(a, Sys.LOCK_UN);
        sys.flock(b, Sys.LOCK_EX | Sys.LOCK_NB); // converted: b is alone now
        assertThat(errnoOf(() -> sys.flock(a, Sys.LOCK_SH | Sys.LOCK_NB))).isEqualTo(Errno.EWOULDBLOCK);
        int dupOfB = sys.dup(b);
        sys.close(b); // the open file lives on in its dup: the lock stays
        assertThat(errnoOf(() -> sys.flock(a, Sys.LOCK_SH | Sys.LOCK_NB))).isEqualTo(Errno.EWOULDBLOCK);
        // a blocked locker is woken when the last descriptor of the holder closes
        int pid = sys.getpid();
        Errno[] got = {Errno.EIO};
        Thread waiter = Thread.ofPlatform().start(() -> {
            rk.pub().lwprocNewlwp(pid);
            got[0] = errnoOf(() -> sys.flock(a, Sys.LOCK_EX));
            rk.pub().lwprocReleaselwp();
        });
        Thread.sleep(50);
        assertThat(waiter.isAlive()).isTrue();
        sys.close(dupOfB);
        waiter.join(5000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(got[0]).isNull();
        assertThat(errnoOf(() -> sys.flock(a, 0))).isEqualTo(Errno.EINVAL);
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.flock(p[0], Sys.LOCK_SH))).isEqualTo(Errno.EOPNOTSUPP);
    }

    @Test
    void extendedAttributes() {
        writeFile("/f", "x");
        byte[] v = "value-1".getBytes(StandardCharsets.UTF_8);
        sys.setxattr("/f", "user.color", ByteBuffer.wrap(v), 0);
        assertThat(sys.getxattr("/f", "user.color", ByteBuffer.allocate(0))).isEqualTo(v.length); // size query
        ByteBuffer got = ByteBuffer.allocate(64);
        assertThat(sys.getxattr("/f", "user.color", got)).isEqualTo(v.length);
        assertThat(java.util.Arrays.copyOf(got.array(), got.position())).isEqualTo(v);
        assertThat(errnoOf(() -> sys.getxattr("/f", "user.color", ByteBuffer.allocate(3)))).isEqualTo(Errno.ERANGE);
        assertThat(errnoOf(() -> sys.setxattr("/f", "user.color", ByteBuffer.wrap(v), Sys.XATTR_CREATE))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> sys.setxattr("/f", "user.none", ByteBuffer.wrap(v), Sys.XATTR_REPLACE))).isEqualTo(Errno.ENOATTR);
        sys.setxattr("/f", "user.size", ByteBuffer.allocate(0), Sys.XATTR_CREATE);
        sys.setxattr("/f", "system.acl", ByteBuffer.wrap(new byte[] {1, 2}), 0);
        ByteBuffer list = ByteBuffer.allocate(256);
        long n = sys.listxattr("/f", list);
        assertThat(new String(list.array(), 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("user.color\0user.size\0system.acl\0");
        assertThat(errnoOf(() -> sys.getxattr("/f", "trusted.x", ByteBuffer.allocate(8)))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(errnoOf(() -> sys.getxattr("/f", "user.missing", ByteBuffer.allocate(8)))).isEqualTo(Errno.ENOATTR);
        assertThat(errnoOf(() -> sys.setxattr("/f", "user.big", ByteBuffer.allocate(Sys.XATTR_SIZE_MAX + 1), 0))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> sys.setxattr("/f", "user." + "n".repeat(300), ByteBuffer.allocate(1), 0))).isEqualTo(Errno.ERANGE);
        sys.removexattr("/f", "user.size");
        assertThat(errnoOf(() -> sys.removexattr("/f", "user.size"))).isEqualTo(Errno.ENOATTR);
        int fd = sys.open("/f", Sys.O_RDONLY, 0);
        assertThat(sys.fgetxattr(fd, "user.color", ByteBuffer.allocate(64))).isEqualTo(v.length);
        // another user: reads user attributes with read permission, cannot write without write permission,
        // and sees no system attributes
        sys.chmod("/f", 0644);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(77);
        assertThat(sys.getxattr("/f", "user.color", ByteBuffer.allocate(64))).isEqualTo(v.length);
        assertThat(errnoOf(() -> sys.setxattr("/f", "user.color", ByteBuffer.wrap(v), 0))).isEqualTo(Errno.EACCES);
        assertThat(errnoOf(() -> sys.getxattr("/f", "system.acl", ByteBuffer.allocate(8)))).isEqualTo(Errno.EPERM);
        ByteBuffer mine = ByteBuffer.allocate(256);
        long m = sys.listxattr("/f", mine);
        assertThat(new String(mine.array(), 0, (int) m, StandardCharsets.UTF_8)).isEqualTo("user.color\0");
    }

    @Test
    void dupSharesTheOffset_separateOpensDoNot() {
        writeFile("/f", "abcdefgh");
        int a = sys.open("/f", Sys.O_RDONLY, 0);
        int b = sys.dup(a);
        int c = sys.open("/f", Sys.O_RDONLY, 0);
        ByteBuffer two = ByteBuffer.allocate(2);
        sys.read(a, two);
        assertThat(sys.lseek(b, 0, Sys.SEEK_CUR)).isEqualTo(2); // one open file, one offset
        assertThat(sys.lseek(c, 0, Sys.SEEK_CUR)).isZero();
        two.clear();
        sys.read(b, two);
        assertThat(new String(two.array(), StandardCharsets.UTF_8)).isEqualTo("cd");
        // a copied table (fork) still shares the open file description, and so its offset
        rk.pub().lwprocRfork(Sys.RUMP_RFFDG);
        two.clear();
        sys.read(a, two);
        assertThat(new String(two.array(), StandardCharsets.UTF_8)).isEqualTo("ef");
    }

    @Test
    void scatterGather() {
        int fd = sys.open("/v", Sys.O_CREAT | Sys.O_RDWR, 0644);
        ByteBuffer[] out = {ByteBuffer.wrap("hello, ".getBytes()), ByteBuffer.allocate(0), ByteBuffer.wrap("world".getBytes())};
        assertThat(sys.writev(fd, out)).isEqualTo(12);
        assertThat(out[0].hasRemaining() || out[2].hasRemaining()).isFalse();
        ByteBuffer a = ByteBuffer.allocate(5);
        ByteBuffer b = ByteBuffer.allocate(100);
        assertThat(sys.preadv(fd, new ByteBuffer[] {a, b}, 0)).isEqualTo(12);
        assertThat(new String(a.array(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(b.position()).isEqualTo(7);
        assertThat(new String(b.array(), 0, 7, StandardCharsets.UTF_8)).isEqualTo(", world");
        sys.pwritev(fd, new ByteBuffer[] {ByteBuffer.wrap("J".getBytes())}, 7);
        sys.lseek(fd, 0, Sys.SEEK_SET);
        ByteBuffer all = ByteBuffer.allocate(12);
        sys.readv(fd, new ByteBuffer[] {all});
        assertThat(new String(all.array(), StandardCharsets.UTF_8)).isEqualTo("hello, Jorld");
        assertThat(errnoOf(() -> sys.readv(fd, new ByteBuffer[] {ByteBuffer.allocate(1).asReadOnlyBuffer()}))).isEqualTo(Errno.EFAULT);
        assertThat(errnoOf(() -> sys.readv(fd, new ByteBuffer[] {null}))).isEqualTo(Errno.EFAULT);
        assertThat(errnoOf(() -> sys.readv(fd, new ByteBuffer[1025]))).isEqualTo(Errno.EFAULT);
        ByteBuffer[] many = new ByteBuffer[1025];
        java.util.Arrays.fill(many, ByteBuffer.allocate(0));
        assertThat(errnoOf(() -> sys.readv(fd, many))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void getcwd() {
        ByteBuffer b = ByteBuffer.allocate(256);
        assertThat(sys.getcwd(b)).isEqualTo(2);
        assertThat(new String(b.array(), 0, 1, StandardCharsets.UTF_8)).isEqualTo("/");
        sys.mkdir("/a", 0755);
        sys.mkdir("/a/bb", 0755);
        sys.mkdir("/mnt", 0755);
        sys.mount("rumpfs", "/mnt", 0, null);
        sys.mkdir("/mnt/in", 0755);
        for (String dir : new String[] {"/a/bb", "/mnt", "/mnt/in"}) {
            sys.chdir(dir);
            b.clear();
            long n = sys.getcwd(b);
            assertThat(new String(b.array(), 0, (int) n - 1, StandardCharsets.UTF_8)).isEqualTo(dir);
        }
        assertThat(errnoOf(() -> sys.getcwd(ByteBuffer.allocate(4)))).isEqualTo(Errno.ERANGE);
        sys.chdir("/a/bb");
        sys.rmdir("/a/bb");
        assertThat(errnoOf(() -> sys.getcwd(ByteBuffer.allocate(64)))).isEqualTo(Errno.ENOENT);
        sys.chdir("/a");
        sys.chroot("/a");
        b.clear();
        assertThat(sys.getcwd(b)).isEqualTo(2); // "/" inside the chroot
    }

    @Test
    void pathconf() {
        writeFile("/f", "x");
        assertThat(sys.pathconf("/f", Sys._PC_NAME_MAX)).isEqualTo(Sys.NAME_MAX);
        assertThat(sys.pathconf("/", Sys._PC_PATH_MAX)).isEqualTo(Sys.PATH_MAX);
        int fd = sys.open("/f", Sys.O_RDONLY, 0);
        assertThat(sys.fpathconf(fd, Sys._PC_NO_TRUNC)).isEqualTo(1);
        assertThat(errnoOf(() -> sys.pathconf("/f", 9999))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.pathconf("/missing", Sys._PC_NAME_MAX))).isEqualTo(Errno.ENOENT);
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.fpathconf(p[0], Sys._PC_NAME_MAX))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void chroot_confinesPaths() {
        sys.mkdir("/jail", 0755);
        writeFile("/jail/inside", "in");
        writeFile("/outside", "out");
        sys.chroot("/jail");
        assertThat(readFile("/inside")).isEqualTo("in");
        assertThat(errnoOf(() -> sys.stat("/outside"))).isEqualTo(Errno.ENOENT);
        assertThat(readFile("/../../inside")).isEqualTo("in");
    }

    @Test
    void kernelsHaveSeparateFileSystems() {
        writeFile("/only-here", "1");
        try (RumpKernel other = RumpKernel.boot()) {
            assertThat(errnoOf(() -> other.syscalls().stat("/only-here"))).isEqualTo(Errno.ENOENT);
        }
    }
}
