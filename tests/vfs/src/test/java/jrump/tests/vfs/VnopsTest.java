package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Timespec;
import jrump.rumpkern.Syscalls;

/**
 * Cases in the spirit of NetBSD's tests/fs/vfs/t_vnops.c, written for jrump, each run on every file
 * system of {@link FileSystems#all()} in /mnt.
 */
class VnopsTest {
    static java.util.List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    private static void write(Syscalls sys, String path, String s) {
        Content.write(sys, path, s);
    }

    /** lookup_simple / lookup_complex: the same file by different paths is the same inode. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void lookup(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/dir", 0755);
            sys.mkdir("/mnt/dir/sub", 0755);
            long ino = sys.stat("/mnt/dir").ino();
            assertThat(sys.stat("/mnt/dir/../dir").ino()).isEqualTo(ino);
            assertThat(sys.stat("/mnt/./dir/sub/..").ino()).isEqualTo(ino);
            assertThat(sys.stat("/mnt//dir///sub/../../dir").ino()).isEqualTo(ino);
        }
    }

    /** dir_simple, dir_notempty. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void directories(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/d", 0777);
            assertThat(sys.stat("/mnt/d").isDirectory()).isTrue();
            write(sys, "/mnt/d/f", "x");
            assertThat(errnoOf(() -> sys.rmdir("/mnt/d"))).isEqualTo(Errno.ENOTEMPTY);
            sys.unlink("/mnt/d/f");
            sys.rmdir("/mnt/d");
            assertThat(errnoOf(() -> sys.stat("/mnt/d"))).isEqualTo(Errno.ENOENT);
        }
    }

    /** rename_dir, rename_dotdot, rename_reg_nodir. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void renames(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/a", 0755);
            sys.mkdir("/mnt/a/b", 0755);
            long ino = sys.stat("/mnt/a/b").ino();
            sys.rename("/mnt/a/b", "/mnt/c");
            assertThat(sys.stat("/mnt/c").ino()).isEqualTo(ino);
            assertThat(sys.stat("/mnt/c/..").ino()).isEqualTo(sys.stat("/mnt").ino());
            assertThat(errnoOf(() -> sys.rename("/mnt/c/..", "/mnt/x"))).isEqualTo(Errno.EINVAL);
            write(sys, "/mnt/reg", "r");
            assertThat(errnoOf(() -> sys.rename("/mnt/reg", "/mnt/c"))).isEqualTo(Errno.EISDIR);
            assertThat(errnoOf(() -> sys.rename("/mnt/c", "/mnt/reg"))).isEqualTo(Errno.ENOTDIR);
        }
    }

    /** create_nametoolong, rename_nametoolong, create_exist. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void names(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            String longest = "n".repeat((int) sys.pathconf("/mnt", Sys._PC_NAME_MAX));
            write(sys, "/mnt/" + longest, "ok");
            assertThat(errnoOf(() -> write(sys, "/mnt/" + longest + "x", "no"))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.rename("/mnt/" + longest, "/mnt/" + longest + "x"))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.open("/mnt/" + longest, Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, 0644)))
                    .isEqualTo(Errno.EEXIST);
        }
    }

    /** attrs: what chmod, chown and utimes set is what stat reports. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void attributes(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            write(sys, "/mnt/f", "12345");
            sys.chmod("/mnt/f", 0751);
            if (fs.caps().ownership()) sys.chown("/mnt/f", 1001, 1002);
            sys.utimes("/mnt/f", new jrump.rumpkern.Timeval[] {new jrump.rumpkern.Timeval(1_000_000_000L, 0),
                    new jrump.rumpkern.Timeval(1_100_000_000L, 0)});
            Stat st = sys.stat("/mnt/f");
            // FAT keeps only the owner's write bit of a mode, and the access date without its time
            if (fs.caps().posix()) assertThat(st.permissions()).isEqualTo(0751);
            assertThat(st.size()).isEqualTo(5);
            if (fs.caps().ownership()) {
                assertThat(st.uid()).isEqualTo(1001);
                assertThat(st.gid()).isEqualTo(1002);
            }
            assertThat(st.mtime().sec()).isEqualTo(1_100_000_000L);
            if (fs.caps().posix()) assertThat(st.atime().sec()).isEqualTo(1_000_000_000L);
        }
    }

    /** attrs: times before the epoch, down to the nanosecond just before it, are times like any other. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void timesBeforeTheEpoch(FileSystems.Fs fs) {
        assumeTrue(fs.caps().posix(), "FAT's times start in 1980");
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            write(sys, "/mnt/f", "x");
            Timespec justBefore = new Timespec(-1, 999_999_999);
            Timespec longBefore = new Timespec(-86_400L * 365 * 100, 5);
            sys.utimensat(Sys.AT_FDCWD, "/mnt/f", new Timespec[] {justBefore, longBefore}, 0);
            Stat st = sys.stat("/mnt/f");
            assertThat(st.atime()).isEqualTo(justBefore);
            assertThat(st.mtime()).isEqualTo(longBefore);
            sys.utimensat(Sys.AT_FDCWD, "/mnt/f", new Timespec[] {new Timespec(0, Sys.UTIME_OMIT), justBefore}, 0);
            assertThat(sys.stat("/mnt/f").atime()).isEqualTo(justBefore);
            assertThat(sys.stat("/mnt/f").mtime()).isEqualTo(justBefore);
        }
    }

    /** read_directory: read(2) on a directory is EISDIR; symlinks as the file system allows. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void directoryReadAndSymlinks(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/d", 0755);
            int fd = sys.open("/mnt/d", Sys.O_RDONLY, 0);
            assertThat(errnoOf(() -> sys.read(fd, ByteBuffer.allocate(16)))).isEqualTo(Errno.EISDIR);
            if (fs.caps().symlinks()) {
                sys.symlink("d", "/mnt/l");
                assertThat(sys.lstat("/mnt/l").isSymbolicLink()).isTrue();
                assertThat(sys.stat("/mnt/l").isDirectory()).isTrue();
            } else {
                assertThat(errnoOf(() -> sys.symlink("d", "/mnt/l"))).isEqualTo(Errno.EOPNOTSUPP);
            }
        }
    }

    /** dir_rmdirdotdot (PR kern/44657): ".." of a removed current directory is gone: chdir("..") is ENOENT. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void rmdirDotdot(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.mkdir("test", 0777);
            sys.chdir("test");
            sys.mkdir("subtest", 0777);
            sys.chdir("subtest");
            sys.rmdir("/mnt/test/subtest");
            sys.rmdir("/mnt/test");
            assertThat(errnoOf(() -> sys.chdir(".."))).isEqualTo(Errno.ENOENT);
            // nothing can be made in the removed directory either
            assertThat(errnoOf(() -> sys.mkdir("again", 0777))).isEqualTo(Errno.ENOENT);
            sys.chdir("/");
            assertThat(Content.names(sys, "/mnt")).isEmpty();
        }
    }

    /** symlink_zerolen: an empty target is allowed (NetBSD); resolving it is ENOENT (POSIX). */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void symlinkZeroLength(FileSystems.Fs fs) {
        assumeTrue(fs.caps().symlinks(), "no symlinks");
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.symlink("", "afile");
            Stat st = sys.lstat("afile");
            assertThat(st.isSymbolicLink()).isTrue();
            assertThat(st.size()).isZero();
            assertThat(sys.readlink("afile", ByteBuffer.allocate(16))).isZero();
            assertThat(errnoOf(() -> sys.stat("afile"))).isEqualTo(Errno.ENOENT);
            assertThat(errnoOf(() -> sys.open("afile", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOENT);
            sys.unlink("afile");
            sys.chdir("/");
        }
    }

    /** symlink_root: a link to "/" leads to the root directory. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void symlinkRoot(FileSystems.Fs fs) {
        assumeTrue(fs.caps().symlinks(), "no symlinks");
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.symlink("/", "foo");
            sys.chdir("foo");
            assertThat(sys.stat(".").ino()).isEqualTo(sys.stat("/").ino());
            assertThat(sys.stat("mnt/foo/mnt").ino()).isEqualTo(sys.stat("/mnt").ino());
        }
    }

    /** access_simple (PR kern/44648): all of F_OK|X_OK|W_OK|R_OK on a 0777 file; an unknown bit is EINVAL. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void accessSimple(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.close(sys.open("tfile", Sys.O_CREAT | Sys.O_RDWR, 0777));
            sys.chmod("tfile", 0777);
            int all = Sys.F_OK | Sys.X_OK | Sys.W_OK | Sys.R_OK;
            sys.access("tfile", all);
            assertThat(errnoOf(() -> sys.access("tfile", all + 1))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> sys.access("nofile", Sys.F_OK))).isEqualTo(Errno.ENOENT);
            // even root may not execute a file with no execute bit at all
            sys.chmod("tfile", 0666);
            if (fs.caps().posix()) assertThat(errnoOf(() -> sys.access("tfile", Sys.X_OK))).isEqualTo(Errno.EACCES);
            sys.chmod("tfile", 0644);
            Users.as(rk, 1, () -> {
                sys.access("/mnt/tfile", Sys.R_OK);
                assertThat(errnoOf(() -> sys.access("/mnt/tfile", Sys.W_OK))).isEqualTo(Errno.EACCES);
            });
        }
    }

    /** lstat_symlink: lstat reports the link itself: S_ISLNK, and the size is the target's length. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void lstatSymlink(FileSystems.Fs fs) {
        assumeTrue(fs.caps().symlinks(), "no symlinks");
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.symlink("source", "destination");
            Stat st = sys.lstat("destination");
            assertThat(st.isSymbolicLink()).isTrue();
            assertThat(st.size()).isEqualTo("source".length());
            String multibyte = "qu\u00e9lle";
            sys.symlink(multibyte, "utf8");
            assertThat(sys.lstat("utf8").size()).isEqualTo(multibyte.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** rename_dir (PR kern/44288): directory renames that work, that must fail, and link counts after. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void renameDir(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/dir1", 0777);
            sys.mkdir("/mnt/dir2", 0777);
            sys.mkdir("/mnt/dir2/subdir", 0777);
            write(sys, "/mnt/dir1/file", "f");
            long file = sys.stat("/mnt/dir1/file").ino();

            sys.rename("/mnt/dir1", "/mnt/dir3"); // within a directory
            assertThat(sys.stat("/mnt/dir3/file").ino()).isEqualTo(file);
            // onto itself, two ways
            assertThat(errnoOf(() -> sys.rename("/mnt/dir3/.", "/mnt/dir3"))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> sys.rename("/mnt/dir3", "/mnt/dir3/."))).isEqualTo(Errno.EISDIR);
            // a directory into its own child or grandchild
            assertThat(errnoOf(() -> sys.rename("/mnt/dir2", "/mnt/dir2/dir"))).isEqualTo(Errno.EINVAL);
            assertThat(errnoOf(() -> sys.rename("/mnt/dir2", "/mnt/dir2/subdir/dir2"))).isEqualTo(Errno.EINVAL);
            // over a non-empty directory
            assertThat(errnoOf(() -> sys.rename("/mnt/dir2", "/mnt/dir3"))).isEqualTo(Errno.ENOTEMPTY);
            assertThat(sys.stat("/mnt/dir3/file").ino()).isEqualTo(file);

            sys.rename("/mnt/dir3", "/mnt/dir2/somedir"); // across directories
            assertThat(sys.stat("/mnt/dir2/somedir/file").ino()).isEqualTo(file);
            assertThat(sys.stat("/mnt/dir2/somedir/..").ino()).isEqualTo(sys.stat("/mnt/dir2").ino());
            sys.rename("/mnt/dir2/somedir", "/mnt/dir2/subdir/../../dir3"); // to the parent
            assertThat(sys.stat("/mnt/dir2/../dir3/file").ino()).isEqualTo(file);
            sys.rename("/mnt/dir3", "/mnt/dir2/subdir"); // over an empty directory, atomically
            assertThat(sys.stat("/mnt/dir2/subdir/file").ino()).isEqualTo(file);
            if (fs.caps().posix()) assertThat(sys.stat("/mnt/dir2").nlink()).isEqualTo(3);

            sys.mkdir("/mnt/parent", 0777);
            sys.mkdir("/mnt/parent/dir1", 0777);
            sys.mkdir("/mnt/parent/dir2", 0777);
            sys.rename("/mnt/parent/dir1", "/mnt/parent/dir2");
            if (fs.caps().posix()) assertThat(sys.stat("/mnt/parent").nlink()).isEqualTo(3);
            sys.rmdir("/mnt/parent/dir2");
            sys.rmdir("/mnt/parent");
        }
    }

    /** create_nametoolong, and the same for a whole path: NAME_MAX and PATH_MAX as pathconf reports them. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void createNameTooLong(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            int nameMax = (int) sys.pathconf(".", Sys._PC_NAME_MAX);
            assertThat(sys.pathconf(".", Sys._PC_NO_TRUNC)).isEqualTo(1); // too long is an error, not cut
            String longest = "a".repeat(nameMax);
            sys.close(sys.open(longest, Sys.O_RDWR | Sys.O_CREAT, 0666));
            assertThat(errnoOf(() -> sys.open(longest + "a", Sys.O_RDWR | Sys.O_CREAT, 0666))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.mkdir(longest + "a", 0777))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(Content.names(sys, ".")).containsExactly(longest);

            int pathMax = (int) sys.pathconf(".", Sys._PC_PATH_MAX);
            // PATH_MAX counts the terminating NUL: the longest usable path is one byte shorter
            String fits = pathOfLength(pathMax - 1, "f");
            sys.close(sys.open(fits, Sys.O_RDWR | Sys.O_CREAT, 0666));
            assertThat(sys.stat("f").isRegularFile()).isTrue();
            String tooLong = pathOfLength(pathMax, "g");
            assertThat(errnoOf(() -> sys.open(tooLong, Sys.O_RDWR | Sys.O_CREAT, 0666))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.stat(pathOfLength(pathMax, "f")))).isEqualTo(Errno.ENAMETOOLONG);
            assertThat(errnoOf(() -> sys.stat("g"))).isEqualTo(Errno.ENOENT);
        }
    }

    /** A relative path of exactly {@code length} bytes naming {@code name} in the current directory. */
    private static String pathOfLength(int length, String name) {
        return "." + "/".repeat(length - 1 - name.length()) + name;
    }

    /** FSAPPLY_RO: content made read-write, then remounted read-only: reads work, every change is EROFS. */
    @ParameterizedTest
    @MethodSource("jrump.tests.vfs.FileSystems#remountable")
    void readOnlyRemount(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/d", 0755);
            write(sys, "/mnt/d/f", "content");
            assertThat(fs.remountReadOnly(rk)).isTrue();
            int fd = sys.open("/mnt/d/f", Sys.O_RDONLY, 0);
            ByteBuffer b = ByteBuffer.allocate(16);
            sys.read(fd, b);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("content");
            assertThat(errnoOf(() -> write(sys, "/mnt/d/g", "x"))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.mkdir("/mnt/e", 0755))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.rename("/mnt/d/f", "/mnt/d/h"))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.unlink("/mnt/d/f"))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.chmod("/mnt/d/f", 0600))).isEqualTo(Errno.EROFS);
            assertThat(sys.stat("/mnt/d/f").size()).isEqualTo(7);
        }
    }
}
