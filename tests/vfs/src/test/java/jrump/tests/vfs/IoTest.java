package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** NetBSD's tests/fs/vfs/t_io.c for jrump: reads and writes, each checked byte for byte, on every file system. */
class IoTest {
    /** NetBSD's getpagesize() on the machines t_io was written for: the cases straddle its boundary. */
    private static final int PAGE = 4096;

    static java.util.List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    private static byte[] pread(Syscalls sys, int fd, int length, long offset) {
        ByteBuffer b = ByteBuffer.allocate(length);
        assertThat(sys.pread(fd, b, offset)).isEqualTo(length);
        return b.array();
    }

    private static void pwrite(Syscalls sys, int fd, byte[] data, long offset) {
        assertThat(sys.pwrite(fd, ByteBuffer.wrap(data), offset)).isEqualTo(data.length);
    }

    private static void write(Syscalls sys, int fd, byte[] data) {
        assertThat(sys.write(fd, ByteBuffer.wrap(data))).isEqualTo(data.length);
    }

    private static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** holywrite: two bytes across a page boundary of a sparse file; the hole before them reads as zeros. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void holywrite(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/file", Sys.O_RDWR | Sys.O_CREAT | Sys.O_TRUNC, 0666);
            pwrite(sys, fd, filled(1, 'A'), PAGE);
            pwrite(sys, fd, filled(2, 'B'), PAGE - 1); // overwrites the A
            byte[] expected = new byte[PAGE + 1];
            expected[PAGE - 1] = 'B';
            expected[PAGE] = 'B';
            assertThat(pread(sys, fd, PAGE + 1, 0)).isEqualTo(expected);
            assertThat(sys.fstat(fd).size()).isEqualTo(PAGE + 1);
            sys.close(fd);
        }
    }

    /** extendfile: a write to an empty file sets its size to what was written. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void extendfile(FileSystems.Fs fs) {
        extend(fs, 0);
    }

    /** extendfile_append (PR kern/44307): the same with O_APPEND, twice, each write landing at the end. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void extendfileAppend(FileSystems.Fs fs) {
        extend(fs, Sys.O_APPEND);
    }

    private static void extend(FileSystems.Fs fs, int extraFlags) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/testfile", Sys.O_CREAT | Sys.O_RDWR | Sys.O_TRUNC | extraFlags, 0777);
            sys.ftruncate(fd, 0);
            assertThat(sys.fstat(fd).size()).isZero();
            byte[] first = Content.pattern(8192, 1);
            write(sys, fd, first);
            assertThat(sys.fstat(fd).size()).isEqualTo(8192);
            byte[] second = Content.pattern(100, 2);
            if (extraFlags == Sys.O_APPEND) sys.lseek(fd, 0, Sys.SEEK_SET); // appends anyway
            else sys.lseek(fd, 8192, Sys.SEEK_SET);
            write(sys, fd, second);
            assertThat(sys.fstat(fd).size()).isEqualTo(8292);
            sys.close(fd);
            byte[] all = Content.read(sys, "/mnt/testfile");
            assertThat(Arrays.copyOfRange(all, 0, 8192)).isEqualTo(first);
            assertThat(Arrays.copyOfRange(all, 8192, 8292)).isEqualTo(second);
        }
    }

    /** overwrite512. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void overwrite512(FileSystems.Fs fs) {
        overwrite(fs, 512, false);
    }

    /** overwrite64k. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void overwrite64k(FileSystems.Fs fs) {
        overwrite(fs, 1 << 16, false);
    }

    /** overwrite_trunc: the same after truncating the file to zero first. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void overwriteTrunc(FileSystems.Fs fs) {
        overwrite(fs, 1 << 16, true);
    }

    /** Writes {@code count} bytes, then the same length of other bytes over them: only the second remain. */
    private static void overwrite(FileSystems.Fs fs, int count, boolean truncateFirst) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/testi", Sys.O_CREAT | Sys.O_RDWR, 0666);
            write(sys, fd, Content.pattern(count, 1));
            sys.close(fd);
            fd = sys.open("/mnt/testi", Sys.O_RDWR, 0);
            if (truncateFirst) {
                sys.ftruncate(fd, 0);
                assertThat(sys.fstat(fd).size()).isZero();
            }
            byte[] second = Content.pattern(count, 2);
            write(sys, fd, second);
            sys.close(fd);
            assertThat(sys.stat("/mnt/testi").size()).isEqualTo(count);
            assertThat(Content.read(sys, "/mnt/testi")).isEqualTo(second);
        }
    }

    /** shrinkfile: ftruncate to 2 then 1; what is cut off is gone, also after growing again. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void shrinkfile(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/file", Sys.O_RDWR | Sys.O_CREAT | Sys.O_TRUNC, 0666);
            sys.ftruncate(fd, 2);
            assertThat(pread(sys, fd, 2, 0)).containsExactly(0, 0);
            pwrite(sys, fd, new byte[] {'x', 'y'}, 0);
            sys.ftruncate(fd, 1);
            assertThat(sys.fstat(fd).size()).isEqualTo(1);
            assertThat(pread(sys, fd, 1, 0)).containsExactly('x');
            sys.ftruncate(fd, 2);
            assertThat(pread(sys, fd, 2, 0)).containsExactly('x', 0); // the y does not come back
            sys.close(fd);
        }
    }

    /** read_after_unlink: an open file's data stays readable after its last name is gone. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void readAfterUnlink(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            byte[] data = filled(9000, 'D');
            Content.write(sys, "/mnt/file", data);
            if (fs.type() != null) {
                // NetBSD's way to flush caches: a refused unmount (a process has its cwd there)
                sys.chdir("/mnt");
                assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
                sys.chdir("/");
            }
            int fd = sys.open("/mnt/file", Sys.O_RDWR, 0);
            sys.unlink("/mnt/file");
            assertThat(errnoOf(() -> sys.stat("/mnt/file"))).isEqualTo(Errno.ENOENT);
            assertThat(Content.readAll(sys, fd)).isEqualTo(data);
            sys.close(fd);
        }
    }

    /** wrrd_after_unlink: write, fsync and read back at offset 654321 of an unlinked open file. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void wrrdAfterUnlink(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/file", Sys.O_RDWR | Sys.O_CREAT, 0666);
            sys.unlink("/mnt/file");
            byte[] value = {0x11, 0, 0, 0};
            pwrite(sys, fd, value, 654321);
            sys.fsync(fd);
            assertThat(pread(sys, fd, 4, 654321)).isEqualTo(value);
            assertThat(sys.fstat(fd).size()).isEqualTo(654325);
            assertThat(sys.fstat(fd).nlink()).isZero();
            sys.close(fd);
            assertThat(Content.names(sys, "/mnt")).isEmpty();
        }
    }
}
