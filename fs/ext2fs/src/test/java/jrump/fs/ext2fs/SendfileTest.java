package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.fs.ext2fs.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * rump_pub_fd_sendfile on ext2fs: the bytes a channel receives are read(2)'s, whether the host moved them
 * from the image (read-only mounts, through VOP_BMAP) or the kernel read them (read-write mounts, inline
 * data), for whole files, ranges, holes and files in several extents; its errors are sendfile's.
 */
class SendfileTest {
    @TempDir
    Path tmp;

    private static final long SEED = 0x5e9df11eL;

    /** A tree with a 3 MiB file, a sparse file with holes at both ends and between runs, and a small one. */
    private Path tree() throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        SplittableRandom r = new SplittableRandom(SEED);
        byte[] big = new byte[3 << 20];
        r.nextBytes(big);
        Files.write(tree.resolve("big"), big);
        try (RandomAccessFile f = new RandomAccessFile(tree.resolve("sparse").toFile(), "rw")) {
            byte[] run = new byte[10_000];
            for (long at : new long[] {200_000, 700_000, 701_500}) {
                r.nextBytes(run);
                f.seek(at);
                f.write(run);
            }
            f.setLength(2_000_000); // a hole at the end too
        }
        Files.writeString(tree.resolve("small"), "a few bytes\n");
        return tree;
    }

    /** A kernel with {@code img} mounted on /mnt with {@code flags}. */
    private static RumpKernel mounted(Path img, int flags) {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
        rk.syscalls().mkdir("/mnt", 0755);
        rk.syscalls().mount("ext2fs", "/mnt", flags, "/dev/img");
        return rk;
    }

    private static byte[] sendfile(RumpKernel rk, Syscalls sys, String path, long offset, long count, Path via) throws Exception {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            if (via == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                rk.pub().fdSendfile(fd, offset, count, Channels.newChannel(out));
                return out.toByteArray();
            }
            // a host file as the target: the JDK's transferTo hands this to sendfile/copy_file_range
            try (FileChannel out = FileChannel.open(via, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                rk.pub().fdSendfile(fd, offset, count, out);
            }
            return Files.readAllBytes(via);
        } finally {
            sys.close(fd);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 4096})
    void readOnlyMount_sendsWhatReadReads_wholeAndInRanges(int blockSize) throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-b", Integer.toString(blockSize), "-d", tree().toString(), img.toString(), "32M");
        byte[] imageBefore = Files.readAllBytes(img);
        try (RumpKernel rk = mounted(img, Sys.MNT_RDONLY)) {
            Syscalls sys = rk.syscalls();
            for (String name : new String[] {"big", "sparse", "small"}) {
                byte[] expected = readAll(sys, "/mnt/" + name);
                assertThat(expected).isEqualTo(Files.readAllBytes(tmp.resolve("tree").resolve(name)));
                assertThat(sendfile(rk, sys, "/mnt/" + name, 0, expected.length, tmp.resolve("out"))).as(name).isEqualTo(expected);
                assertThat(sendfile(rk, sys, "/mnt/" + name, 0, expected.length, null)).as(name).isEqualTo(expected);
                // ranges that start and end inside blocks, inside holes and across them
                SplittableRandom r = new SplittableRandom(SEED + name.hashCode());
                for (int i = 0; i < 20; i++) {
                    int from = r.nextInt(expected.length + 1);
                    int count = r.nextInt(expected.length - from + 1);
                    assertThat(sendfile(rk, sys, "/mnt/" + name, from, count, tmp.resolve("out")))
                            .as("%s [%d, +%d) seed %x", name, from, count, SEED).isEqualTo(Arrays.copyOfRange(expected, from, from + count));
                }
            }
            sys.unmount("/mnt", 0);
        }
        assertThat(Files.readAllBytes(img)).as("a read-only mount never writes").isEqualTo(imageBefore);
    }

    @Test
    void readWriteMount_sendsTheCachedBytes_notTheImagesOlderOnes() throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree().toString(), img.toString(), "32M");
        try (RumpKernel rk = mounted(img, 0)) {
            Syscalls sys = rk.syscalls();
            // rewritten in small pieces (cached, not yet on the image) and into the sparse file's holes
            int fd = sys.open("/mnt/big", Sys.O_WRONLY, 0);
            sys.pwrite(fd, ByteBuffer.wrap("rewritten".getBytes()), 5000);
            sys.close(fd);
            fd = sys.open("/mnt/sparse", Sys.O_WRONLY, 0);
            sys.pwrite(fd, ByteBuffer.wrap("in a hole".getBytes()), 100);
            sys.close(fd);
            for (String name : new String[] {"big", "sparse"}) {
                byte[] expected = readAll(sys, "/mnt/" + name);
                assertThat(sendfile(rk, sys, "/mnt/" + name, 0, expected.length, tmp.resolve("out"))).as(name).isEqualTo(expected);
            }
            assertThat(new String(readAll(sys, "/mnt/big"), 5000, 9)).isEqualTo("rewritten");
            sys.unmount("/mnt", 0);
        }
        run("e2fsck", "-fn", img.toString());
    }

    @Test
    void errors_areSendfiles() throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree().toString(), img.toString(), "32M");
        try (RumpKernel rk = mounted(img, 0)) {
            Syscalls sys = rk.syscalls();
            var sink = Channels.newChannel(new ByteArrayOutputStream());
            int fd = sys.open("/mnt/small", Sys.O_RDONLY, 0);
            long size = sys.fstat(fd).size();
            assertThatThrownBy(() -> rk.pub().fdSendfile(fd, 0, size + 1, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> rk.pub().fdSendfile(fd, size + 1, 0, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> rk.pub().fdSendfile(fd, -1, 1, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            sys.close(fd);
            assertThatThrownBy(() -> rk.pub().fdSendfile(fd, 0, 1, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
            int wfd = sys.open("/mnt/small", Sys.O_WRONLY, 0);
            assertThatThrownBy(() -> rk.pub().fdSendfile(wfd, 0, 1, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
            sys.close(wfd);
            int dfd = sys.open("/mnt", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
            assertThatThrownBy(() -> rk.pub().fdSendfile(dfd, 0, 0, sink)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            sys.close(dfd);
            // channels that fail: a closed one (EBADF), a pipe nobody reads (EPIPE); the kernel goes on
            int rfd = sys.open("/mnt/big", Sys.O_RDONLY, 0);
            var closed = FileChannel.open(tmp.resolve("closed"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            closed.close();
            assertThatThrownBy(() -> rk.pub().fdSendfile(rfd, 0, 4096, closed)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
            var pipe = java.nio.channels.Pipe.open();
            pipe.source().close();
            assertThatThrownBy(() -> rk.pub().fdSendfile(rfd, 0, 1 << 20, pipe.sink())).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPIPE));
            pipe.sink().close();
            sys.close(rfd);
            assertThat(readAll(sys, "/mnt/small")).isEqualTo("a few bytes\n".getBytes());
            sys.unmount("/mnt", 0);
        }
    }
}
