package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.readAll;
import static jrump.fs.ext2fs.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A file never shows another file's old bytes: the free blocks are first filled with a pattern and freed,
 * then new files are written partially, extended past gaps, truncated up and fallocated — every byte not
 * written must read as zero, through jrump and through debugfs after unmount.
 */
class StaleDataTest {
    @TempDir
    Path tmp;

    @Test
    void bytesNeverWritten_readAsZeros_evenOverReusedBlocks() throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", img.toString(), "8M");
        byte[] pattern = new byte[4 << 20];
        Arrays.fill(pattern, (byte) 0xAA);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            int fd = sys.open("/mnt/old", Sys.O_WRONLY | Sys.O_CREAT, 0644);
            sys.write(fd, ByteBuffer.wrap(pattern));
            sys.fsync(fd);
            sys.close(fd);
            sys.unlink("/mnt/old");
            sys.sync(); // its blocks are free now, still holding 0xAA

            // a write of a block and a bit, then one byte further on: the gap reads as zeros
            byte[] ones = new byte[1500];
            Arrays.fill(ones, (byte) 0x11);
            fd = sys.open("/mnt/new", Sys.O_RDWR | Sys.O_CREAT, 0644);
            sys.write(fd, ByteBuffer.wrap(ones));
            sys.pwrite(fd, ByteBuffer.wrap(new byte[] {0x22}), 3000);
            sys.close(fd);
            byte[] expected = new byte[3001];
            Arrays.fill(expected, 0, 1500, (byte) 0x11);
            expected[3000] = 0x22;
            assertThat(readAll(sys, "/mnt/new")).isEqualTo(expected);

            // truncated up, then fallocated: zeros
            sys.truncate("/mnt/new", 10_000);
            int fd2 = sys.open("/mnt/pre", Sys.O_RDWR | Sys.O_CREAT, 0644);
            assertThat(sys.posixFallocate(fd2, 0, 300_000)).isZero();
            sys.close(fd2);
            assertThat(readAll(sys, "/mnt/pre")).isEqualTo(new byte[300_000]);
            byte[] grown = Arrays.copyOf(expected, 10_000);
            assertThat(readAll(sys, "/mnt/new")).isEqualTo(grown);
            sys.unmount("/mnt", 0);
        }
        run("e2fsck", "-fn", img.toString());
        Path dumped = tmp.resolve("new.out");
        run("debugfs", "-R", "dump /new " + dumped, img.toString());
        byte[] onDisk = java.nio.file.Files.readAllBytes(dumped);
        assertThat(onDisk).hasSize(10_000);
        for (int i = 1500; i < 10_000; i++) if (i != 3000) assertThat(onDisk[i]).as("byte %d", i).isZero();
    }
}
