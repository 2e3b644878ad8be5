package jrump.fs.ext2fs;

import static jrump.fs.ext2fs.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Where new inodes go (Orlov, by flex group): top-level directories spread over the flex groups, deeper
 * directories stay in their parent's flex group, files sit in their directory's group, and the file's
 * data near its inode; dumpe2fs gives the geometry and e2fsck -fn checks the result.
 */
class PlacementTest {
    @TempDir
    Path tmp;

    private static long field(String dump, String name) {
        return Long.parseLong(dump.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).strip());
    }

    @Test
    void directoriesSpreadByFlexGroup_branchesAndFilesStayTogether() throws Exception {
        Path img = tmp.resolve("img");
        run("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-G", "16", img.toString(), "512M");
        String dump = run("dumpe2fs", "-h", img.toString());
        long perGroup = field(dump, "Inodes per group");
        long blocksPerGroup = field(dump, "Blocks per group");
        long flex = field(dump, "Flex block group size");
        java.util.Map<Long, Integer> topUnits = new java.util.HashMap<>();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            for (String top : new String[] {"/mnt/a", "/mnt/b", "/mnt/c", "/mnt/d", "/mnt/e", "/mnt/f"}) {
                sys.mkdir(top, 0755);
                topUnits.merge(group(sys.stat(top).ino(), perGroup) / flex, 1, Integer::sum);
            }
            long aGroup = group(sys.stat("/mnt/a").ino(), perGroup);
            for (int i = 0; i < 6; i++) {
                String sub = "/mnt/a/sub" + i;
                sys.mkdir(sub, 0755);
                assertThat(group(sys.stat(sub).ino(), perGroup) / flex).as(sub).isEqualTo(aGroup / flex);
                int fd = sys.open(sub + "/file", Sys.O_WRONLY | Sys.O_CREAT, 0644);
                sys.write(fd, ByteBuffer.allocate(64 << 10));
                sys.close(fd);
                long fileGroup = group(sys.stat(sub + "/file").ino(), perGroup);
                assertThat(fileGroup).as(sub + "/file").isEqualTo(group(sys.stat(sub).ino(), perGroup));
            }
            sys.unmount("/mnt", 0);
        }
        // spread: no flex group takes more than half of them (ext2's old rule put all six in one group)
        assertThat(topUnits.values()).as("top-level directories per flex group: %s", topUnits).allMatch(n -> n <= 3);
        run("e2fsck", "-fn", img.toString());
        // the data of a file lies in (or just after) its inode's group, not at the start of the disk
        String blocks = run("debugfs", "-R", "blocks /a/sub3/file", img.toString()).strip();
        String last = blocks.lines().reduce((a, b) -> b).orElseThrow(); // after debugfs' banner
        long first = Long.parseLong(last.strip().split("\\s+")[0]);
        String stat = run("debugfs", "-R", "stat /a/sub3/file", img.toString());
        long ino = Long.parseLong(stat.substring(stat.indexOf("Inode: ") + 7).split("\\s+")[0]);
        assertThat(first / blocksPerGroup).isGreaterThanOrEqualTo(group(ino, perGroup));
    }

    private static long group(long ino, long perGroup) {
        return (ino - 1) / perGroup;
    }
}
