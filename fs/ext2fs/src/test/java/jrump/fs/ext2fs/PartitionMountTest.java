package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A file system in one partition of a disk image (a GPT made by sfdisk, ext4 made in its second partition
 * by mke2fs -E offset): the partition is a block device of its own through an etfs window (ukfs'
 * %OFFSET% idea), mounted and read, while the rest of the disk is out of its reach.
 */
class PartitionMountTest {
    @TempDir
    Path tmp;

    private String run(String input, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (input != null) p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void anExt4InTheSecondGptPartition_mountsFromAWindowOfTheDisk() throws Exception {
        Path disk = tmp.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        run("label: gpt\nsize=16MiB, name=first\nsize=32MiB, name=second\n", "sfdisk", "-q", disk.toString());
        String json = run(null, "sfdisk", "--json", disk.toString());
        Matcher m = Pattern.compile("\"start\":\\s*(\\d+),\\s*\"size\":\\s*(\\d+)").matcher(json);
        assertThat(m.find()).isTrue();
        assertThat(m.find()).as(json).isTrue(); // the second partition
        long start = Long.parseLong(m.group(1)) * 512;
        long size = Long.parseLong(m.group(2)) * 512;
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Files.writeString(tree.resolve("in-partition-2"), "found");
        run(null, "mke2fs", "-q", "-F", "-t", "ext4", "-d", tree.toString(), "-E", "offset=" + start, disk.toString(), (size / 1024) + "k");
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegisterWithsize("/dev/disk1p2", disk.toString(), Sys.RUMP_ETFS_BLK, start, size);
            rk.pub().etfsRegister("/dev/disk1", disk.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            // the whole disk starts with a protective MBR and a GPT: no ext2 superblock there
            assertThat(jrump.rumpkern.RumpException.errnoOf(() -> sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/disk1")))
                    .isEqualTo(jrump.rumpkern.Errno.EFTYPE);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/disk1p2");
            int fd = sys.open("/mnt/in-partition-2", Sys.O_RDONLY, 0);
            ByteBuffer b = ByteBuffer.allocate(16);
            sys.read(fd, b);
            sys.close(fd);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("found");
            assertThat(sys.statvfs1("/mnt", 0).blocks() * sys.statvfs1("/mnt", 0).bsize()).isLessThanOrEqualTo(size);
        }
    }
}
