package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Lwp;
import jrump.rumpkern.Rlimit;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.RumpkernPub;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;
import jrump.rumpkern.Timeval;

/**
 * Every errno that POSIX (IEEE Std 1003.1-2024, "ERRORS" of each page) lists for the file system calls and
 * that applies to a rump kernel, provoked one by one and checked, on every file system of
 * {@link FileSystems#all()}. Where NetBSD answers differently from POSIX's first choice or from Linux, the
 * case follows NetBSD's manual page and says so. EROFS is left to {@link VnopsTest#readOnlyRemount}; EIO,
 * ENOSPC, EFAULT and EINTR need faults this suite does not inject.
 *
 * <p>Each case runs in a fresh kernel with a small tree under /mnt (see {@link Env}) and two unprivileged
 * processes made with the lwproc interface: {@code user} (uid 1000) and {@code other} (uid 1001).
 */
class PosixErrnoTest {
    /** The file systems every case runs on. */
    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.posix(); // the errnos of POSIX's file model: FAT has no links, modes or owners to provoke them
    }

    private static final int USER = 1000;
    private static final int OTHER = 1001;
    private static final int BAD_FD = 999;

    /** A name one byte longer than NAME_MAX, and a path of PATH_MAX bytes (which has no room for the NUL). */
    private static final String LONG_NAME = "/mnt/" + "n".repeat(Sys.NAME_MAX + 1);
    private static final String LONG_PATH = "/mnt/" + "d/".repeat((Sys.PATH_MAX - 5) / 2) + "x".repeat((Sys.PATH_MAX - 5) % 2);

    /**
     * One kernel with the file system at /mnt holding: {@code dir} (empty, 0755), {@code full} (a directory
     * with file {@code x}), {@code file} ("hello", 0644), {@code link} → file, {@code dangling} → nowhere,
     * {@code loop1} ↔ {@code loop2}, {@code private} (0700 with file {@code f}), {@code home} (0755, owned by
     * {@code user}, with {@code mine} 0644 owned by user) and {@code sticky} (01777). Expectations are soft:
     * every failing case of a method is reported at once when the environment closes. (On tmpfs /mnt itself is
     * 01777, tmpfs's default, so the permission cases work in subdirectories.)
     */
    private static final class Env implements AutoCloseable {
        final FileSystems.Fs fs;
        final RumpKernel rk;
        final Syscalls sys;
        final RumpkernPub pub;
        final Lwp user;
        final Lwp other;
        final SoftAssertions soft = new SoftAssertions();

        Env(FileSystems.Fs fs) {
            this.fs = fs;
            this.rk = fs.boot();
            this.sys = rk.syscalls();
            this.pub = rk.pub();
            sys.mkdir("/mnt/dir", 0755);
            sys.mkdir("/mnt/full", 0755);
            write("/mnt/full/x", "x");
            write("/mnt/file", "hello");
            sys.symlink("file", "/mnt/link");
            sys.symlink("nowhere", "/mnt/dangling");
            sys.symlink("loop2", "/mnt/loop1");
            sys.symlink("loop1", "/mnt/loop2");
            sys.mkdir("/mnt/private", 0700);
            write("/mnt/private/f", "secret");
            sys.mkdir("/mnt/home", 0755);
            sys.chown("/mnt/home", USER, USER);
            write("/mnt/home/mine", "mine");
            sys.chown("/mnt/home/mine", USER, USER);
            sys.mkdir("/mnt/sticky", 0777);
            sys.chmod("/mnt/sticky", 01777);
            user = process(USER);
            other = process(OTHER);
        }

        /** A new process of init's with uid and gid {@code id} and no other group; the caller stays init. */
        private Lwp process(int id) {
            pub.lwprocRfork(Sys.RUMP_RFCFDG);
            pub.lwprocSetcred(pub.credCreate(id, id, new int[0]));
            Lwp l = pub.lwprocCurlwp();
            pub.lwprocSwitch(null);
            return l;
        }

        /** Creates or truncates {@code path} (as the caller) and writes {@code content}. */
        void write(String path, String content) {
            int fd = sys.open(path, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_TRUNC, 0644);
            sys.write(fd, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            sys.close(fd);
        }

        /** Expects {@code call} to fail with {@code errno} (null: to succeed). */
        void expect(Errno errno, String what, Runnable call) {
            soft.assertThat(errnoOf(call)).as("%s on %s", what, fs).isEqualTo(errno);
        }

        /** The same as {@link #expect}, with {@code who}'s process making the call. */
        void expectAs(Lwp who, Errno errno, String what, Runnable call) {
            pub.lwprocSwitch(who);
            try {
                expect(errno, what, call);
            } finally {
                pub.lwprocSwitch(null);
            }
        }

        /** Runs {@code call} in {@code who}'s process and returns what it returns. */
        int as(Lwp who, java.util.function.IntSupplier call) {
            pub.lwprocSwitch(who);
            try {
                return call.getAsInt();
            } finally {
                pub.lwprocSwitch(null);
            }
        }

        /** Mounts a second file system (tmpfs) at /mnt/m, for the cross-device cases. */
        void innerMount() {
            sys.mkdir("/mnt/m", 0755);
            sys.mount("tmpfs", "/mnt/m", 0, null);
        }

        /** Opens a directory for reading, to serve as an *at call's dirfd. */
        int openDir(String path) {
            return sys.open(path, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        }

        /** Halts the kernel, then reports every expectation that failed. */
        @Override
        public void close() {
            pub.lwprocSwitch(null);
            rk.close();
            soft.assertAll();
        }
    }

    // --- open, openat -------------------------------------------------------------------------

    /** open(2) and openat(2): each errno of the POSIX page that applies. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void open(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            // EACCES: search permission on a prefix, the permission oflag asks for, write permission to create
            env.expectAs(env.user, Errno.EACCES, "open through a 0700 directory",
                    () -> sys.open("/mnt/private/f", Sys.O_RDONLY, 0));
            env.expectAs(env.user, Errno.EACCES, "open a 0644 file of root's for writing",
                    () -> sys.open("/mnt/file", Sys.O_WRONLY, 0));
            env.expectAs(env.user, Errno.EACCES, "O_TRUNC without write permission",
                    () -> sys.open("/mnt/file", Sys.O_RDONLY | Sys.O_TRUNC, 0));
            env.expectAs(env.user, Errno.EACCES, "create in a directory without write permission",
                    () -> sys.open("/mnt/dir/new", Sys.O_CREAT | Sys.O_WRONLY, 0644));
            env.expectAs(env.user, null, "open a 0644 file of root's for reading",
                    () -> sys.close(sys.open("/mnt/file", Sys.O_RDONLY, 0)));
            // EEXIST: O_CREAT|O_EXCL on anything that exists, a symbolic link too, dangling or not
            env.expect(Errno.EEXIST, "O_EXCL on a file", () -> sys.open("/mnt/file", Sys.O_CREAT | Sys.O_EXCL | Sys.O_RDWR, 0644));
            env.expect(Errno.EEXIST, "O_EXCL on a directory", () -> sys.open("/mnt/dir", Sys.O_CREAT | Sys.O_EXCL | Sys.O_RDONLY, 0644));
            env.expect(Errno.EEXIST, "O_EXCL on a symlink", () -> sys.open("/mnt/link", Sys.O_CREAT | Sys.O_EXCL | Sys.O_RDWR, 0644));
            env.expect(Errno.EEXIST, "O_EXCL on a dangling symlink", () -> sys.open("/mnt/dangling", Sys.O_CREAT | Sys.O_EXCL | Sys.O_RDWR, 0644));
            env.soft.assertThat(errnoOf(() -> sys.lstat("/mnt/nowhere"))).as("O_EXCL did not create the link's target").isEqualTo(Errno.ENOENT);
            // EISDIR: a directory opened for writing
            env.expect(Errno.EISDIR, "O_WRONLY on a directory", () -> sys.open("/mnt/dir", Sys.O_WRONLY, 0));
            env.expect(Errno.EISDIR, "O_RDWR on a directory", () -> sys.open("/mnt/dir", Sys.O_RDWR, 0));
            env.expect(Errno.EISDIR, "O_CREAT|O_WRONLY on a directory", () -> sys.open("/mnt/dir", Sys.O_CREAT | Sys.O_WRONLY, 0644));
            // ELOOP: a loop, and more than MAXSYMLINKS links in one resolution (exactly MAXSYMLINKS is fine)
            env.expect(Errno.ELOOP, "open a symlink loop", () -> sys.open("/mnt/loop1", Sys.O_RDONLY, 0));
            env.expect(Errno.ELOOP, "open through a symlink loop", () -> sys.open("/mnt/loop1/x", Sys.O_RDONLY, 0));
            String prev = "file";
            for (int i = 1; i <= Sys.MAXSYMLINKS + 1; i++) {
                sys.symlink(prev, "/mnt/chain" + i);
                prev = "chain" + i;
            }
            env.expect(null, "MAXSYMLINKS links", () -> sys.close(sys.open("/mnt/chain" + Sys.MAXSYMLINKS, Sys.O_RDONLY, 0)));
            env.expect(Errno.ELOOP, "MAXSYMLINKS+1 links", () -> sys.open("/mnt/chain" + (Sys.MAXSYMLINKS + 1), Sys.O_RDONLY, 0));
            // ENAMETOOLONG: a component longer than NAME_MAX, a path of PATH_MAX bytes or more
            env.expect(Errno.ENAMETOOLONG, "a name over NAME_MAX", () -> sys.open(LONG_NAME, Sys.O_CREAT | Sys.O_WRONLY, 0644));
            env.expect(Errno.ENAMETOOLONG, "a path of PATH_MAX", () -> sys.open(LONG_PATH, Sys.O_CREAT | Sys.O_WRONLY, 0644));
            // ENOENT: no such file without O_CREAT, a missing directory on the way, "", a dangling symlink
            env.expect(Errno.ENOENT, "a missing file", () -> sys.open("/mnt/missing", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOENT, "O_CREAT under a missing directory", () -> sys.open("/mnt/missing/f", Sys.O_CREAT | Sys.O_WRONLY, 0644));
            env.expect(Errno.ENOENT, "the empty path", () -> sys.open("", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOENT, "a dangling symlink", () -> sys.open("/mnt/dangling", Sys.O_RDONLY, 0));
            env.expect(null, "O_CREAT through a dangling symlink creates its target",
                    () -> sys.close(sys.open("/mnt/dangling", Sys.O_CREAT | Sys.O_WRONLY, 0644)));
            env.soft.assertThat(errnoOf(() -> sys.lstat("/mnt/nowhere"))).as("the target exists on %s", fs).isNull();
            sys.unlink("/mnt/nowhere");
            // ENOTDIR: a prefix that is not a directory; O_DIRECTORY on a file (and on a symlink to one)
            env.expect(Errno.ENOTDIR, "a file as a prefix", () -> sys.open("/mnt/file/x", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOTDIR, "a file with a trailing slash", () -> sys.open("/mnt/file/", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOTDIR, "O_DIRECTORY on a file", () -> sys.open("/mnt/file", Sys.O_RDONLY | Sys.O_DIRECTORY, 0));
            env.expect(Errno.ENOTDIR, "O_DIRECTORY on a symlink to a file", () -> sys.open("/mnt/link", Sys.O_RDONLY | Sys.O_DIRECTORY, 0));
            // EINVAL: an access mode that is none of the three; NetBSD's vn_open refuses O_CREAT|O_DIRECTORY
            env.expect(Errno.EINVAL, "O_ACCMODE as the access mode", () -> sys.open("/mnt/file", Sys.O_ACCMODE, 0));
            env.expect(Errno.EINVAL, "O_CREAT|O_DIRECTORY", () -> sys.open("/mnt/newdir", Sys.O_CREAT | Sys.O_DIRECTORY | Sys.O_RDONLY, 0755));
            // O_NOFOLLOW on a symlink: POSIX says ELOOP, NetBSD's open(2) answers EFTYPE (Linux: ELOOP)
            env.expect(Errno.EFTYPE, "O_NOFOLLOW on a symlink", () -> sys.open("/mnt/link", Sys.O_RDONLY | Sys.O_NOFOLLOW, 0));
            env.expect(null, "O_NOFOLLOW follows links in the prefix", () -> {
                sys.symlink("full", "/mnt/dirlink");
                sys.close(sys.open("/mnt/dirlink/x", Sys.O_RDONLY | Sys.O_NOFOLLOW, 0));
            });
            // openat: EBADF for a bad dirfd with a relative path; ENOTDIR for a dirfd that is not a directory
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int dir = env.openDir("/mnt/full");
            int[] pipe = sys.pipe();
            env.expect(Errno.EBADF, "openat with a closed dirfd", () -> sys.openat(BAD_FD, "x", Sys.O_RDONLY, 0));
            env.expect(Errno.EBADF, "openat with a negative dirfd", () -> sys.openat(-5, "x", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOTDIR, "openat relative to a file", () -> sys.openat(file, "x", Sys.O_RDONLY, 0));
            env.expect(Errno.ENOTDIR, "openat relative to a pipe", () -> sys.openat(pipe[0], "x", Sys.O_RDONLY, 0));
            env.expect(null, "openat relative to a directory", () -> sys.close(sys.openat(dir, "x", Sys.O_RDONLY, 0)));
            env.expect(null, "openat ignores a bad dirfd for an absolute path", () -> sys.close(sys.openat(BAD_FD, "/mnt/file", Sys.O_RDONLY, 0)));
            env.expect(Errno.ENOENT, "openat relative to a directory, missing name", () -> sys.openat(dir, "nothere", Sys.O_RDONLY, 0));
            // EMFILE: the descriptor limit (RLIMIT_NOFILE) reached, in a process of its own
            env.pub.lwprocRfork(Sys.RUMP_RFCFDG);
            sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(4, 4));
            for (int i = 0; i < 4; i++) sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EMFILE, "open past RLIMIT_NOFILE", () -> sys.open("/mnt/file", Sys.O_RDONLY, 0));
            env.expect(Errno.EMFILE, "openat past RLIMIT_NOFILE", () -> sys.openat(Sys.AT_FDCWD, "/mnt/file", Sys.O_RDONLY, 0));
            env.expect(Errno.EMFILE, "O_CREAT past RLIMIT_NOFILE", () -> sys.open("/mnt/dir/new", Sys.O_CREAT | Sys.O_RDWR, 0644));
            env.expect(Errno.EMFILE, "O_TRUNC past RLIMIT_NOFILE", () -> sys.open("/mnt/file", Sys.O_TRUNC | Sys.O_RDWR, 0));
            // a failed call changes nothing: NetBSD allocates the descriptor before vn_open
            env.soft.assertThat(errnoOf(() -> sys.lstat("/mnt/dir/new"))).as("EMFILE created nothing on %s", fs).isEqualTo(Errno.ENOENT);
            env.soft.assertThat(sys.stat("/mnt/file").size()).as("EMFILE truncated nothing on %s", fs).isEqualTo(5);
            sys.close(3);
            env.expect(null, "a descriptor freed under the limit", () -> sys.open("/mnt/file", Sys.O_RDONLY, 0));
            env.pub.lwprocSwitch(null);
        }
    }

    // --- close --------------------------------------------------------------------------------

    /** close(2): EBADF for a descriptor that is not open, also one just closed. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void close(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(null, "close an open file", () -> sys.close(fd));
            env.expect(Errno.EBADF, "close it again", () -> sys.close(fd));
            env.expect(Errno.EBADF, "close a never opened fd", () -> sys.close(BAD_FD));
            env.expect(Errno.EBADF, "close a negative fd", () -> sys.close(-1));
        }
    }

    // --- read, write, pread, pwrite --------------------------------------------------------------

    /** read(2), write(2), pread(2), pwrite(2): EBADF, EISDIR, EINVAL, ESPIPE, EPIPE. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void readWrite(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            ByteBuffer b = ByteBuffer.allocate(16);
            int ro = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int wo = sys.open("/mnt/file", Sys.O_WRONLY, 0);
            int dir = env.openDir("/mnt/dir");
            // EBADF: not open, or not open for the direction asked
            env.expect(Errno.EBADF, "read a closed fd", () -> sys.read(BAD_FD, b.clear()));
            env.expect(Errno.EBADF, "write a closed fd", () -> sys.write(BAD_FD, ByteBuffer.wrap(new byte[1])));
            env.expect(Errno.EBADF, "read a write-only fd", () -> sys.read(wo, b.clear()));
            env.expect(Errno.EBADF, "write a read-only fd", () -> sys.write(ro, ByteBuffer.wrap(new byte[1])));
            env.expect(Errno.EBADF, "pread a write-only fd", () -> sys.pread(wo, b.clear(), 0));
            env.expect(Errno.EBADF, "pwrite a read-only fd", () -> sys.pwrite(ro, ByteBuffer.wrap(new byte[1]), 0));
            env.expect(Errno.EBADF, "pread a closed fd", () -> sys.pread(BAD_FD, b.clear(), 0));
            // EISDIR: read(2) of a directory (NetBSD's read(2); getdents is the way to read one)
            env.expect(Errno.EISDIR, "read a directory", () -> sys.read(dir, b.clear()));
            env.expect(Errno.EISDIR, "pread a directory", () -> sys.pread(dir, b.clear(), 0));
            // EINVAL: a negative offset
            env.expect(Errno.EINVAL, "pread at a negative offset", () -> sys.pread(ro, b.clear(), -1));
            env.expect(Errno.EINVAL, "pwrite at a negative offset", () -> sys.pwrite(wo, ByteBuffer.wrap(new byte[1]), -1));
            env.soft.assertThat(sys.fstat(ro).size()).as("failed writes changed nothing on %s", fs).isEqualTo(5);
            // ESPIPE: positioned I/O on a pipe and on a FIFO
            int[] p = sys.pipe();
            env.expect(Errno.ESPIPE, "pread a pipe", () -> sys.pread(p[0], b.clear(), 0));
            env.expect(Errno.ESPIPE, "pwrite a pipe", () -> sys.pwrite(p[1], ByteBuffer.wrap(new byte[1]), 0));
            sys.mkfifo("/mnt/fifo", 0644);
            int fifo = sys.open("/mnt/fifo", Sys.O_RDWR, 0);
            env.expect(Errno.ESPIPE, "pread a FIFO", () -> sys.pread(fifo, b.clear(), 0));
            env.expect(Errno.ESPIPE, "pwrite a FIFO", () -> sys.pwrite(fifo, ByteBuffer.wrap(new byte[1]), 0));
            // pipes: the wrong end is EBADF, writing with no reader left is EPIPE (no SIGPIPE in a rump kernel)
            env.expect(Errno.EBADF, "read a pipe's write end", () -> sys.read(p[1], b.clear()));
            env.expect(Errno.EBADF, "write a pipe's read end", () -> sys.write(p[0], ByteBuffer.wrap(new byte[1])));
            sys.close(p[0]);
            env.expect(Errno.EPIPE, "write a pipe without reader", () -> sys.write(p[1], ByteBuffer.wrap(new byte[1])));
            // a read at end of file is not an error: it returns 0
            env.soft.assertThat(sys.pread(ro, b.clear(), 100)).as("pread past the end on %s", fs).isZero();
        }
    }

    // --- lseek --------------------------------------------------------------------------------

    /** lseek(2): EBADF, EINVAL for a bad whence or a negative result, ESPIPE on pipes and FIFOs. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void lseek(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            sys.lseek(fd, 2, Sys.SEEK_SET);
            env.expect(Errno.EBADF, "lseek a closed fd", () -> sys.lseek(BAD_FD, 0, Sys.SEEK_SET));
            env.expect(Errno.EINVAL, "whence 3", () -> sys.lseek(fd, 0, 3));
            env.expect(Errno.EINVAL, "whence -1", () -> sys.lseek(fd, 0, -1));
            env.expect(Errno.EINVAL, "SEEK_SET to -1", () -> sys.lseek(fd, -1, Sys.SEEK_SET));
            env.expect(Errno.EINVAL, "SEEK_CUR before the start", () -> sys.lseek(fd, -3, Sys.SEEK_CUR));
            env.expect(Errno.EINVAL, "SEEK_END before the start", () -> sys.lseek(fd, -6, Sys.SEEK_END));
            env.soft.assertThat(sys.lseek(fd, 0, Sys.SEEK_CUR)).as("failed seeks kept the offset on %s", fs).isEqualTo(2);
            env.soft.assertThat(sys.lseek(fd, 10, Sys.SEEK_END)).as("seeking past the end is allowed on %s", fs).isEqualTo(15);
            int[] p = sys.pipe();
            env.expect(Errno.ESPIPE, "lseek a pipe", () -> sys.lseek(p[0], 0, Sys.SEEK_CUR));
            sys.mkfifo("/mnt/fifo", 0644);
            int fifo = sys.open("/mnt/fifo", Sys.O_RDWR, 0);
            env.expect(Errno.ESPIPE, "lseek a FIFO", () -> sys.lseek(fifo, 0, Sys.SEEK_SET));
        }
    }

    // --- stat, lstat, fstatat, fstat -------------------------------------------------------------

    /** stat(2), lstat(2), fstatat(2), fstat(2): EACCES, EBADF, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void stat(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expectAs(env.user, Errno.EACCES, "stat through a 0700 directory", () -> sys.stat("/mnt/private/f"));
            env.expectAs(env.user, null, "stat of the 0700 directory itself", () -> sys.stat("/mnt/private"));
            env.expect(Errno.ELOOP, "stat a loop", () -> sys.stat("/mnt/loop1"));
            env.expect(null, "lstat a loop: the link itself", () -> sys.lstat("/mnt/loop1"));
            env.expect(Errno.ELOOP, "lstat through a loop", () -> sys.lstat("/mnt/loop1/x"));
            env.expect(Errno.ENAMETOOLONG, "stat a long name", () -> sys.stat(LONG_NAME));
            env.expect(Errno.ENAMETOOLONG, "lstat a long path", () -> sys.lstat(LONG_PATH));
            env.expect(Errno.ENOENT, "stat a missing file", () -> sys.stat("/mnt/missing"));
            env.expect(Errno.ENOENT, "stat a dangling link", () -> sys.stat("/mnt/dangling"));
            env.expect(Errno.ENOENT, "stat the empty path", () -> sys.stat(""));
            env.expect(null, "lstat a dangling link", () -> sys.lstat("/mnt/dangling"));
            env.expect(Errno.ENOTDIR, "stat under a file", () -> sys.stat("/mnt/file/x"));
            env.expect(Errno.ENOTDIR, "lstat a file with a trailing slash", () -> sys.lstat("/mnt/file/"));
            // fstatat: the dirfd and the flag
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int dir = env.openDir("/mnt/full");
            env.expect(Errno.EBADF, "fstatat with a closed dirfd", () -> sys.fstatat(BAD_FD, "x", 0));
            env.expect(Errno.ENOTDIR, "fstatat relative to a file", () -> sys.fstatat(file, "x", 0));
            env.expect(Errno.EINVAL, "fstatat with an unknown flag", () -> sys.fstatat(dir, "x", 0x4000));
            env.expect(Errno.ENOENT, "fstatat of a missing name", () -> sys.fstatat(dir, "y", 0));
            env.expect(Errno.ELOOP, "fstatat of a loop", () -> sys.fstatat(Sys.AT_FDCWD, "/mnt/loop1", 0));
            env.soft.assertThat(sys.fstatat(Sys.AT_FDCWD, "/mnt/loop1", Sys.AT_SYMLINK_NOFOLLOW).isSymbolicLink())
                    .as("fstatat AT_SYMLINK_NOFOLLOW on %s", fs).isTrue();
            env.expect(Errno.EBADF, "fstat a closed fd", () -> sys.fstat(BAD_FD));
        }
    }

    // --- mkdir, mkdirat -----------------------------------------------------------------------

    /** mkdir(2), mkdirat(2): EACCES, EEXIST, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, EBADF. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void mkdir(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expectAs(env.user, Errno.EACCES, "mkdir in root's 0755 directory", () -> sys.mkdir("/mnt/dir/d", 0755));
            env.expectAs(env.user, Errno.EACCES, "mkdir through a 0700 directory", () -> sys.mkdir("/mnt/private/d", 0755));
            env.expectAs(env.user, null, "mkdir in the user's own directory", () -> sys.mkdir("/mnt/home/d", 0755));
            env.expect(Errno.EEXIST, "mkdir over a directory", () -> sys.mkdir("/mnt/dir", 0755));
            env.expect(Errno.EEXIST, "mkdir over a file", () -> sys.mkdir("/mnt/file", 0755));
            env.expect(Errno.EEXIST, "mkdir over a symlink", () -> sys.mkdir("/mnt/link", 0755));
            env.expect(Errno.EEXIST, "mkdir over a dangling symlink", () -> sys.mkdir("/mnt/dangling", 0755));
            env.expect(Errno.EEXIST, "mkdir /", () -> sys.mkdir("/", 0755));
            env.expect(Errno.EEXIST, "mkdir of the mount point", () -> sys.mkdir("/mnt", 0755));
            env.expect(Errno.ELOOP, "mkdir through a loop", () -> sys.mkdir("/mnt/loop1/d", 0755));
            env.expect(Errno.ENAMETOOLONG, "mkdir a long name", () -> sys.mkdir(LONG_NAME, 0755));
            env.expect(Errno.ENAMETOOLONG, "mkdir a long path", () -> sys.mkdir(LONG_PATH, 0755));
            env.expect(Errno.ENOENT, "mkdir under a missing directory", () -> sys.mkdir("/mnt/missing/d", 0755));
            env.expect(Errno.ENOENT, "mkdir the empty path", () -> sys.mkdir("", 0755));
            env.expect(Errno.ENOTDIR, "mkdir under a file", () -> sys.mkdir("/mnt/file/d", 0755));
            env.expect(null, "mkdir with a trailing slash", () -> sys.mkdir("/mnt/slashed/", 0755));
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int dir = env.openDir("/mnt/dir");
            env.expect(Errno.EBADF, "mkdirat with a closed dirfd", () -> sys.mkdirat(BAD_FD, "d", 0755));
            env.expect(Errno.ENOTDIR, "mkdirat relative to a file", () -> sys.mkdirat(file, "d", 0755));
            env.expect(Errno.EEXIST, "mkdirat over an existing name", () -> sys.mkdirat(env.openDir("/mnt/full"), "x", 0755));
            env.expect(null, "mkdirat relative to a directory", () -> sys.mkdirat(dir, "d", 0755));
            env.soft.assertThat(sys.stat("/mnt/dir/d").isDirectory()).as("mkdirat made it on %s", fs).isTrue();
        }
    }

    // --- rmdir --------------------------------------------------------------------------------

    /** rmdir(2): ENOTEMPTY, ENOTDIR, EINVAL for ".", EBUSY for a mount point and "/", EACCES, ENOENT, EPERM. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void rmdir(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            // POSIX allows EEXIST or ENOTEMPTY; NetBSD's rmdir(2) answers ENOTEMPTY
            env.expect(Errno.ENOTEMPTY, "rmdir a non-empty directory", () -> sys.rmdir("/mnt/full"));
            env.expect(Errno.ENOTDIR, "rmdir a file", () -> sys.rmdir("/mnt/file"));
            env.expect(Errno.ENOTDIR, "rmdir a symlink to a directory", () -> {
                sys.symlink("dir", "/mnt/dirlink");
                sys.rmdir("/mnt/dirlink");
            });
            env.expect(Errno.ENOTDIR, "rmdir under a file", () -> sys.rmdir("/mnt/file/d"));
            env.expect(Errno.EINVAL, "rmdir with a last component of \".\"", () -> sys.rmdir("/mnt/dir/."));
            // EBUSY: a mount point or a file system's root, also named as "." (NetBSD checks this before ".")
            env.expect(Errno.EBUSY, "rmdir /", () -> sys.rmdir("/"));
            env.expect(Errno.EBUSY, "rmdir /.", () -> sys.rmdir("/."));
            if (fs.type() != null) {
                env.expect(Errno.EBUSY, "rmdir a mount point", () -> sys.rmdir("/mnt"));
                env.expect(Errno.EBUSY, "rmdir a mounted root as \".\"", () -> sys.rmdir("/mnt/."));
            }
            env.innerMount();
            env.expect(Errno.EBUSY, "rmdir a mount point inside", () -> sys.rmdir("/mnt/m"));
            env.expect(Errno.EBUSY, "rmdir a mount point inside as \".\"", () -> sys.rmdir("/mnt/m/."));
            sys.mkdir("/mnt/full/sub", 0755);
            env.expectAs(env.user, Errno.EACCES, "rmdir in root's 0755 directory", () -> sys.rmdir("/mnt/full/sub"));
            // NetBSD checks the directory's write permission in the lookup, before the type (ufs_lookup, tmpfs_lookup)
            env.expectAs(env.user, Errno.EACCES, "rmdir a file in root's 0755 directory", () -> sys.rmdir("/mnt/full/x"));
            env.expect(Errno.ENOENT, "rmdir a missing name", () -> sys.rmdir("/mnt/missing"));
            env.expect(Errno.ENOENT, "rmdir the empty path", () -> sys.rmdir(""));
            env.expect(Errno.ELOOP, "rmdir through a loop", () -> sys.rmdir("/mnt/loop1/d"));
            env.expect(Errno.ENAMETOOLONG, "rmdir a long name", () -> sys.rmdir(LONG_NAME));
            // EPERM: the sticky directory protects other users' entries
            sys.mkdir("/mnt/sticky/theirs", 0777);
            sys.chown("/mnt/sticky/theirs", OTHER, OTHER);
            env.expectAs(env.user, Errno.EPERM, "rmdir another user's directory in a sticky directory", () -> sys.rmdir("/mnt/sticky/theirs"));
            env.expectAs(env.other, null, "rmdir one's own directory in a sticky directory", () -> sys.rmdir("/mnt/sticky/theirs"));
            env.expect(null, "rmdir an empty directory", () -> sys.rmdir("/mnt/dir"));
        }
    }

    // --- unlink, unlinkat ---------------------------------------------------------------------

    /** unlink(2), unlinkat(2): EPERM for directories (NetBSD), ENOENT, ENOTDIR, EACCES, EBUSY, EBADF, EINVAL. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void unlink(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            // POSIX: EPERM (or EISDIR on Linux); NetBSD's unlink(2) answers EPERM, for root too
            env.expect(Errno.EPERM, "unlink a directory", () -> sys.unlink("/mnt/dir"));
            env.expect(Errno.ENOENT, "unlink a missing name", () -> sys.unlink("/mnt/missing"));
            env.expect(Errno.ENOENT, "unlink under a missing directory", () -> sys.unlink("/mnt/missing/f"));
            env.expect(Errno.ENOENT, "unlink the empty path", () -> sys.unlink(""));
            env.expect(Errno.ENOTDIR, "unlink under a file", () -> sys.unlink("/mnt/file/x"));
            env.expect(Errno.ENOTDIR, "unlink a file with a trailing slash", () -> sys.unlink("/mnt/file/"));
            // "." as the last component: NetBSD's do_sys_unlinkat answers EINVAL before looking at the type
            // (Linux: EISDIR)
            env.expect(Errno.EINVAL, "unlink \".\"", () -> sys.unlink("/mnt/dir/."));
            env.expect(Errno.ELOOP, "unlink through a loop", () -> sys.unlink("/mnt/loop1/x"));
            env.expect(Errno.ENAMETOOLONG, "unlink a long name", () -> sys.unlink(LONG_NAME));
            env.expectAs(env.user, Errno.EACCES, "unlink in root's 0755 directory", () -> sys.unlink("/mnt/full/x"));
            // the permission comes before the type on NetBSD: EACCES, not EPERM, for a directory here
            sys.mkdir("/mnt/dir/sub", 0755);
            env.expectAs(env.user, Errno.EACCES, "unlink a directory in root's 0755 directory", () -> sys.unlink("/mnt/dir/sub"));
            env.expectAs(env.user, Errno.EACCES, "unlink through a 0700 directory", () -> sys.unlink("/mnt/private/f"));
            env.expect(Errno.EBUSY, "unlink /", () -> sys.unlink("/"));
            env.innerMount();
            env.expect(Errno.EBUSY, "unlink a mount point", () -> sys.unlink("/mnt/m"));
            // EPERM: the sticky directory (NetBSD; POSIX allows EACCES too)
            env.write("/mnt/sticky/theirs", "t");
            sys.chown("/mnt/sticky/theirs", OTHER, OTHER);
            sys.chmod("/mnt/sticky/theirs", 0666);
            env.expectAs(env.user, Errno.EPERM, "unlink another user's file in a sticky directory", () -> sys.unlink("/mnt/sticky/theirs"));
            // unlinking a symlink removes the link, not its target
            env.expect(null, "unlink a symlink", () -> sys.unlink("/mnt/link"));
            env.soft.assertThat(sys.stat("/mnt/file").size()).as("the target stays on %s", fs).isEqualTo(5);
            // unlinkat: AT_REMOVEDIR on a file, flags, the dirfd
            int dir = env.openDir("/mnt/full");
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.ENOTDIR, "unlinkat AT_REMOVEDIR of a file", () -> sys.unlinkat(dir, "x", Sys.AT_REMOVEDIR));
            env.expect(Errno.EPERM, "unlinkat without AT_REMOVEDIR of a directory", () -> sys.unlinkat(Sys.AT_FDCWD, "/mnt/dir", 0));
            env.expect(Errno.EINVAL, "unlinkat with an unknown flag", () -> sys.unlinkat(dir, "x", 0x1));
            env.expect(Errno.EBADF, "unlinkat with a closed dirfd", () -> sys.unlinkat(BAD_FD, "x", 0));
            env.expect(Errno.ENOTDIR, "unlinkat relative to a file", () -> sys.unlinkat(file, "x", 0));
            env.expect(Errno.ENOTEMPTY, "unlinkat AT_REMOVEDIR of a non-empty directory", () -> sys.unlinkat(Sys.AT_FDCWD, "/mnt/full", Sys.AT_REMOVEDIR));
            env.expect(null, "unlinkat of a file", () -> sys.unlinkat(dir, "x", 0));
            env.expect(null, "unlinkat AT_REMOVEDIR of an empty directory", () -> sys.unlinkat(Sys.AT_FDCWD, "/mnt/full", Sys.AT_REMOVEDIR));
            // a read-only file system is refused before permissions and types (tmpfs_access, ufs_access, namei)
            if (fs.remountReadOnly(env.rk)) {
                env.expectAs(env.user, Errno.EROFS, "unlink of a directory in root's directory, read-only", () -> sys.unlink("/mnt/dir/sub"));
                env.expectAs(env.user, Errno.EROFS, "rmdir in root's directory, read-only", () -> sys.rmdir("/mnt/dir/sub"));
                env.expectAs(env.user, Errno.EROFS, "rename in root's directory, read-only", () -> sys.rename("/mnt/dir/sub", "/mnt/dir/x"));
                env.expectAs(env.user, Errno.EROFS, "link a directory into root's directory, read-only", () -> sys.link("/mnt/dir", "/mnt/dir/x"));
            }
        }
    }

    // --- rename, renameat ---------------------------------------------------------------------

    /** rename(2), renameat(2): EINVAL, EISDIR, ENOTDIR, ENOTEMPTY, ENOENT, EXDEV, EACCES, EBUSY, EBADF; same file is a no-op. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void rename(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            sys.mkdir("/mnt/full/sub", 0755);
            // EINVAL: a directory into its own subtree, or "." / ".." as either last component
            env.expect(Errno.EINVAL, "a directory into itself", () -> sys.rename("/mnt/full", "/mnt/full/sub/inner"));
            env.expect(Errno.EINVAL, "a directory onto its own child", () -> sys.rename("/mnt/full", "/mnt/full/sub"));
            env.expect(Errno.EINVAL, "rename of \".\"", () -> sys.rename("/mnt/dir/.", "/mnt/other"));
            env.expect(Errno.EINVAL, "rename of \"..\"", () -> sys.rename("/mnt/full/sub/..", "/mnt/other"));
            // NetBSD: onto "." is onto a directory (t_vnops rename_dir expects EISDIR), from "." EINVAL
            env.expect(Errno.EISDIR, "rename onto \".\"", () -> sys.rename("/mnt/file", "/mnt/dir/."));
            // EISDIR, ENOTDIR: the types do not match
            env.expect(Errno.EISDIR, "a file onto a directory", () -> sys.rename("/mnt/file", "/mnt/dir"));
            env.expect(Errno.ENOTDIR, "a directory onto a file", () -> sys.rename("/mnt/dir", "/mnt/file"));
            env.expect(Errno.ENOTDIR, "under a file", () -> sys.rename("/mnt/file/x", "/mnt/y"));
            env.expect(Errno.ENOTDIR, "to under a file", () -> sys.rename("/mnt/dir", "/mnt/file/y"));
            env.expect(Errno.ENOTDIR, "a file with a trailing slash", () -> sys.rename("/mnt/file/", "/mnt/y"));
            // ENOTEMPTY: POSIX allows EEXIST too, NetBSD's rename(2) answers ENOTEMPTY
            env.expect(Errno.ENOTEMPTY, "a directory onto a non-empty one", () -> sys.rename("/mnt/dir", "/mnt/full"));
            // ENOENT
            env.expect(Errno.ENOENT, "a missing source", () -> sys.rename("/mnt/missing", "/mnt/y"));
            env.expect(Errno.ENOENT, "to a missing directory", () -> sys.rename("/mnt/file", "/mnt/missing/y"));
            env.expect(Errno.ENOENT, "the empty source", () -> sys.rename("", "/mnt/y"));
            env.expect(Errno.ENOENT, "the empty target", () -> sys.rename("/mnt/file", ""));
            env.expect(Errno.ELOOP, "through a loop", () -> sys.rename("/mnt/loop1/x", "/mnt/y"));
            env.expect(Errno.ENAMETOOLONG, "to a long name", () -> sys.rename("/mnt/file", LONG_NAME));
            // EXDEV: across file systems, both ways
            env.innerMount();
            env.expect(Errno.EXDEV, "a file to another file system", () -> sys.rename("/mnt/file", "/mnt/m/file"));
            env.expect(Errno.EXDEV, "a directory to another file system", () -> sys.rename("/mnt/dir", "/mnt/m/dir"));
            env.write("/mnt/m/f", "m");
            env.expect(Errno.EXDEV, "a file from another file system", () -> sys.rename("/mnt/m/f", "/mnt/f"));
            // a user who may not write the source's directory: EACCES before the target is even looked up
            env.expectAs(env.user, Errno.EACCES, "out of root's directory to a missing one", () -> sys.rename("/mnt/full/x", "/mnt/missing/x"));
            // EBUSY: a mount point cannot move
            env.expect(Errno.EBUSY, "a mount point", () -> sys.rename("/mnt/m", "/mnt/m2"));
            if (fs.type() != null) env.expect(Errno.EBUSY, "the mount point of /mnt", () -> sys.rename("/mnt", "/mnt2"));
            // EACCES: write permission on both directories
            env.expectAs(env.user, Errno.EACCES, "out of root's 0755 directory", () -> sys.rename("/mnt/full/x", "/mnt/home/x"));
            env.expectAs(env.user, Errno.EACCES, "into root's 0755 directory", () -> sys.rename("/mnt/home/mine", "/mnt/dir/mine"));
            // a directory that changes parent needs write permission on itself for its ".." (NetBSD's
            // genfs_ufslike_rename_check_permitted; POSIX lists it under EACCES)
            env.as(env.user, () -> sys.mkdir("/mnt/home/d", 0755));
            env.as(env.user, () -> sys.mkdir("/mnt/home/sub", 0755));
            env.as(env.user, () -> sys.chmod("/mnt/home/d", 0555));
            env.expectAs(env.user, Errno.EACCES, "a 0555 directory to another parent", () -> sys.rename("/mnt/home/d", "/mnt/home/sub/d"));
            env.expectAs(env.user, null, "a 0555 directory within its parent", () -> sys.rename("/mnt/home/d", "/mnt/home/e"));
            // EPERM: the sticky directory protects other users' entries (NetBSD; POSIX allows EACCES)
            env.write("/mnt/sticky/theirs", "t");
            sys.chown("/mnt/sticky/theirs", OTHER, OTHER);
            env.expectAs(env.user, Errno.EPERM, "another user's file out of a sticky directory", () -> sys.rename("/mnt/sticky/theirs", "/mnt/sticky/mine"));
            // the same file: nothing happens, and both names stay (two links to one file too)
            env.expect(null, "a file onto itself", () -> sys.rename("/mnt/file", "/mnt/file"));
            env.expect(null, "a directory onto itself", () -> sys.rename("/mnt/dir", "/mnt/dir"));
            sys.link("/mnt/file", "/mnt/hard");
            env.expect(null, "a link onto another link of the same file", () -> sys.rename("/mnt/file", "/mnt/hard"));
            env.soft.assertThat(errnoOf(() -> sys.stat("/mnt/file"))).as("the source name stays on %s", fs).isNull();
            env.soft.assertThat(sys.stat("/mnt/hard").nlink()).as("two links still on %s", fs).isEqualTo(2);
            // renameat
            int dir = env.openDir("/mnt/dir");
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EBADF, "renameat with a closed fromfd", () -> sys.renameat(BAD_FD, "a", dir, "b"));
            env.expect(Errno.EBADF, "renameat with a closed tofd", () -> sys.renameat(Sys.AT_FDCWD, "/mnt/file", BAD_FD, "b"));
            env.expect(Errno.ENOTDIR, "renameat relative to a file", () -> sys.renameat(file, "a", dir, "b"));
            env.expect(null, "renameat between directory fds", () -> sys.renameat(Sys.AT_FDCWD, "/mnt/file", dir, "moved"));
            env.soft.assertThat(sys.stat("/mnt/dir/moved").size()).as("renameat moved it on %s", fs).isEqualTo(5);
        }
    }

    // --- link, linkat -------------------------------------------------------------------------

    /** link(2), linkat(2): EEXIST, ENOENT, EPERM for directories, EXDEV, ENOTDIR, EACCES, EBADF, EINVAL. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void link(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EEXIST, "link onto a file", () -> sys.link("/mnt/file", "/mnt/full/x"));
            env.expect(Errno.EEXIST, "link onto a directory", () -> sys.link("/mnt/file", "/mnt/dir"));
            env.expect(Errno.EEXIST, "link onto a dangling symlink", () -> sys.link("/mnt/file", "/mnt/dangling"));
            env.expect(Errno.ENOENT, "link a missing file", () -> sys.link("/mnt/missing", "/mnt/new"));
            env.expect(Errno.ENOENT, "link into a missing directory", () -> sys.link("/mnt/file", "/mnt/missing/new"));
            env.expect(Errno.ENOENT, "link the empty path", () -> sys.link("", "/mnt/new"));
            // POSIX: EPERM for a directory where the implementation does not link them; NetBSD's link(2): EPERM
            env.expect(Errno.EPERM, "link a directory", () -> sys.link("/mnt/dir", "/mnt/new"));
            // NetBSD's do_sys_linkat looks the new name up first: EEXIST and EACCES come before EPERM
            env.expect(Errno.EEXIST, "link a directory onto an existing name", () -> sys.link("/mnt/dir", "/mnt/file"));
            env.expectAs(env.user, Errno.EACCES, "link a directory into root's 0755 directory", () -> sys.link("/mnt/dir", "/mnt/full/d"));
            env.expect(Errno.ENOTDIR, "link under a file", () -> sys.link("/mnt/file/x", "/mnt/new"));
            env.expect(Errno.ENOTDIR, "link to under a file", () -> sys.link("/mnt/file", "/mnt/file/new"));
            env.expect(Errno.ELOOP, "link through a loop", () -> sys.link("/mnt/loop1/x", "/mnt/new"));
            env.expect(Errno.ENAMETOOLONG, "link to a long name", () -> sys.link("/mnt/file", LONG_NAME));
            env.expectAs(env.user, Errno.EACCES, "link into root's 0755 directory", () -> sys.link("/mnt/home/mine", "/mnt/dir/mine"));
            env.expectAs(env.user, Errno.EACCES, "link out of a 0700 directory", () -> sys.link("/mnt/private/f", "/mnt/home/f"));
            env.innerMount();
            env.expect(Errno.EXDEV, "link across file systems", () -> sys.link("/mnt/file", "/mnt/m/file"));
            env.expect(null, "link a file", () -> sys.link("/mnt/file", "/mnt/hard"));
            env.soft.assertThat(sys.stat("/mnt/file").nlink()).as("two links on %s", fs).isEqualTo(2);
            // linkat: flags and dirfds; without AT_SYMLINK_FOLLOW the link itself is linked
            int dir = env.openDir("/mnt/dir");
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EINVAL, "linkat with an unknown flag", () -> sys.linkat(Sys.AT_FDCWD, "/mnt/file", dir, "a", 0x1));
            env.expect(Errno.EBADF, "linkat with a closed fd1", () -> sys.linkat(BAD_FD, "file", dir, "a", 0));
            env.expect(Errno.EBADF, "linkat with a closed fd2", () -> sys.linkat(Sys.AT_FDCWD, "/mnt/file", BAD_FD, "a", 0));
            env.expect(Errno.ENOTDIR, "linkat relative to a file", () -> sys.linkat(file, "x", dir, "a", 0));
            env.expect(null, "linkat of a symlink, not followed", () -> sys.linkat(Sys.AT_FDCWD, "/mnt/link", dir, "l", 0));
            env.expect(null, "linkat of a symlink, followed", () -> sys.linkat(Sys.AT_FDCWD, "/mnt/link", dir, "f", Sys.AT_SYMLINK_FOLLOW));
            env.soft.assertThat(sys.lstat("/mnt/dir/l").isSymbolicLink()).as("the link itself on %s", fs).isTrue();
            env.soft.assertThat(sys.lstat("/mnt/dir/f").isRegularFile()).as("the link's target on %s", fs).isTrue();
        }
    }

    // --- symlink, symlinkat -------------------------------------------------------------------

    /** symlink(2), symlinkat(2): EEXIST, ENOENT, ENOTDIR, EACCES, ENAMETOOLONG, ELOOP, EBADF. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void symlink(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EEXIST, "symlink onto a file", () -> sys.symlink("x", "/mnt/file"));
            env.expect(Errno.EEXIST, "symlink onto a directory", () -> sys.symlink("x", "/mnt/dir"));
            env.expect(Errno.EEXIST, "symlink onto a dangling symlink", () -> sys.symlink("x", "/mnt/dangling"));
            env.expect(Errno.ENOENT, "symlink in a missing directory", () -> sys.symlink("x", "/mnt/missing/l"));
            env.expect(Errno.ENOENT, "symlink at the empty path", () -> sys.symlink("x", ""));
            env.expect(Errno.ENOTDIR, "symlink under a file", () -> sys.symlink("x", "/mnt/file/l"));
            env.expect(Errno.ELOOP, "symlink through a loop", () -> sys.symlink("x", "/mnt/loop1/l"));
            env.expectAs(env.user, Errno.EACCES, "symlink in root's 0755 directory", () -> sys.symlink("x", "/mnt/dir/l"));
            env.expect(Errno.ENAMETOOLONG, "a long link name", () -> sys.symlink("x", LONG_NAME));
            env.expect(Errno.ENAMETOOLONG, "a target of PATH_MAX bytes", () -> sys.symlink("t".repeat(Sys.PATH_MAX), "/mnt/l"));
            env.expect(null, "a target of PATH_MAX-1 bytes", () -> sys.symlink("t".repeat(Sys.PATH_MAX - 1), "/mnt/l"));
            env.soft.assertThat(sys.lstat("/mnt/l").size()).as("the link's size is its target's length on %s", fs).isEqualTo(Sys.PATH_MAX - 1);
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int dir = env.openDir("/mnt/dir");
            env.expect(Errno.EBADF, "symlinkat with a closed dirfd", () -> sys.symlinkat("x", BAD_FD, "l"));
            env.expect(Errno.ENOTDIR, "symlinkat relative to a file", () -> sys.symlinkat("x", file, "l"));
            env.expect(null, "symlinkat relative to a directory", () -> sys.symlinkat("x", dir, "l"));
            env.soft.assertThat(sys.lstat("/mnt/dir/l").isSymbolicLink()).as("symlinkat made it on %s", fs).isTrue();
        }
    }

    // --- readlink, readlinkat -----------------------------------------------------------------

    /** readlink(2), readlinkat(2): EINVAL for what is not a symlink, ENOENT, ENOTDIR, ELOOP, EACCES, EBADF. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void readlink(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            ByteBuffer b = ByteBuffer.allocate(Sys.PATH_MAX);
            env.expect(Errno.EINVAL, "readlink a file", () -> sys.readlink("/mnt/file", b.clear()));
            env.expect(Errno.EINVAL, "readlink a directory", () -> sys.readlink("/mnt/dir", b.clear()));
            env.expect(Errno.EINVAL, "readlink a symlink to a directory, with a slash", () -> {
                sys.symlink("dir", "/mnt/dirlink");
                sys.readlink("/mnt/dirlink/", b.clear());
            });
            env.expect(Errno.ENOENT, "readlink a missing name", () -> sys.readlink("/mnt/missing", b.clear()));
            env.expect(Errno.ENOENT, "readlink the empty path", () -> sys.readlink("", b.clear()));
            env.expect(Errno.ENOTDIR, "readlink under a file", () -> sys.readlink("/mnt/file/l", b.clear()));
            env.expect(Errno.ELOOP, "readlink through a loop", () -> sys.readlink("/mnt/loop1/l", b.clear()));
            env.expect(Errno.ENAMETOOLONG, "readlink a long name", () -> sys.readlink(LONG_NAME, b.clear()));
            sys.symlink("target", "/mnt/private/l");
            env.expectAs(env.user, Errno.EACCES, "readlink through a 0700 directory", () -> sys.readlink("/mnt/private/l", b.clear()));
            env.soft.assertThat(sys.readlink("/mnt/loop1", b.clear())).as("a loop's link reads on %s", fs).isEqualTo(5);
            // a short buffer truncates: no error (POSIX)
            ByteBuffer small = ByteBuffer.allocate(3);
            env.soft.assertThat(sys.readlink("/mnt/dangling", small)).as("truncated to the buffer on %s", fs).isEqualTo(3);
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int dir = env.openDir("/mnt");
            env.expect(Errno.EBADF, "readlinkat with a closed dirfd", () -> sys.readlinkat(BAD_FD, "link", b.clear()));
            env.expect(Errno.ENOTDIR, "readlinkat relative to a file", () -> sys.readlinkat(file, "link", b.clear()));
            env.expect(Errno.EINVAL, "readlinkat of a file", () -> sys.readlinkat(dir, "file", b.clear()));
            env.soft.assertThat(sys.readlinkat(dir, "link", b.clear())).as("readlinkat on %s", fs).isEqualTo(4);
        }
    }

    // --- chmod, fchmod, fchmodat, lchmod --------------------------------------------------------

    /** chmod(2), fchmod(2), fchmodat(2): EPERM for non-owners, EFTYPE and EPERM for set bits (NetBSD), the path errors. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void chmod(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expectAs(env.user, Errno.EPERM, "chmod root's file", () -> sys.chmod("/mnt/file", 0777));
            env.expectAs(env.user, Errno.EPERM, "chmod root's directory", () -> sys.chmod("/mnt/dir", 0777));
            env.expectAs(env.other, Errno.EPERM, "chmod another user's file", () -> sys.chmod("/mnt/home/mine", 0777));
            env.expectAs(env.user, null, "chmod one's own file", () -> sys.chmod("/mnt/home/mine", 0600));
            env.soft.assertThat(sys.stat("/mnt/home/mine").permissions()).as("the owner's chmod on %s", fs).isEqualTo(0600);
            env.soft.assertThat(sys.stat("/mnt/file").permissions()).as("refused chmods changed nothing on %s", fs).isEqualTo(0644);
            // NetBSD's chmod(2): EFTYPE for the sticky bit on a file by a non-root user, EPERM for set-group-id
            // on a file of a group the caller is not in
            env.expectAs(env.user, Errno.EFTYPE, "the sticky bit on a file", () -> sys.chmod("/mnt/home/mine", 01644));
            sys.chown("/mnt/home/mine", USER, 0);
            env.expectAs(env.user, Errno.EPERM, "set-group-id for a group not one's own", () -> sys.chmod("/mnt/home/mine", 02644));
            env.expect(null, "root sets any bit", () -> sys.chmod("/mnt/file", 07644));
            env.expectAs(env.user, Errno.EACCES, "chmod through a 0700 directory", () -> sys.chmod("/mnt/private/f", 0644));
            env.expect(Errno.ENOENT, "chmod a missing file", () -> sys.chmod("/mnt/missing", 0644));
            env.expect(Errno.ENOENT, "chmod a dangling link", () -> sys.chmod("/mnt/dangling", 0644));
            env.expect(Errno.ENOTDIR, "chmod under a file", () -> sys.chmod("/mnt/file/x", 0644));
            env.expect(Errno.ELOOP, "chmod a loop", () -> sys.chmod("/mnt/loop1", 0644));
            env.expect(Errno.ENAMETOOLONG, "chmod a long name", () -> sys.chmod(LONG_NAME, 0644));
            // fchmod
            int mine = env.as(env.user, () -> sys.open("/mnt/home/mine", Sys.O_RDONLY, 0));
            int theirs = env.as(env.user, () -> sys.open("/mnt/file", Sys.O_RDONLY, 0));
            env.expectAs(env.user, Errno.EPERM, "fchmod root's file", () -> sys.fchmod(theirs, 0777));
            env.expectAs(env.user, null, "fchmod one's own file", () -> sys.fchmod(mine, 0640));
            env.expect(Errno.EBADF, "fchmod a closed fd", () -> sys.fchmod(BAD_FD, 0644));
            // fchmodat
            int dir = env.openDir("/mnt");
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EBADF, "fchmodat with a closed dirfd", () -> sys.fchmodat(BAD_FD, "file", 0644, 0));
            env.expect(Errno.ENOTDIR, "fchmodat relative to a file", () -> sys.fchmodat(file, "x", 0644, 0));
            env.expect(Errno.EINVAL, "fchmodat with an unknown flag", () -> sys.fchmodat(dir, "file", 0644, 0x1));
            env.expect(Errno.ELOOP, "fchmodat of a loop", () -> sys.fchmodat(dir, "loop1", 0644, 0));
            env.expect(null, "fchmodat relative to a directory", () -> sys.fchmodat(dir, "file", 0600, 0));
            env.soft.assertThat(sys.stat("/mnt/file").permissions()).as("fchmodat on %s", fs).isEqualTo(0600);
        }
    }

    // --- chown, fchown, lchown, fchownat --------------------------------------------------------

    /** chown(2) and its family: EPERM for giving a file away or to a foreign group, the path errors, EBADF, EINVAL. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void chown(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            // _POSIX_CHOWN_RESTRICTED: only root changes the owner; the owner may change the group to its own
            env.expectAs(env.user, Errno.EPERM, "give one's file away", () -> sys.chown("/mnt/home/mine", OTHER, -1));
            env.expectAs(env.user, Errno.EPERM, "take root's file", () -> sys.chown("/mnt/file", USER, -1));
            env.expectAs(env.user, Errno.EPERM, "change the group of root's file", () -> sys.chown("/mnt/file", -1, USER));
            env.expectAs(env.user, Errno.EPERM, "a group one is not in", () -> sys.chown("/mnt/home/mine", -1, OTHER));
            env.expectAs(env.user, null, "the owner sets its own group", () -> sys.chown("/mnt/home/mine", USER, USER));
            env.expectAs(env.other, Errno.EPERM, "a non-owner sets its own group", () -> sys.chown("/mnt/home/mine", -1, OTHER));
            env.expect(null, "root gives a file away", () -> sys.chown("/mnt/file", OTHER, OTHER));
            Stat st = sys.stat("/mnt/file");
            env.soft.assertThat(new int[] {st.uid(), st.gid()}).as("root's chown on %s", fs).containsExactly(OTHER, OTHER);
            env.soft.assertThat(sys.stat("/mnt/home/mine").uid()).as("refused chowns changed nothing on %s", fs).isEqualTo(USER);
            env.expectAs(env.user, Errno.EACCES, "chown through a 0700 directory", () -> sys.chown("/mnt/private/f", -1, -1));
            env.expect(Errno.ENOENT, "chown a missing file", () -> sys.chown("/mnt/missing", 0, 0));
            env.expect(Errno.ENOENT, "chown a dangling link", () -> sys.chown("/mnt/dangling", 0, 0));
            env.expect(null, "lchown a dangling link", () -> sys.lchown("/mnt/dangling", USER, USER));
            env.soft.assertThat(sys.lstat("/mnt/dangling").uid()).as("lchown changed the link on %s", fs).isEqualTo(USER);
            env.expect(Errno.ENOTDIR, "chown under a file", () -> sys.chown("/mnt/file/x", 0, 0));
            env.expect(Errno.ELOOP, "chown a loop", () -> sys.chown("/mnt/loop1", 0, 0));
            env.expect(Errno.ENAMETOOLONG, "chown a long name", () -> sys.chown(LONG_NAME, 0, 0));
            int theirs = env.as(env.user, () -> sys.open("/mnt/dir", Sys.O_RDONLY, 0));
            env.expectAs(env.user, Errno.EPERM, "fchown root's directory", () -> sys.fchown(theirs, USER, USER));
            env.expect(Errno.EBADF, "fchown a closed fd", () -> sys.fchown(BAD_FD, 0, 0));
            int dir = env.openDir("/mnt");
            env.expect(Errno.EINVAL, "fchownat with an unknown flag", () -> sys.fchownat(dir, "file", 0, 0, 0x1));
            env.expect(Errno.EBADF, "fchownat with a closed dirfd", () -> sys.fchownat(BAD_FD, "file", 0, 0, 0));
            env.expect(null, "fchownat AT_SYMLINK_NOFOLLOW changes the link", () -> sys.fchownat(dir, "link", OTHER, OTHER, Sys.AT_SYMLINK_NOFOLLOW));
            env.soft.assertThat(sys.lstat("/mnt/link").uid()).as("fchownat on the link on %s", fs).isEqualTo(OTHER);
        }
    }

    // --- truncate, ftruncate ------------------------------------------------------------------

    /** truncate(2), ftruncate(2): EISDIR, EINVAL, EACCES, EBADF and NetBSD's EINVAL for a descriptor not open for writing. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void truncate(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EISDIR, "truncate a directory", () -> sys.truncate("/mnt/dir", 0));
            env.expect(Errno.EINVAL, "truncate to a negative length", () -> sys.truncate("/mnt/file", -1));
            env.expectAs(env.user, Errno.EACCES, "truncate root's 0644 file", () -> sys.truncate("/mnt/file", 0));
            env.expectAs(env.user, Errno.EACCES, "truncate through a 0700 directory", () -> sys.truncate("/mnt/private/f", 0));
            env.expect(Errno.ENOENT, "truncate a missing file", () -> sys.truncate("/mnt/missing", 0));
            env.expect(Errno.ENOENT, "truncate a dangling link", () -> sys.truncate("/mnt/dangling", 0));
            env.expect(Errno.ENOTDIR, "truncate under a file", () -> sys.truncate("/mnt/file/x", 0));
            env.expect(Errno.ELOOP, "truncate a loop", () -> sys.truncate("/mnt/loop1", 0));
            env.expect(Errno.ENAMETOOLONG, "truncate a long name", () -> sys.truncate(LONG_NAME, 0));
            env.soft.assertThat(sys.stat("/mnt/file").size()).as("failed truncates changed nothing on %s", fs).isEqualTo(5);
            // a FIFO: NetBSD's tmpfs_chsize and ufs_setattr ignore the size of special files (Linux: EINVAL)
            sys.mkfifo("/mnt/fifo", 0644);
            env.expect(null, "truncate a FIFO", () -> sys.truncate("/mnt/fifo", 0));
            env.expectAs(env.user, Errno.EACCES, "truncate root's 0644 FIFO", () -> sys.truncate("/mnt/fifo", 0));
            env.expect(null, "truncate through a link", () -> sys.truncate("/mnt/link", 2));
            env.soft.assertThat(sys.stat("/mnt/file").size()).as("truncated through the link on %s", fs).isEqualTo(2);
            // ftruncate: NetBSD's ftruncate(2) answers EINVAL for a descriptor not open for writing (POSIX: EBADF or EINVAL)
            int ro = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int rw = sys.open("/mnt/file", Sys.O_RDWR, 0);
            int dir = env.openDir("/mnt/dir");
            int[] p = sys.pipe();
            env.expect(Errno.EINVAL, "ftruncate a read-only fd", () -> sys.ftruncate(ro, 0));
            env.expect(Errno.EINVAL, "ftruncate a directory", () -> sys.ftruncate(dir, 0));
            env.expect(Errno.EINVAL, "ftruncate a pipe", () -> sys.ftruncate(p[1], 0));
            env.expect(Errno.EINVAL, "ftruncate to a negative length", () -> sys.ftruncate(rw, -1));
            env.expect(Errno.EBADF, "ftruncate a closed fd", () -> sys.ftruncate(BAD_FD, 0));
            env.expect(null, "ftruncate to grow", () -> sys.ftruncate(rw, 100));
            env.soft.assertThat(sys.fstat(ro).size()).as("ftruncate grew it on %s", fs).isEqualTo(100);
        }
    }

    // --- fsync --------------------------------------------------------------------------------

    /** fsync(2): EBADF for a closed fd, EINVAL for a pipe (NetBSD's fsync(2): "fd refers to a socket"). */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void fsync(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int[] p = sys.pipe();
            env.expect(Errno.EBADF, "fsync a closed fd", () -> sys.fsync(BAD_FD));
            env.expect(Errno.EINVAL, "fsync a pipe", () -> sys.fsync(p[0]));
            env.expect(null, "fsync a file open read-only", () -> sys.fsync(fd));
            env.expect(null, "fsync a directory", () -> sys.fsync(env.openDir("/mnt/dir")));
            sys.close(fd);
            env.expect(Errno.EBADF, "fsync a closed file", () -> sys.fsync(fd));
        }
    }

    // --- getdents -----------------------------------------------------------------------------

    /** getdents(2): ENOTDIR for a file or a pipe, EBADF, EINVAL for a buffer smaller than one entry. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void getdents(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            ByteBuffer b = ByteBuffer.allocate(4096);
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int[] p = sys.pipe();
            int dir = env.openDir("/mnt/full");
            // NetBSD's man page lists no errno for this; POSIX's posix_getdents and Linux say ENOTDIR (NetBSD's
            // vn_readdir itself answers EINVAL)
            env.expect(Errno.ENOTDIR, "getdents a file", () -> sys.getdents(file, b.clear()));
            env.expect(Errno.ENOTDIR, "getdents a pipe", () -> sys.getdents(p[0], b.clear()));
            env.expect(Errno.EBADF, "getdents a closed fd", () -> sys.getdents(BAD_FD, b.clear()));
            env.expect(Errno.EINVAL, "getdents into 4 bytes", () -> sys.getdents(dir, ByteBuffer.allocate(4)));
            env.soft.assertThat(sys.getdents(dir, b.clear())).as("getdents after a failure on %s", fs).isPositive();
            env.soft.assertThat(sys.getdents(dir, b.clear())).as("getdents at the end on %s", fs).isZero();
        }
    }

    // --- access, faccessat --------------------------------------------------------------------

    /** access(2), faccessat(2): EINVAL for a bad mode or flag, EACCES (real ids unless AT_EACCESS), the path errors. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void access(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EINVAL, "access with mode 0x10", () -> sys.access("/mnt/file", 0x10));
            env.expect(Errno.EINVAL, "access with mode -1", () -> sys.access("/mnt/file", -1));
            env.expectAs(env.user, Errno.EACCES, "W_OK on root's 0644 file", () -> sys.access("/mnt/file", Sys.W_OK));
            env.expectAs(env.user, Errno.EACCES, "X_OK on a 0644 file", () -> sys.access("/mnt/file", Sys.X_OK));
            env.expectAs(env.user, Errno.EACCES, "R_OK on a 0700 directory", () -> sys.access("/mnt/private", Sys.R_OK));
            env.expectAs(env.user, Errno.EACCES, "F_OK through a 0700 directory", () -> sys.access("/mnt/private/f", Sys.F_OK));
            env.expectAs(env.user, null, "R_OK on a 0644 file", () -> sys.access("/mnt/file", Sys.R_OK));
            // root passes every check but X_OK on a file with no execute bit at all
            env.expect(Errno.EACCES, "root's X_OK on a 0644 file", () -> sys.access("/mnt/file", Sys.X_OK));
            env.expect(null, "root's W_OK on another's 0444 file", () -> {
                sys.chmod("/mnt/home/mine", 0444);
                sys.access("/mnt/home/mine", Sys.W_OK);
            });
            env.expect(Errno.ENOENT, "access a missing file", () -> sys.access("/mnt/missing", Sys.F_OK));
            env.expect(Errno.ENOENT, "access a dangling link", () -> sys.access("/mnt/dangling", Sys.F_OK));
            env.expect(Errno.ENOTDIR, "access under a file", () -> sys.access("/mnt/file/x", Sys.F_OK));
            env.expect(Errno.ELOOP, "access a loop", () -> sys.access("/mnt/loop1", Sys.F_OK));
            env.expect(Errno.ENAMETOOLONG, "access a long name", () -> sys.access(LONG_NAME, Sys.F_OK));
            // access checks the real user id, faccessat with AT_EACCESS the effective one
            env.pub.lwprocRfork(Sys.RUMP_RFCFDG);
            sys.seteuid(USER);
            env.expect(null, "access as real root", () -> sys.access("/mnt/file", Sys.W_OK));
            env.expect(Errno.EACCES, "faccessat AT_EACCESS as effective user",
                    () -> sys.faccessat(Sys.AT_FDCWD, "/mnt/file", Sys.W_OK, Sys.AT_EACCESS));
            env.pub.lwprocSwitch(null);
            int dir = env.openDir("/mnt");
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EINVAL, "faccessat with an unknown flag", () -> sys.faccessat(dir, "file", Sys.F_OK, 0x1));
            env.expect(Errno.EINVAL, "faccessat with a bad mode", () -> sys.faccessat(dir, "file", 0x10, 0));
            env.expect(Errno.EBADF, "faccessat with a closed dirfd", () -> sys.faccessat(BAD_FD, "file", Sys.F_OK, 0));
            env.expect(Errno.ENOTDIR, "faccessat relative to a file", () -> sys.faccessat(file, "x", Sys.F_OK, 0));
            env.expect(null, "faccessat AT_SYMLINK_NOFOLLOW on a dangling link", () -> sys.faccessat(dir, "dangling", Sys.F_OK, Sys.AT_SYMLINK_NOFOLLOW));
        }
    }

    // --- chdir, fchdir ------------------------------------------------------------------------

    /** chdir(2), fchdir(2): ENOTDIR, EACCES, ENOENT, ELOOP, ENAMETOOLONG, EBADF. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void chdir(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.ENOTDIR, "chdir to a file", () -> sys.chdir("/mnt/file"));
            env.expect(Errno.ENOTDIR, "chdir to a symlink to a file", () -> sys.chdir("/mnt/link"));
            env.expect(Errno.ENOTDIR, "chdir under a file", () -> sys.chdir("/mnt/file/x"));
            env.expectAs(env.user, Errno.EACCES, "chdir to a 0700 directory", () -> sys.chdir("/mnt/private"));
            env.expect(Errno.ENOENT, "chdir to a missing directory", () -> sys.chdir("/mnt/missing"));
            env.expect(Errno.ENOENT, "chdir to the empty path", () -> sys.chdir(""));
            env.expect(Errno.ELOOP, "chdir to a loop", () -> sys.chdir("/mnt/loop1"));
            env.expect(Errno.ENAMETOOLONG, "chdir to a long path", () -> sys.chdir(LONG_PATH));
            int file = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            int[] p = sys.pipe();
            env.expect(Errno.ENOTDIR, "fchdir to a file", () -> sys.fchdir(file));
            env.expect(Errno.ENOTDIR, "fchdir to a pipe", () -> sys.fchdir(p[0]));
            env.expect(Errno.EBADF, "fchdir to a closed fd", () -> sys.fchdir(BAD_FD));
            // a directory the user may read but not search: it opens, fchdir needs search permission
            sys.mkdir("/mnt/noexec", 0755);
            sys.chmod("/mnt/noexec", 0444);
            int noexec = env.as(env.user, () -> sys.open("/mnt/noexec", Sys.O_RDONLY, 0));
            env.expectAs(env.user, Errno.EACCES, "fchdir to a 0444 directory", () -> sys.fchdir(noexec));
            env.expectAs(env.user, Errno.EACCES, "chdir to a 0444 directory", () -> sys.chdir("/mnt/noexec"));
            env.expect(null, "chdir to a directory", () -> sys.chdir("/mnt/full"));
            env.soft.assertThat(sys.stat("x").isRegularFile()).as("relative paths start there on %s", fs).isTrue();
        }
    }

    // --- chroot -------------------------------------------------------------------------------

    /** chroot(2): EPERM for non-root, ENOTDIR, ENOENT, EACCES is moot for root. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void chroot(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expectAs(env.user, Errno.EPERM, "chroot as a user", () -> sys.chroot("/mnt/home"));
            env.expect(Errno.ENOTDIR, "chroot to a file", () -> sys.chroot("/mnt/file"));
            env.expect(Errno.ENOENT, "chroot to a missing directory", () -> sys.chroot("/mnt/missing"));
            env.expect(Errno.ELOOP, "chroot to a loop", () -> sys.chroot("/mnt/loop1"));
            env.pub.lwprocRfork(Sys.RUMP_RFCFDG);
            env.expect(null, "chroot as root", () -> sys.chroot("/mnt/full"));
            env.soft.assertThat(sys.stat("/x").isRegularFile()).as("\"/\" is the new root on %s", fs).isTrue();
            env.expect(Errno.ENOENT, "the old tree is out of reach", () -> sys.stat("/mnt"));
            env.pub.lwprocSwitch(null);
        }
    }

    // --- mkfifo -------------------------------------------------------------------------------

    /** mkfifo(2): EEXIST, ENOENT, ENOTDIR, EACCES, ELOOP, ENAMETOOLONG. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void mkfifo(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EEXIST, "mkfifo over a file", () -> sys.mkfifo("/mnt/file", 0644));
            env.expect(Errno.EEXIST, "mkfifo over a dangling symlink", () -> sys.mkfifo("/mnt/dangling", 0644));
            env.expect(Errno.ENOENT, "mkfifo in a missing directory", () -> sys.mkfifo("/mnt/missing/f", 0644));
            env.expect(Errno.ENOENT, "mkfifo at the empty path", () -> sys.mkfifo("", 0644));
            env.expect(Errno.ENOTDIR, "mkfifo under a file", () -> sys.mkfifo("/mnt/file/f", 0644));
            env.expect(Errno.ELOOP, "mkfifo through a loop", () -> sys.mkfifo("/mnt/loop1/f", 0644));
            env.expect(Errno.ENAMETOOLONG, "mkfifo a long name", () -> sys.mkfifo(LONG_NAME, 0644));
            env.expectAs(env.user, Errno.EACCES, "mkfifo in root's 0755 directory", () -> sys.mkfifo("/mnt/dir/f", 0644));
            env.expect(null, "mkfifo", () -> sys.mkfifo("/mnt/fifo", 0644));
            env.soft.assertThat(sys.stat("/mnt/fifo").mode() & Stat.S_IFMT).as("a FIFO on %s", fs).isEqualTo(Stat.S_IFIFO);
            env.expect(Errno.EEXIST, "mkfifo over a FIFO", () -> sys.mkfifo("/mnt/fifo", 0644));
            // opening a FIFO write-only without a reader, non-blocking: ENXIO (POSIX open(2))
            env.expect(Errno.ENXIO, "O_WRONLY|O_NONBLOCK without a reader", () -> sys.open("/mnt/fifo", Sys.O_WRONLY | Sys.O_NONBLOCK, 0));
        }
    }

    // --- utimes, utimensat, futimens ------------------------------------------------------------

    /** utimensat(2), futimens(2), utimes(2): EINVAL for bad times or flags, EPERM and EACCES for non-owners. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void utimensat(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            Timespec t = new Timespec(1_000_000_000L, 0);
            env.expect(Errno.EINVAL, "tv_nsec of 10^9", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", new Timespec[] {t, new Timespec(0, 1_000_000_000L)}, 0));
            env.expect(Errno.EINVAL, "a negative tv_nsec", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", new Timespec[] {new Timespec(0, -1), t}, 0));
            env.expect(Errno.EINVAL, "an unknown flag", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", null, 0x1));
            env.expect(Errno.EINVAL, "utimes with tv_usec of 10^6", () -> sys.utimes("/mnt/file", new Timeval[] {new Timeval(0, 1_000_000), new Timeval(0, 0)}));
            env.expect(Errno.EINVAL, "futimens with a negative tv_nsec", () -> sys.futimens(sys.open("/mnt/file", Sys.O_RDONLY, 0), new Timespec[] {t, new Timespec(0, -5)}));
            long mtime = sys.stat("/mnt/file").mtime().sec();
            env.soft.assertThat(mtime).as("refused calls changed nothing on %s", fs).isNotEqualTo(t.sec());
            // non-owners: explicit times need ownership (EPERM), "now" needs write permission (EACCES)
            sys.chmod("/mnt/home/mine", 0666);
            Timespec[] explicit = {t, t};
            Timespec[] now = {new Timespec(0, Sys.UTIME_NOW), new Timespec(0, Sys.UTIME_NOW)};
            env.expectAs(env.other, Errno.EPERM, "explicit times on another's writable file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/home/mine", explicit, 0));
            env.expectAs(env.other, null, "UTIME_NOW on another's writable file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/home/mine", now, 0));
            env.expectAs(env.other, null, "null times on another's writable file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/home/mine", null, 0));
            env.expectAs(env.user, Errno.EACCES, "null times on root's 0644 file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", null, 0));
            env.expectAs(env.user, Errno.EACCES, "UTIME_NOW on root's 0644 file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", now, 0));
            env.expectAs(env.user, Errno.EPERM, "explicit times on root's file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", explicit, 0));
            env.expectAs(env.user, Errno.EPERM, "utimes with explicit times on root's file",
                    () -> sys.utimes("/mnt/file", new Timeval[] {new Timeval(1, 0), new Timeval(1, 0)}));
            env.expectAs(env.user, null, "explicit times on one's own file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/home/mine", explicit, 0));
            env.soft.assertThat(sys.stat("/mnt/home/mine").mtime().sec()).as("the owner's times on %s", fs).isEqualTo(t.sec());
            // UTIME_OMIT on both changes nothing and needs nothing
            Timespec[] omit = {new Timespec(0, Sys.UTIME_OMIT), new Timespec(0, Sys.UTIME_OMIT)};
            env.expectAs(env.user, null, "UTIME_OMIT on root's file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file", omit, 0));
            // the path and the descriptor
            env.expect(Errno.ENOENT, "utimensat a missing file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/missing", null, 0));
            env.expect(Errno.ENOTDIR, "utimensat under a file", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/file/x", null, 0));
            env.expect(Errno.ELOOP, "utimensat a loop", () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/loop1", null, 0));
            env.expect(Errno.EBADF, "utimensat with a closed dirfd", () -> sys.utimensat(BAD_FD, "file", null, 0));
            env.expect(Errno.EBADF, "futimens a closed fd", () -> sys.futimens(BAD_FD, null));
            env.expect(null, "utimensat AT_SYMLINK_NOFOLLOW sets the link's times",
                    () -> sys.utimensat(Sys.AT_FDCWD, "/mnt/dangling", explicit, Sys.AT_SYMLINK_NOFOLLOW));
            env.soft.assertThat(sys.lstat("/mnt/dangling").mtime().sec()).as("the link's mtime on %s", fs).isEqualTo(t.sec());
        }
    }

    // --- dup, dup2, dup3, pipe ----------------------------------------------------------------

    /** dup(2), dup2(2), dup3(2) and pipe(2): EBADF for either descriptor, EINVAL, EMFILE at the limit. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void dup(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.pub.lwprocRfork(Sys.RUMP_RFCFDG);
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            env.expect(Errno.EBADF, "dup a closed fd", () -> sys.dup(BAD_FD));
            env.expect(Errno.EBADF, "dup2 from a closed fd", () -> sys.dup2(BAD_FD, 5));
            env.expect(Errno.EBADF, "dup2 to a negative fd", () -> sys.dup2(fd, -1));
            sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(8, 8));
            env.expect(Errno.EBADF, "dup2 to the limit", () -> sys.dup2(fd, 8));
            env.soft.assertThat(sys.dup2(fd, fd)).as("dup2 onto itself on %s", fs).isEqualTo(fd);
            env.expect(Errno.EINVAL, "dup3 onto itself", () -> sys.dup3(fd, fd, 0));
            env.expect(Errno.EINVAL, "dup3 with an unknown flag", () -> sys.dup3(fd, 5, Sys.O_APPEND));
            env.soft.assertThat(sys.dup2(fd, 7)).as("dup2 to the last slot on %s", fs).isEqualTo(7);
            // EMFILE: fill the table
            for (int i = 0; i < 6; i++) sys.dup(fd);
            env.expect(Errno.EMFILE, "dup with a full table", () -> sys.dup(fd));
            env.expect(Errno.EMFILE, "pipe with a full table", () -> sys.pipe());
            sys.close(1);
            env.expect(Errno.EMFILE, "pipe with one slot", () -> sys.pipe());
            env.soft.assertThat(errnoOf(() -> sys.fstat(1))).as("a failed pipe leaves no descriptor behind on %s", fs).isEqualTo(Errno.EBADF);
            env.pub.lwprocSwitch(null);
        }
    }

    /** pipe(2), pipe2(2) and the calls on their descriptors: EINVAL, EBADF, EPIPE, ESPIPE, and fstat works. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void pipe(FileSystems.Fs fs) {
        try (Env env = new Env(fs)) {
            Syscalls sys = env.sys;
            env.expect(Errno.EINVAL, "pipe2 with an unknown flag", () -> sys.pipe2(Sys.O_APPEND));
            int[] p = sys.pipe();
            // fstat applies to every descriptor (POSIX): a pipe is a FIFO; NetBSD's pipe_stat
            env.expect(null, "fstat a pipe", () -> sys.fstat(p[0]));
            if (errnoOf(() -> sys.fstat(p[1])) == null) {
                env.soft.assertThat(sys.fstat(p[1]).mode() & Stat.S_IFMT).as("a pipe is S_IFIFO on %s", fs).isEqualTo(Stat.S_IFIFO);
            }
            sys.mkfifo("/mnt/fifo", 0644);
            int fifo = sys.open("/mnt/fifo", Sys.O_RDWR, 0);
            env.soft.assertThat(sys.fstat(fifo).mode() & Stat.S_IFMT).as("an open FIFO is S_IFIFO on %s", fs).isEqualTo(Stat.S_IFIFO);
            env.expect(Errno.EBADF, "read a pipe's write end", () -> sys.read(p[1], ByteBuffer.allocate(1)));
            env.expect(Errno.EBADF, "write a pipe's read end", () -> sys.write(p[0], ByteBuffer.wrap(new byte[1])));
            env.expect(Errno.ESPIPE, "lseek a pipe's write end", () -> sys.lseek(p[1], 0, Sys.SEEK_END));
            env.expect(Errno.ENOTDIR, "fchdir to a pipe", () -> sys.fchdir(p[0]));
            env.expect(Errno.ENOTDIR, "mkdirat relative to a pipe", () -> sys.mkdirat(p[0], "d", 0755));
            sys.close(p[0]);
            env.expect(Errno.EPIPE, "write a pipe without reader", () -> sys.write(p[1], ByteBuffer.wrap(new byte[1])));
            sys.close(p[1]);
            env.expect(Errno.EBADF, "write a closed pipe", () -> sys.write(p[1], ByteBuffer.wrap(new byte[1])));
        }
    }
}
