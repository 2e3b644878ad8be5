package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timeval;

/**
 * NetBSD's tests/fs/vfs/t_ro.c for jrump (ATF_TC_FSAPPLY_RO): content is made read-write, the file system
 * is remounted read-only, and then every change is EROFS while reading works. Runs in /mnt as its cwd.
 */
class RoTest {
    private static final String AFILE = "testfile";
    private static final String FUNTEXT = "this is some non-humppa text";

    static List<FileSystems.Fs> remountable() {
        return FileSystems.remountable();
    }

    /** NetBSD's nullgen: no content. */
    private static void nothing(Syscalls sys) {
    }

    /** NetBSD's filegen: one file with FUNTEXT. */
    private static void aFile(Syscalls sys) {
        int fd = sys.open(AFILE, Sys.O_CREAT | Sys.O_RDWR, 0777);
        sys.write(fd, ByteBuffer.wrap(FUNTEXT.getBytes()));
        sys.close(fd);
    }

    /** Boots, enters /mnt, generates the content and remounts read-only. */
    private static RumpKernel readOnly(FileSystems.Fs fs, Consumer<Syscalls> generate) {
        RumpKernel rk = fs.boot();
        Syscalls sys = rk.syscalls();
        sys.chdir(FileSystems.MNT);
        generate.accept(sys);
        assertThat(fs.remountReadOnly(rk)).isTrue();
        assertThat(sys.statvfs1(".", 0).flag() & Sys.MNT_RDONLY).isNotZero();
        return rk;
    }

    /** create: O_CREAT of a new file is EROFS. */
    @ParameterizedTest
    @MethodSource("remountable")
    void create(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::nothing)) {
            Syscalls sys = rk.syscalls();
            assertThat(errnoOf(() -> sys.open(AFILE, Sys.O_CREAT | Sys.O_RDONLY, 0644))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.stat(AFILE))).isEqualTo(Errno.ENOENT);
        }
    }

    /** rmfile: unlink is EROFS and the file stays. */
    @ParameterizedTest
    @MethodSource("remountable")
    void rmfile(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::aFile)) {
            Syscalls sys = rk.syscalls();
            assertThat(errnoOf(() -> sys.unlink(AFILE))).isEqualTo(Errno.EROFS);
            assertThat(sys.stat(AFILE).isRegularFile()).isTrue();
        }
    }

    /** fileio: the content reads back; opening for writing, also with O_TRUNC, is EROFS. */
    @ParameterizedTest
    @MethodSource("remountable")
    void fileio(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::aFile)) {
            Syscalls sys = rk.syscalls();
            assertThat(Content.readString(sys, AFILE)).isEqualTo(FUNTEXT);
            assertThat(errnoOf(() -> sys.open(AFILE, Sys.O_WRONLY, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.open(AFILE, Sys.O_RDWR, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.open(AFILE, Sys.O_RDONLY | Sys.O_TRUNC, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.truncate(AFILE, 0))).isEqualTo(Errno.EROFS);
            assertThat(sys.stat(AFILE).size()).isEqualTo(FUNTEXT.length());
        }
    }

    /** attrs: chmod, chown and utimes are EROFS, by path and by descriptor, and change nothing. */
    @ParameterizedTest
    @MethodSource("remountable")
    void attrs(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::aFile)) {
            Syscalls sys = rk.syscalls();
            var before = sys.stat(AFILE);
            assertThat(errnoOf(() -> sys.chmod(AFILE, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.chown(AFILE, 0x1337, 0x1337))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.utimes(AFILE, null))).isEqualTo(Errno.EROFS);
            int fd = sys.open(AFILE, Sys.O_RDONLY, 0);
            assertThat(errnoOf(() -> sys.fchmod(fd, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.fchown(fd, 0x1337, 0x1337))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.futimes(fd, new Timeval[] {new Timeval(1, 0), new Timeval(1, 0)})))
                    .isEqualTo(Errno.EROFS);
            sys.close(fd);
            var after = sys.stat(AFILE);
            assertThat(after.mode()).isEqualTo(before.mode());
            assertThat(after.uid()).isEqualTo(before.uid());
            assertThat(after.mtime()).isEqualTo(before.mtime());
        }
    }

    /** createdir. */
    @ParameterizedTest
    @MethodSource("remountable")
    void createdir(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::nothing)) {
            assertThat(errnoOf(() -> rk.syscalls().mkdir("testdir", 0777))).isEqualTo(Errno.EROFS);
        }
    }

    /** createfifo. */
    @ParameterizedTest
    @MethodSource("remountable")
    void createfifo(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::nothing)) {
            assertThat(errnoOf(() -> rk.syscalls().mkfifo("testfifo", 0777))).isEqualTo(Errno.EROFS);
        }
    }

    /** createsymlink. */
    @ParameterizedTest
    @MethodSource("remountable")
    void createsymlink(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::nothing)) {
            assertThat(errnoOf(() -> rk.syscalls().symlink("hoge", "testsymlink"))).isEqualTo(Errno.EROFS);
        }
    }

    /** createlink. */
    @ParameterizedTest
    @MethodSource("remountable")
    void createlink(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::aFile)) {
            assertThat(errnoOf(() -> rk.syscalls().link(AFILE, "testlink"))).isEqualTo(Errno.EROFS);
            assertThat(rk.syscalls().stat(AFILE).nlink()).isEqualTo(1);
        }
    }

    /** createfifo's other side: a FIFO made before stays a pipe to write to (ufs_access allows VWRITE on it). */
    @ParameterizedTest
    @MethodSource("remountable")
    void fifoStaysWritable(FileSystems.Fs fs) {
        assumeTrue(fs.caps().fifos(), "no FIFOs");
        try (RumpKernel rk = readOnly(fs, sys -> sys.mkfifo("testfifo", 0666))) {
            Syscalls sys = rk.syscalls();
            sys.access("testfifo", Sys.W_OK);
            int fd = sys.open("testfifo", Sys.O_RDWR, 0);
            assertThat(sys.write(fd, ByteBuffer.wrap(FUNTEXT.getBytes()))).isEqualTo(FUNTEXT.length());
            ByteBuffer b = ByteBuffer.allocate(64);
            assertThat(sys.read(fd, b)).isEqualTo(FUNTEXT.length());
            assertThat(new String(b.array(), 0, b.position())).isEqualTo(FUNTEXT);
            sys.close(fd);
            assertThat(errnoOf(() -> sys.chmod("testfifo", 0600))).isEqualTo(Errno.EROFS);
        }
    }

    /** t_rwtoro: remounting read-write again (MNT_UPDATE without MNT_RDONLY) allows changes again. */
    @ParameterizedTest
    @MethodSource("remountable")
    void readWriteAgain(FileSystems.Fs fs) {
        try (RumpKernel rk = readOnly(fs, RoTest::aFile)) {
            Syscalls sys = rk.syscalls();
            fs.remountReadWrite(rk);
            assertThat(sys.statvfs1(".", 0).flag() & Sys.MNT_RDONLY).isZero();
            Content.write(sys, AFILE, "changed");
            sys.mkdir("testdir", 0777);
            sys.rename(AFILE, "testdir/moved");
            assertThat(Content.readString(sys, "testdir/moved")).isEqualTo("changed");
        }
    }

    /** t_rwtoro: a file open for writing keeps a read-write mount from becoming read-only (EBUSY). */
    @ParameterizedTest
    @MethodSource("remountable")
    void openForWritingBlocksReadOnly(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/file", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            assertThat(errnoOf(() -> fs.remountReadOnly(rk))).isEqualTo(Errno.EBUSY);
            assertThat(sys.write(fd, ByteBuffer.wrap(new byte[] {'w'}))).isEqualTo(1);
            sys.close(fd);
            int reader = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            assertThat(fs.remountReadOnly(rk)).isTrue(); // readers do not matter
            assertThat(Content.readAll(sys, reader)).containsExactly('w');
            sys.close(reader);
        }
    }

    /**
     * t_rwtoro: MNT_FORCE makes it read-only anyway, and a descriptor opened for writing before cannot write
     * (NetBSD revokes such vnodes, so writes fail with deadfs's EIO; jrump keeps them and says EROFS).
     */
    @ParameterizedTest
    @MethodSource("remountable")
    void forcedReadOnlyStopsOpenWriters(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/file", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            sys.mount(fs.type(), "/mnt", Sys.MNT_UPDATE | Sys.MNT_RDONLY | Sys.MNT_FORCE, null);
            assertThat(errnoOf(() -> sys.write(fd, ByteBuffer.wrap(new byte[] {'w'})))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.ftruncate(fd, 10))).isEqualTo(Errno.EROFS);
            sys.close(fd);
            assertThat(sys.stat("/mnt/file").size()).isZero();
        }
    }
}
