package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** mount(2) and unmount(2) with rumpfs as the mounted file system (t_vfsops-style cases). */
class MountTest {
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.mkdir("/mnt", 0755);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }


    private void touch(String path) {
        sys.close(sys.open(path, Sys.O_CREAT | Sys.O_WRONLY, 0644));
    }

    @Test
    void mountCoversTheDirectory_untilUnmounted() {
        touch("/mnt/under");
        sys.mount("rumpfs", "/mnt", 0, null);
        assertThat(errnoOf(() -> sys.stat("/mnt/under"))).isEqualTo(Errno.ENOENT);
        touch("/mnt/on-top");
        assertThat(sys.stat("/mnt").dev()).isNotEqualTo(sys.stat("/").dev());
        assertThat(sys.stat("/mnt/..").ino()).isEqualTo(sys.stat("/").ino()); // ".." leaves the mount
        sys.unmount("/mnt", 0);
        assertThat(errnoOf(() -> sys.stat("/mnt/on-top"))).isEqualTo(Errno.ENOENT);
        sys.stat("/mnt/under");
    }

    @Test
    void crossDeviceLinksAndRenames_areExdev() {
        touch("/f");
        sys.mount("rumpfs", "/mnt", 0, null);
        assertThat(errnoOf(() -> sys.link("/f", "/mnt/f"))).isEqualTo(Errno.EXDEV);
        assertThat(errnoOf(() -> sys.rename("/f", "/mnt/f"))).isEqualTo(Errno.EXDEV);
        assertThat(errnoOf(() -> sys.rename("/mnt", "/elsewhere"))).isEqualTo(Errno.EBUSY);
        assertThat(errnoOf(() -> sys.rmdir("/mnt"))).isEqualTo(Errno.EBUSY);
    }

    @Test
    void busyMounts_needForce() {
        sys.mount("rumpfs", "/mnt", 0, null);
        touch("/mnt/f");
        int fd = sys.open("/mnt/f", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
        sys.close(fd);
        sys.chdir("/mnt");
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
        sys.chdir("/");
        sys.mkdir("/mnt/inner", 0755);
        sys.mount("rumpfs", "/mnt/inner", 0, null);
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
        sys.unmount("/mnt/inner", 0);
        int again = sys.open("/mnt/f", Sys.O_RDONLY, 0);
        sys.unmount("/mnt", Sys.MNT_FORCE);
        assertThat(errnoOf(() -> sys.stat("/mnt/f"))).isEqualTo(Errno.ENOENT);
        sys.close(again);
    }

    @Test
    void readOnlyUpdate_refusesEveryChange() {
        sys.mount("rumpfs", "/mnt", 0, null);
        touch("/mnt/f");
        sys.mkdir("/mnt/d", 0755);
        sys.mount("rumpfs", "/mnt", Sys.MNT_UPDATE | Sys.MNT_RDONLY, null);
        assertThat(errnoOf(() -> touch("/mnt/g"))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.open("/mnt/f", Sys.O_WRONLY, 0))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.unlink("/mnt/f"))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.rmdir("/mnt/d"))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.mkdir("/mnt/e", 0755))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.chmod("/mnt/f", 0600))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.truncate("/mnt/f", 0))).isEqualTo(Errno.EROFS);
        assertThat(errnoOf(() -> sys.access("/mnt/f", Sys.W_OK))).isEqualTo(Errno.EROFS);
        int fd = sys.open("/mnt/f", Sys.O_RDONLY, 0);
        assertThat(sys.read(fd, ByteBuffer.allocate(4))).isZero();
        sys.mount("rumpfs", "/mnt", Sys.MNT_UPDATE, null); // back to read-write
        touch("/mnt/g");
    }

    @Test
    void errors() {
        touch("/file");
        assertThat(errnoOf(() -> sys.mount("nosuchfs", "/mnt", 0, null))).isEqualTo(Errno.ENODEV);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/file", 0, null))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/missing", 0, null))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/mnt", 0, "size=1m"))).isEqualTo(Errno.EINVAL);
        sys.mount("rumpfs", "/mnt", 0, null);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/mnt", 0, null))).isEqualTo(Errno.EBUSY);
        assertThat(errnoOf(() -> sys.unmount("/file", 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.unmount("/", 0))).isEqualTo(Errno.EBUSY);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/file", Sys.MNT_UPDATE, null))).isEqualTo(Errno.ENOTDIR);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(5);
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.mount("rumpfs", "/mnt", 0, null))).isEqualTo(Errno.EPERM);
    }

    @Test
    void statvfs_describesEachMount() {
        sys.mount("rumpfs", "/mnt", 0, null);
        var root = sys.statvfs1("/", 0);
        var mnt = sys.statvfs1("/mnt/.", jrump.rumpkern.Statvfs.ST_WAIT);
        assertThat(root.mntonname()).isEqualTo("/");
        assertThat(mnt.mntonname()).isEqualTo("/mnt");
        assertThat(mnt.fstypename()).isEqualTo("rumpfs");
        assertThat(mnt.fsid()).isNotEqualTo(root.fsid());
        assertThat(mnt.namemax()).isEqualTo(Sys.NAME_MAX);
        int fd = sys.open("/mnt", Sys.O_RDONLY, 0);
        assertThat(sys.fstatvfs1(fd, 0).fsid()).isEqualTo(mnt.fsid());
        assertThat(sys.getvfsstat(new jrump.rumpkern.Statvfs[0], 0)).isEqualTo(2);
        var all = new jrump.rumpkern.Statvfs[4];
        assertThat(sys.getvfsstat(all, 0)).isEqualTo(2);
        assertThat(all[1].mntonname()).isEqualTo("/mnt");
        assertThat(errnoOf(() -> sys.statvfs1("/", 77))).isEqualTo(Errno.EINVAL);
        sys.mount("rumpfs", "/mnt", Sys.MNT_UPDATE | Sys.MNT_RDONLY, null);
        assertThat(sys.statvfs1("/mnt", 0).flag() & Sys.MNT_RDONLY).isNotZero();
    }

    @Test
    void statvfs_countsSpaceAgainstTheMemoryLimit() {
        try (RumpKernel small = RumpKernel.boot(RumpConfig.builder().memLimit(8 << 20).build())) {
            Syscalls s = small.syscalls();
            var before = s.statvfs1("/", 0);
            assertThat(before.totalBytes()).isEqualTo(8 << 20);
            int fd = s.open("/big", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            s.write(fd, ByteBuffer.allocate(1 << 20));
            var after = s.statvfs1("/", 0);
            assertThat(after.availableBytes()).isLessThanOrEqualTo(before.availableBytes() - (1 << 20));
        }
    }

    @Test
    void chrootAtACoveredDirectory_staysInside() {
        sys.mount("rumpfs", "/mnt", 0, null);
        touch("/mnt/inside");
        touch("/outside");
        sys.chroot("/mnt");
        sys.stat("/inside");
        assertThat(errnoOf(() -> sys.stat("/../outside"))).isEqualTo(Errno.ENOENT);
    }
}
