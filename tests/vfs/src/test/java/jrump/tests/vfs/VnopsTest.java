package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
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
        int fd = sys.open(path, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_TRUNC, 0644);
        sys.write(fd, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
        sys.close(fd);
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
            String longest = "n".repeat(Sys.NAME_MAX);
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
            assertThat(st.permissions()).isEqualTo(0751);
            assertThat(st.size()).isEqualTo(5);
            if (fs.caps().ownership()) {
                assertThat(st.uid()).isEqualTo(1001);
                assertThat(st.gid()).isEqualTo(1002);
            }
            assertThat(st.mtime().sec()).isEqualTo(1_100_000_000L);
            assertThat(st.atime().sec()).isEqualTo(1_000_000_000L);
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
