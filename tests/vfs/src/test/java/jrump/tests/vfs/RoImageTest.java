package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import jrump.rumpvfs.tool.MakefsTree;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timeval;

/**
 * NetBSD's tests/fs/vfs/t_ro.c for file systems that are read-only by nature (FSAPPLY_RO without the
 * remount): the content is made as an image by the file system's makefs, mounted read-only at /mnt, and
 * then every change is EROFS while reading works; asking for read-write is EROFS too.
 */
class RoImageTest {
    private static final String AFILE = "testfile";
    private static final String AFIFO = "testfifo";
    private static final String FUNTEXT = "this is some non-humppa text";

    @TempDir
    static Path tmp;

    /** A read-only file system type and how to make an image holding AFILE and AFIFO. */
    record ImageFs(String name, String type, ImageMaker make) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface ImageMaker {
        void make(Path image) throws IOException;
    }

    /** The image file systems; one line each as they land. */
    static List<ImageFs> images() {
        return List.of(new ImageFs("cd9660", "cd9660", RoImageTest::cd9660));
    }

    private static void cd9660(Path image) throws IOException {
        long t = 1_700_000_000_000_000_000L;
        var a = new MakefsTree.Attrs(0644, 0, 0, t, t, t);
        byte[] text = FUNTEXT.getBytes(StandardCharsets.US_ASCII);
        var file = new MakefsTree.File(a, text.length, (off, dst) -> {
            if (off >= text.length) return -1;
            int n = Math.min(dst.remaining(), text.length - (int) off);
            dst.put(text, (int) off, n);
            return n;
        });
        var fifo = new MakefsTree.Special(new MakefsTree.Attrs(0666, 0, 0, t, t, t), 0010000, 0, 0);
        var root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, t, t, t),
                List.of(Map.entry(AFILE, file), Map.entry(AFIFO, fifo)));
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            jrump.fs.cd9660.Makefs.build(root, new jrump.fs.cd9660.Makefs.Options(true, false, null, null, t), (off, d) -> {
                while (d.hasRemaining()) ch.write(d, off + d.position());
            });
        }
    }

    /** Boots, mounts the image read-only at /mnt and enters it. */
    private static RumpKernel mounted(ImageFs fs) throws IOException {
        Path image = tmp.resolve(fs.name() + ".img");
        fs.make().make(image);
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        try {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", image.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir(FileSystems.MNT, 0755);
            assertThat(errnoOf(() -> sys.mount(fs.type(), FileSystems.MNT, 0, "/dev/img"))).isEqualTo(Errno.EROFS);
            sys.mount(fs.type(), FileSystems.MNT, Sys.MNT_RDONLY, "/dev/img");
            sys.chdir(FileSystems.MNT);
            return rk;
        } catch (RuntimeException | Error e) {
            rk.close();
            throw e;
        }
    }

    /** create, createdir, createfifo, createsymlink: nothing new appears. */
    @ParameterizedTest
    @MethodSource("images")
    void creating_isErofs(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
            Syscalls sys = rk.syscalls();
            assertThat(errnoOf(() -> sys.open("new", Sys.O_CREAT | Sys.O_RDONLY, 0644))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.mkdir("testdir", 0777))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.mkfifo("fifo2", 0777))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.symlink("hoge", "testsymlink"))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.link(AFILE, "testlink"))).isEqualTo(Errno.EROFS);
            assertThat(Content.names(sys, ".")).containsExactlyInAnyOrder(AFILE, AFIFO);
        }
    }

    /** rmfile and rename: the file stays. */
    @ParameterizedTest
    @MethodSource("images")
    void removing_isErofs(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
            Syscalls sys = rk.syscalls();
            assertThat(errnoOf(() -> sys.unlink(AFILE))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.rename(AFILE, "moved"))).isEqualTo(Errno.EROFS);
            assertThat(sys.stat(AFILE).isRegularFile()).isTrue();
        }
    }

    /** fileio: the content reads back; opening for writing, also with O_TRUNC, is EROFS. */
    @ParameterizedTest
    @MethodSource("images")
    void fileio(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
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
    @MethodSource("images")
    void attrs(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
            Syscalls sys = rk.syscalls();
            var before = sys.stat(AFILE);
            assertThat(errnoOf(() -> sys.chmod(AFILE, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.chown(AFILE, 0x1337, 0x1337))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.utimes(AFILE, null))).isEqualTo(Errno.EROFS);
            int fd = sys.open(AFILE, Sys.O_RDONLY, 0);
            assertThat(errnoOf(() -> sys.fchmod(fd, 0))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> sys.futimes(fd, new Timeval[] {new Timeval(1, 0), new Timeval(1, 0)}))).isEqualTo(Errno.EROFS);
            sys.close(fd);
            var after = sys.stat(AFILE);
            assertThat(after.mode()).isEqualTo(before.mode());
            assertThat(after.mtime()).isEqualTo(before.mtime());
        }
    }

    /** A FIFO on the image stays a pipe to write to (ufs_access allows VWRITE on it); chmod is EROFS. */
    @ParameterizedTest
    @MethodSource("images")
    void fifoStaysWritable(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open(AFIFO, Sys.O_RDWR, 0);
            assertThat(sys.write(fd, ByteBuffer.wrap(FUNTEXT.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(FUNTEXT.length());
            ByteBuffer b = ByteBuffer.allocate(64);
            assertThat(sys.read(fd, b)).isEqualTo(FUNTEXT.length());
            sys.close(fd);
            assertThat(errnoOf(() -> sys.chmod(AFIFO, 0600))).isEqualTo(Errno.EROFS);
        }
    }

    /** t_rwtoro's way back does not exist: MNT_UPDATE to read-write is EROFS and the mount stays read-only. */
    @ParameterizedTest
    @MethodSource("images")
    void readWrite_isErofs(ImageFs fs) throws IOException {
        try (RumpKernel rk = mounted(fs)) {
            Syscalls sys = rk.syscalls();
            assertThat(errnoOf(() -> sys.mount(fs.type(), FileSystems.MNT, Sys.MNT_UPDATE, null))).isEqualTo(Errno.EROFS);
            assertThat(sys.statvfs1(".", 0).flag() & Sys.MNT_RDONLY).isNotZero();
        }
    }
}
