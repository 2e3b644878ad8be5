package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timeval;

/**
 * NetBSD's tests/fs/vfs/t_unpriv.c (owner, dirperms, times) and what its newer revisions and POSIX add:
 * sticky directories, set-id bits, supplementary groups and the umask, each on every file system.
 * Unprivileged steps run in their own rump process with another uid (see {@link Users}).
 */
class UnprivTest {
    private static final int USER = 1;
    private static final int OTHER = 2;

    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.all().stream().filter(f -> f.caps().ownership()).toList();
    }

    /** owner: only the owner (or root) may chown or chmod; once given the directory, the user may. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void owner(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            Users.as(rk, USER, () -> {
                assertThat(errnoOf(() -> sys.chown(".", USER, -1))).isEqualTo(Errno.EPERM);
                assertThat(errnoOf(() -> sys.chmod(".", 0000))).isEqualTo(Errno.EPERM);
            });
            sys.chown(".", USER, -1);
            Users.as(rk, USER, () -> {
                sys.chown(".", USER, -1);
                assertThat(errnoOf(() -> sys.chown(".", OTHER, -1))).as("giving it away").isEqualTo(Errno.EPERM);
                assertThat(errnoOf(() -> sys.chown(".", -1, 99))).as("a group it is not in").isEqualTo(Errno.EPERM);
                sys.chmod(".", 0000);
                // now even "." cannot be looked up (no search permission), not even by the owner
                assertThat(errnoOf(() -> sys.chmod(".", 0755))).isEqualTo(Errno.EACCES);
            });
            Stat st = sys.stat(".");
            assertThat(st.uid()).isEqualTo(USER);
            assertThat(st.permissions()).isZero();
        }
    }

    /** dirperms: another user may neither create nor unlink in a directory it cannot write. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void dirperms(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            sys.mkdir("dir.test", 0777); // 0755 after the umask
            String name = "dir.test/file.test";
            Users.as(rk, USER, () -> {
                assertThat(errnoOf(() -> sys.open(name, Sys.O_RDWR | Sys.O_CREAT, 0666))).isEqualTo(Errno.EACCES);
                assertThat(errnoOf(() -> sys.mkdir("dir.test/sub", 0777))).isEqualTo(Errno.EACCES);
            });
            sys.close(sys.open(name, Sys.O_RDWR | Sys.O_CREAT, 0666));
            Users.as(rk, USER, () -> {
                assertThat(errnoOf(() -> sys.unlink(name))).isEqualTo(Errno.EACCES);
                assertThat(errnoOf(() -> sys.rename(name, "dir.test/moved"))).isEqualTo(Errno.EACCES);
            });
            sys.chmod("dir.test", 0700);
            Users.as(rk, USER, () -> assertThat(errnoOf(() -> sys.stat(name))).as("no search permission")
                    .isEqualTo(Errno.EACCES));
            sys.unlink(name);
            sys.rmdir("dir.test");
        }
    }

    /** times: utimes(NULL) needs write permission or ownership, explicit times ownership; root may set any time. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void times(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.chdir("/mnt");
            String name = "file.test";
            sys.close(sys.open(name, Sys.O_RDWR | Sys.O_CREAT, 0666)); // 0644 after the umask
            Users.as(rk, USER, () -> assertThat(errnoOf(() -> sys.utimes(name, null))).isEqualTo(Errno.EACCES));
            sys.utimes(name, null);
            List<Timeval> extremes = List.of(new Timeval(Long.MIN_VALUE, 0), new Timeval(0, 0),
                    new Timeval(Long.MAX_VALUE, 999_999));
            for (Timeval a : extremes) {
                for (Timeval m : extremes) {
                    Timeval[] tv = {a, m};
                    Users.as(rk, USER, () -> assertThat(errnoOf(() -> sys.utimes(name, tv))).isEqualTo(Errno.EPERM));
                    sys.utimes(name, tv);
                }
            }
            // with write permission "now" is allowed, explicit times still are not
            sys.chmod(name, 0666);
            Timeval[] explicit = {new Timeval(1000, 0), new Timeval(2000, 0)};
            sys.utimes(name, explicit);
            Users.as(rk, USER, () -> {
                assertThat(errnoOf(() -> sys.utimes(name, explicit))).isEqualTo(Errno.EPERM);
                sys.utimes(name, null);
            });
            assertThat(sys.stat(name).mtime().sec()).isGreaterThan(2000);
            // the owner may set both, even without write permission
            sys.chown(name, USER, -1);
            sys.chmod(name, 0444);
            Users.as(rk, USER, () -> {
                sys.utimes(name, explicit);
                assertThat(sys.stat(name).mtime().sec()).isEqualTo(2000);
                sys.utimes(name, null);
            });
            assertThat(sys.stat(name).mtime().sec()).isGreaterThan(2000);
            sys.unlink(name);
        }
    }

    /** Sticky directory: only the file's owner, the directory's owner or root may remove or replace a file. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void stickyDirectory(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            sys.mkdir("/mnt/tmp", 0777);
            sys.chmod("/mnt/tmp", 01777);
            Users.as(rk, USER, () -> Content.write(sys, "/mnt/tmp/users", "u"));
            Users.as(rk, OTHER, () -> {
                Content.write(sys, "/mnt/tmp/others", "o");
                assertThat(errnoOf(() -> sys.unlink("/mnt/tmp/users"))).isEqualTo(Errno.EPERM);
                assertThat(errnoOf(() -> sys.rename("/mnt/tmp/users", "/mnt/tmp/taken"))).isEqualTo(Errno.EPERM);
                assertThat(errnoOf(() -> sys.rename("/mnt/tmp/others", "/mnt/tmp/users"))).as("replacing it")
                        .isEqualTo(Errno.EPERM);
            });
            assertThat(Content.readString(sys, "/mnt/tmp/users")).isEqualTo("u");
            Users.as(rk, USER, () -> sys.rename("/mnt/tmp/users", "/mnt/tmp/renamed")); // its own file
            sys.chown("/mnt/tmp", 3, -1);
            Users.as(rk, 3, () -> sys.unlink("/mnt/tmp/others")); // the directory's owner
            sys.unlink("/mnt/tmp/renamed"); // root
            assertThat(Content.names(sys, "/mnt/tmp")).isEmpty();
        }
    }

    /** Writing by anyone but root clears the set-user-id and set-group-id bits; root's write keeps them. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void setIdClearedOnWrite(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            Content.write(sys, "/mnt/prog", "#!");
            sys.chown("/mnt/prog", USER, USER);
            sys.chmod("/mnt/prog", 06777);
            Content.write(sys, "/mnt/prog", "root's");
            assertThat(sys.stat("/mnt/prog").permissions()).isEqualTo(06777);
            Users.as(rk, OTHER, () -> Content.write(sys, "/mnt/prog", "other's"));
            assertThat(sys.stat("/mnt/prog").permissions()).isEqualTo(0777);
            assertThat(Content.readString(sys, "/mnt/prog")).isEqualTo("other's");
        }
    }

    /** chown by the non-root owner (to one of its groups) clears both set-id bits; root's chown keeps them. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void setIdClearedOnChown(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            Content.write(sys, "/mnt/prog", "#!");
            sys.chown("/mnt/prog", USER, USER);
            sys.chmod("/mnt/prog", 06755);
            sys.chown("/mnt/prog", USER, 5);
            assertThat(sys.stat("/mnt/prog").permissions()).isEqualTo(06755);
            sys.chown("/mnt/prog", USER, USER);
            Users.as(rk, USER, USER, new int[] {5}, () -> sys.chown("/mnt/prog", -1, 5));
            Stat st = sys.stat("/mnt/prog");
            assertThat(st.gid()).isEqualTo(5);
            assertThat(st.permissions()).isEqualTo(0755);
            Users.as(rk, USER, USER, new int[0], () -> {
                // the owner may not set set-group-id for a group it is not in, nor sticky on a file
                assertThat(errnoOf(() -> sys.chmod("/mnt/prog", 02755))).isEqualTo(Errno.EPERM);
                assertThat(errnoOf(() -> sys.chmod("/mnt/prog", 01755))).isEqualTo(Errno.EFTYPE);
                sys.chmod("/mnt/prog", 04755);
            });
            assertThat(sys.stat("/mnt/prog").permissions()).isEqualTo(04755);
        }
    }

    /** A supplementary group gives group access; the owner class comes first even when the group has more. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void supplementaryGroups(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            int staff = 7;
            Content.write(sys, "/mnt/shared", "for staff");
            sys.chown("/mnt/shared", 0, staff);
            sys.chmod("/mnt/shared", 0640);
            sys.mkdir("/mnt/staffdir", 0);
            sys.chown("/mnt/staffdir", 0, staff);
            sys.chmod("/mnt/staffdir", 0770);
            Users.as(rk, USER, USER, new int[] {3, staff}, () -> {
                assertThat(Content.readString(sys, "/mnt/shared")).isEqualTo("for staff");
                assertThat(errnoOf(() -> sys.open("/mnt/shared", Sys.O_WRONLY, 0))).isEqualTo(Errno.EACCES);
                Content.write(sys, "/mnt/staffdir/mine", "m");
            });
            Users.as(rk, USER, USER, new int[] {3}, () -> {
                assertThat(errnoOf(() -> sys.open("/mnt/shared", Sys.O_RDONLY, 0))).isEqualTo(Errno.EACCES);
                assertThat(errnoOf(() -> sys.stat("/mnt/staffdir/mine"))).isEqualTo(Errno.EACCES);
            });
            Stat mine = sys.stat("/mnt/staffdir/mine");
            assertThat(mine.uid()).isEqualTo(USER);
            assertThat(mine.gid()).as("a new file takes its directory's group").isEqualTo(staff);
            sys.chown("/mnt/shared", USER, staff);
            sys.chmod("/mnt/shared", 0070);
            Users.as(rk, USER, USER, new int[] {staff}, () ->
                    assertThat(errnoOf(() -> sys.open("/mnt/shared", Sys.O_RDONLY, 0))).isEqualTo(Errno.EACCES));
        }
    }

    /** The umask clears mode bits of what open, mkdir and mkfifo create; chmod is not masked. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void umaskOnCreate(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            assertThat(sys.umask(027)).isEqualTo(022);
            sys.close(sys.open("/mnt/file", Sys.O_CREAT | Sys.O_WRONLY, 0777));
            sys.mkdir("/mnt/dir", 0777);
            assertThat(sys.stat("/mnt/file").permissions()).isEqualTo(0750);
            assertThat(sys.stat("/mnt/dir").permissions()).isEqualTo(0750);
            if (fs.caps().fifos()) {
                sys.mkfifo("/mnt/fifo", 0666);
                assertThat(sys.stat("/mnt/fifo").permissions()).isEqualTo(0640);
            }
            sys.chmod("/mnt/file", 0777);
            assertThat(sys.stat("/mnt/file").permissions()).isEqualTo(0777);
            assertThat(sys.umask(0)).isEqualTo(027);
            sys.close(sys.open("/mnt/open", Sys.O_CREAT | Sys.O_WRONLY, 0666));
            assertThat(sys.stat("/mnt/open").permissions()).isEqualTo(0666);
        }
    }
}
