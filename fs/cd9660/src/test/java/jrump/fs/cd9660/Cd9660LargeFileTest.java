package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A file past 4 GiB (xorriso -iso-level 3 from a sparse source): ISO 9660 records hold at most 4 GiB - 1
 * bytes, so the file is several extents (ECMA-119 §6.5.1); its size, its content at both ends and across
 * the extent boundary read back. The image goes to /dev/shm when there is one: 4 GiB through the disk's
 * page cache takes four times as long.
 */
class Cd9660LargeFileTest {
    @TempDir
    Path tmp;

    static final long SIZE = (4L << 30) + 8192;

    @Test
    void multiExtentFile_pastFourGiB_readsBack() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path huge = src.resolve("huge");
        IsoTools.sparse(huge, SIZE, "tail-marker".getBytes(StandardCharsets.US_ASCII));
        try (var ch = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("head-marker".getBytes(StandardCharsets.US_ASCII)), 0);
            ch.write(ByteBuffer.wrap("across".getBytes(StandardCharsets.US_ASCII)), (4L << 30) - 3);
        }
        Files.writeString(src.resolve("small"), "after the big one");
        Path shm = Path.of("/dev/shm");
        Path img = (Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "cd9660-", ".iso") : tmp.resolve("big.iso"));
        try {
            IsoTools.run(tmp, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-iso-level", "3", "-o", img.toString(), src.toString());
            try (RumpKernel rk = IsoMount.mount(img, null)) {
                Syscalls sys = rk.syscalls();
                assertThat(sys.stat("/mnt/huge").size()).isEqualTo(SIZE);
                assertThat(at(sys, 0, 11)).isEqualTo("head-marker");
                assertThat(at(sys, (4L << 30) - 3, 6)).isEqualTo("across");
                assertThat(at(sys, SIZE - 11, 11)).isEqualTo("tail-marker");
                assertThat(at(sys, SIZE - 4, 100)).as("a read stops at the end").isEqualTo("rker");
                // a long read across the extent boundary: straight from the device, in two extents
                ByteBuffer b = ByteBuffer.allocate(1 << 20);
                int fd = sys.open("/mnt/huge", Sys.O_RDONLY, 0);
                assertThat(sys.pread(fd, b, (4L << 30) - (512 << 10))).as("up to the end").isEqualTo((512 << 10) + 8192);
                sys.close(fd);
                assertThat(new String(b.array(), (512 << 10) - 3, 6, StandardCharsets.US_ASCII)).isEqualTo("across");
                assertThat(Content.read(sys, "/mnt/small")).isEqualTo("after the big one");
            }
        } finally {
            Files.deleteIfExists(img);
        }
    }

    private static String at(Syscalls sys, long off, int len) {
        int fd = sys.open("/mnt/huge", Sys.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(len);
            long n = sys.pread(fd, b, off);
            return new String(b.array(), 0, (int) n, StandardCharsets.US_ASCII);
        } finally {
            sys.close(fd);
        }
    }
}
