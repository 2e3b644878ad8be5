package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Lwp;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * NetBSD's tests/fs/vfs/t_vfsops.c for jrump: mounting and unmounting, statvfs, sync and getvfsstat on
 * every file system. tfilehandle, tfhremove and tfhinval wait for getfh/fhopen.
 */
class VfsopsTest {
    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    static List<FileSystems.Fs> mounted() {
        return FileSystems.mounted();
    }

    /** tmount: unmount uncovers the directory below; mounting again gives a fresh, empty file system. */
    @ParameterizedTest
    @MethodSource("mounted")
    void mountAndUnmount(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            long coveredIno = inoOfCoveredMnt(sys);
            Content.write(sys, "/mnt/file", "on the mount");
            long mountedDev = sys.stat("/mnt").dev();
            assertThat(mountedDev).isNotEqualTo(sys.stat("/").dev());
            sys.unmount("/mnt", 0);
            assertThat(sys.stat("/mnt").dev()).isEqualTo(sys.stat("/").dev());
            assertThat(sys.stat("/mnt").ino()).isEqualTo(coveredIno);
            assertThat(errnoOf(() -> sys.stat("/mnt/file"))).isEqualTo(Errno.ENOENT);
            assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EINVAL); // not a mount point
            sys.mount(fs.type(), "/mnt", 0, fs.mountData(null));
            // a memory file system starts empty again; a disk keeps what was written
            assertThat(Content.names(sys, "/mnt")).isEqualTo(fs.device() == null ? java.util.List.of() : java.util.List.of("file"));
            assertThat(errnoOf(() -> sys.mount(fs.type(), "/mnt", 0, fs.mountData(null)))).isEqualTo(Errno.EBUSY);
            sys.unmount("/mnt", 0);
        }
    }

    /** The inode of the root file system's /mnt directory, which the mount covers: found via "/" listing. */
    private static long inoOfCoveredMnt(Syscalls sys) {
        int fd = sys.open("/", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(8192);
            int n = sys.getdents(fd, b);
            return jrump.rumpkern.Dirent.parse(b.flip(), n).stream()
                    .filter(d -> d.name().equals("mnt")).findFirst().orElseThrow().fileno();
        } finally {
            sys.close(fd);
        }
    }

    /** tmount: a file open on the mount or a current directory in it keeps it busy; MNT_FORCE does not wait. */
    @ParameterizedTest
    @MethodSource("mounted")
    void busyUnmount(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            Content.write(sys, "/mnt/file", "x");
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
            sys.close(fd);

            Lwp self = rk.pub().lwprocCurlwp();
            rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
            sys.chdir("/mnt/.");
            Lwp inside = rk.pub().lwprocCurlwp();
            rk.pub().lwprocSwitch(self);
            assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).as("another process's cwd").isEqualTo(Errno.EBUSY);
            rk.pub().lwprocSwitch(inside);
            rk.pub().lwprocReleaselwp(); // that process exits
            rk.pub().lwprocSwitch(self);
            assertThat(sys.stat("/mnt/file").size()).isEqualTo(1); // still mounted after the refusals

            int held = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
            sys.chdir("/mnt");
            Lwp stranded = rk.pub().lwprocCurlwp();
            rk.pub().lwprocSwitch(self);
            sys.unmount("/mnt", Sys.MNT_FORCE);
            assertThat(errnoOf(() -> sys.stat("/mnt/file"))).isEqualTo(Errno.ENOENT);
            // what was open or current there is dead now (deadfs), not a way back into the old file system
            assertThat(errnoOf(() -> sys.read(held, java.nio.ByteBuffer.allocate(4)))).isEqualTo(Errno.EBADF);
            rk.pub().lwprocSwitch(stranded);
            assertThat(errnoOf(() -> sys.open("new", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EBADF);
            assertThat(errnoOf(() -> sys.stat("file"))).isEqualTo(Errno.EBADF);
            rk.pub().lwprocReleaselwp();
            rk.pub().lwprocSwitch(self);
            sys.close(held);
            assertThat(rk.state()).isEqualTo("RUNNING");
        }
    }

    /** tstatvfs: f_namemax in (0, MAXNAMLEN], the file system's type name and its mount point. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void statvfs(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            Statvfs sv = sys.statvfs1("/mnt", Statvfs.ST_WAIT);
            assertThat(sv.namemax()).isPositive().isLessThanOrEqualTo(Sys.NAME_MAX);
            assertThat(sv.fstypename()).isEqualTo(fs.fstypename());
            assertThat(sv.mntonname()).isEqualTo(fs.mountedOn());
            assertThat(sv.fsid()).isEqualTo(sys.stat("/mnt").dev());
            assertThat(sv.flag() & Sys.MNT_RDONLY).isZero();
            int fd = sys.open("/mnt", Sys.O_RDONLY, 0);
            assertThat(sys.fstatvfs1(fd, Statvfs.ST_NOWAIT)).isEqualTo(sv);
            sys.close(fd);
            assertThat(errnoOf(() -> sys.statvfs1("/mnt/none", 0))).isEqualTo(Errno.ENOENT);
        }
    }

    /** tstatvfs, block counts: 64 KiB written are 64 KiB more in use, and free again after the unlink. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void statvfsCountsBlocks(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            long before = usedBytes(sys.statvfs1("/mnt", 0));
            Content.write(sys, "/mnt/file", new byte[1 << 16]);
            assertThat(usedBytes(sys.statvfs1("/mnt", 0))).isGreaterThanOrEqualTo(before + (1 << 16));
            sys.unlink("/mnt/file");
            assertThat(usedBytes(sys.statvfs1("/mnt", 0))).isEqualTo(before);
        }
    }

    private static long usedBytes(Statvfs sv) {
        return (sv.blocks() - sv.bfree()) * sv.frsize();
    }

    /** tstatvfs on a mount with limits: the size and node limits, and what is free, move with the content. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void statvfsOfALimitedMount(FileSystems.Fs fs) {
        assumeTrue(fs.caps().limits(), "no size or node limits");
        try (RumpKernel rk = fs.boot("size=1m,nodes=100")) {
            Syscalls sys = rk.syscalls();
            Statvfs empty = sys.statvfs1("/mnt", 0);
            assertThat(empty.totalBytes()).isEqualTo(1 << 20);
            assertThat(empty.availableBytes()).isEqualTo(1 << 20);
            assertThat(empty.files()).isEqualTo(100);
            Content.write(sys, "/mnt/file", new byte[1 << 16]);
            Statvfs used = sys.statvfs1("/mnt", 0);
            assertThat(used.availableBytes()).isEqualTo((1 << 20) - (1 << 16));
            assertThat(used.ffree()).isEqualTo(empty.ffree() - 1);
            sys.unlink("/mnt/file");
            assertThat(sys.statvfs1("/mnt", 0)).isEqualTo(empty);
        }
    }

    /** tsync: sync and fsync succeed (also on a read-only descriptor) and what was written stays. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void sync(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            byte[] data = Content.pattern(10_000, 3);
            Content.write(sys, "/mnt/file", data);
            sys.sync();
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            sys.fsync(fd);
            sys.close(fd);
            assertThat(errnoOf(() -> sys.fsync(fd))).isEqualTo(Errno.EBADF);
            assertThat(Content.read(sys, "/mnt/file")).isEqualTo(data);
        }
    }

    /** getvfsstat: every mount is listed, with the count alone for an empty buffer, and a mount more or less. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void getvfsstat(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int count = sys.getvfsstat(new Statvfs[0], Statvfs.ST_WAIT);
            assertThat(count).isEqualTo(fs.type() == null ? 1 : 2);
            assertThat(list(sys, count)).extracting(Statvfs::mntonname).contains(fs.mountedOn());
            sys.mkdir("/mnt/inner", 0755);
            sys.mount("tmpfs", "/mnt/inner", 0, null);
            assertThat(sys.getvfsstat(new Statvfs[0], 0)).isEqualTo(count + 1);
            List<Statvfs> all = list(sys, count + 1);
            assertThat(all).filteredOn(s -> s.mntonname().equals("/mnt/inner")).singleElement()
                    .extracting(Statvfs::fstypename).isEqualTo("tmpfs");
            assertThat(all).extracting(Statvfs::mntonname).contains(fs.mountedOn());
            assertThat(sys.getvfsstat(new Statvfs[1], 0)).isEqualTo(1); // as many as fit
            sys.unmount("/mnt/inner", 0);
            assertThat(sys.getvfsstat(new Statvfs[0], 0)).isEqualTo(count);
            assertThat(errnoOf(() -> sys.getvfsstat(new Statvfs[4], 99))).isEqualTo(Errno.EINVAL);
        }
    }

    private static List<Statvfs> list(Syscalls sys, int room) {
        Statvfs[] buf = new Statvfs[room + 2];
        int n = sys.getvfsstat(buf, Statvfs.ST_NOWAIT);
        assertThat(n).isEqualTo(room);
        return Arrays.asList(buf).subList(0, n);
    }
}
