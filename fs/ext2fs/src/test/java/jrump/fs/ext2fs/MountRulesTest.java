package jrump.fs.ext2fs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * What a read-write mount refuses and what it leaves behind: unknown incompatible features refuse every
 * mount, unknown read-only-compatible ones and features jrump would not keep (quota) allow only read-only
 * — each naming the feature, as e2fsprogs spells it; a remount flips between read-only and read-write and
 * the superblock says "clean" whenever nothing is mounted read-write; an image e2fsck marks as having
 * errors still mounts, with a warning.
 */
class MountRulesTest {
    @TempDir
    Path tmp;

    private Path image(String... extra) throws Exception {
        Path img = tmp.resolve("img" + System.nanoTime());
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", img.toString(), "16M");
        for (String cmd : extra) Tools.run("debugfs", "-w", "-R", cmd, img.toString());
        return img;
    }

    private record Attempt(Errno readWrite, Errno readOnly, String console) {
    }

    private Attempt attempt(Path img) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true)
                .hypervisor(RumpConfig.Hypervisor.host(new PrintStream(console, true))).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            Errno rw = errnoOf(() -> sys.mount("ext2fs", "/mnt", 0, "/dev/img"));
            if (rw == null) sys.unmount("/mnt", 0);
            Errno ro = errnoOf(() -> sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img"));
            if (ro == null) sys.unmount("/mnt", 0);
            return new Attempt(rw, ro, console.toString());
        }
    }

    @Test
    void unknownIncompatibleFeature_refusesEveryMount_namingIt() throws Exception {
        Attempt a = attempt(image("feature FEATURE_I30"));
        assertThat(a.readWrite()).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(a.readOnly()).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(a.console()).contains("FEATURE_I30");
    }

    @Test
    void unknownReadOnlyCompatibleFeature_allowsOnlyReadOnly_namingIt() throws Exception {
        Attempt a = attempt(image("feature FEATURE_R30"));
        assertThat(a.readWrite()).isEqualTo(Errno.EROFS);
        assertThat(a.readOnly()).isNull();
        assertThat(a.console()).contains("FEATURE_R30");
    }

    @Test
    void quota_allowsOnlyReadOnly() throws Exception {
        Path img = tmp.resolve("quota");
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", "-O", "quota", img.toString(), "16M");
        Attempt a = attempt(img);
        assertThat(a.readWrite()).isEqualTo(Errno.EROFS);
        assertThat(a.readOnly()).isNull();
        assertThat(a.console()).contains("quota");
    }

    @Test
    void remounts_flipModes_andTheSuperblockIsCleanWhenNotWritten() throws Exception {
        Path img = image();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            assertThat(Tools.run("dumpe2fs", "-h", img.toString())).as("mounted read-write: needs_recovery").contains("needs_recovery");
            int fd = sys.open("/mnt/f", Sys.O_WRONLY | Sys.O_CREAT, 0644);
            sys.write(fd, ByteBuffer.wrap(new byte[5000]));
            sys.close(fd);
            sys.mount("ext2fs", "/mnt", Sys.MNT_UPDATE | Sys.MNT_RDONLY, null);
            assertThat(Tools.run("dumpe2fs", "-h", img.toString())).doesNotContain("needs_recovery");
            Tools.run("e2fsck", "-fn", img.toString()); // consistent while mounted read-only
            assertThat(errnoOf(() -> sys.open("/mnt/g", Sys.O_WRONLY | Sys.O_CREAT, 0644))).isEqualTo(Errno.EROFS);
            assertThat(sys.stat("/mnt/f").size()).isEqualTo(5000);
            sys.mount("ext2fs", "/mnt", Sys.MNT_UPDATE, null);
            sys.close(sys.open("/mnt/g", Sys.O_WRONLY | Sys.O_CREAT, 0644));
            sys.unmount("/mnt", 0);
        }
        String header = Tools.run("dumpe2fs", "-h", img.toString());
        assertThat(header).doesNotContain("needs_recovery").contains("Filesystem state:         clean");
        assertThat(Tools.run("debugfs", "-R", "ls -l /", img.toString())).contains(" g").contains(" f");
        Tools.run("e2fsck", "-fn", img.toString());
    }

    @Test
    void anImageWithErrors_mountsWithAWarning() throws Exception {
        Path img = image("ssv state 3");
        Attempt a = attempt(img);
        assertThat(a.readWrite()).isNull();
        assertThat(a.console()).contains("has errors");
    }
}
