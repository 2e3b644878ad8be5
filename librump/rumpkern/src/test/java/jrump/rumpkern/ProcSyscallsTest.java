package jrump.rumpkern;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identity, limits, time and reboot system calls: each errno they can return, provoked. */
class ProcSyscallsTest {
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    @Test
    void setuid_asRoot_setsAllThree_thenCannotGoBack() {
        sys.setuid(100);
        assertThat(sys.getuid()).isEqualTo(100);
        assertThat(sys.geteuid()).isEqualTo(100);
        assertThat(errnoOf(() -> sys.setuid(0))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.seteuid(0))).isEqualTo(Errno.EPERM);
        assertThat(sys.issetugid()).isEqualTo(1);
    }

    @Test
    void seteuid_canSwapBackToSavedId() {
        sys.setreuid(100, 200); // real 100, effective 200, saved 200
        assertThat(sys.getuid()).isEqualTo(100);
        assertThat(sys.geteuid()).isEqualTo(200);
        sys.seteuid(100);
        assertThat(sys.geteuid()).isEqualTo(100);
        sys.seteuid(200); // the saved id
        assertThat(sys.geteuid()).isEqualTo(200);
        assertThat(errnoOf(() -> sys.seteuid(300))).isEqualTo(Errno.EPERM);
        assertThat(sys.geteuid()).isEqualTo(200);
    }

    /** NetBSD keeps the saved id unless the real id changes, so root can regain its effective id. */
    @Test
    void setreuid_keepsSavedId_unlessTheRealIdChanges() {
        sys.setreuid(1000, -1); // real id changes: saved = effective = 0
        sys.setreuid(-1, 2000);
        assertThat(sys.getuid()).isEqualTo(1000);
        assertThat(sys.geteuid()).isEqualTo(2000);
        sys.seteuid(0); // the saved id is still 0
        assertThat(sys.geteuid()).isZero();
    }

    @Test
    void setrlimit_clampsDescriptorsToTheTableCeiling() {
        sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(Sys.RLIM_INFINITY, Sys.RLIM_INFINITY));
        Rlimit r = sys.getrlimit(Sys.RLIMIT_NOFILE);
        assertThat(r.cur()).isEqualTo(r.max()).isLessThan(Sys.RLIM_INFINITY);
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.dup2(p[0], 500_000_000))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.dup2(p[0], Integer.MAX_VALUE))).isEqualTo(Errno.EBADF);
        assertThat(sys.dup2(p[0], (int) r.cur() - 1)).isEqualTo((int) r.cur() - 1);
        assertThat(rk.state()).isEqualTo("RUNNING");
    }

    @Test
    void setreuid_minusOneKeepsId() {
        sys.setreuid(-1, 50);
        assertThat(sys.getuid()).isZero();
        assertThat(sys.geteuid()).isEqualTo(50);
        // unprivileged now (euid 50) but may set the effective id back to the real one
        sys.setreuid(-1, 0);
        assertThat(sys.geteuid()).isZero();
    }

    @Test
    void gidCalls_followTheSameRules() {
        sys.setgid(10);
        assertThat(sys.getgid()).isEqualTo(10);
        assertThat(sys.getegid()).isEqualTo(10);
        sys.setuid(10);
        assertThat(errnoOf(() -> sys.setgid(11))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.setegid(11))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.setregid(11, -1))).isEqualTo(Errno.EPERM);
        sys.setegid(10);
        assertThat(sys.getegid()).isEqualTo(10);
    }

    @Test
    void groups() {
        assertThat(sys.getgroups(new int[0])).isZero();
        sys.setgroups(new int[] {3, 4, 5});
        assertThat(sys.getgroups(new int[0])).isEqualTo(3);
        int[] out = new int[3];
        assertThat(sys.getgroups(out)).isEqualTo(3);
        assertThat(out).containsExactly(3, 4, 5);
        assertThat(errnoOf(() -> sys.getgroups(new int[2]))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.setgroups(new int[Sys.NGROUPS_MAX + 1]))).isEqualTo(Errno.EINVAL);
        sys.setuid(5);
        assertThat(errnoOf(() -> sys.setgroups(new int[] {1}))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.getgroups(null))).isEqualTo(Errno.EFAULT);
    }

    @Test
    void umask_returnsOld_andIsInherited() {
        assertThat(sys.umask(077)).isEqualTo(022);
        assertThat(sys.umask(077)).isEqualTo(077);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(sys.umask(0)).isEqualTo(077);
    }

    @Test
    void rlimits() {
        Rlimit nofile = sys.getrlimit(Sys.RLIMIT_NOFILE);
        assertThat(nofile.cur()).isPositive().isLessThanOrEqualTo(nofile.max());
        assertThat(errnoOf(() -> sys.getrlimit(Sys.RLIM_NLIMITS))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.getrlimit(-1))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(10, 5)))).isEqualTo(Errno.EINVAL);
        sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(8, 100));
        assertThat(sys.getrlimit(Sys.RLIMIT_NOFILE)).isEqualTo(new Rlimit(8, 100));
        sys.setuid(1);
        assertThat(errnoOf(() -> sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(8, 101)))).isEqualTo(Errno.EPERM);
        sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(4, 50)); // lowering is allowed
        assertThat(sys.getrlimit(Sys.RLIMIT_NOFILE)).isEqualTo(new Rlimit(4, 50));
        assertThat(errnoOf(() -> sys.setrlimit(Sys.RLIMIT_NOFILE, null))).isEqualTo(Errno.EFAULT);
    }

    @Test
    void clocks() {
        Timespec mono1 = sys.clockGettime(Sys.CLOCK_MONOTONIC);
        Timespec mono2 = sys.clockGettime(Sys.CLOCK_MONOTONIC);
        assertThat(mono2.toNanos()).isGreaterThanOrEqualTo(mono1.toNanos());
        long wall = sys.clockGettime(Sys.CLOCK_REALTIME).sec();
        assertThat(Math.abs(wall - System.currentTimeMillis() / 1000)).isLessThan(5);
        assertThat(sys.clockGetres(Sys.CLOCK_MONOTONIC).valid()).isTrue();
        assertThat(errnoOf(() -> sys.clockGettime(77))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.clockGetres(77))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.clockSettime(Sys.CLOCK_MONOTONIC, new Timespec(1, 0)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.nanosleep(new Timespec(0, 1_000_000_000L)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.nanosleep(new Timespec(0, -1)))).isEqualTo(Errno.EINVAL);
        sys.nanosleep(new Timespec(-5, 0)); // in the past: returns at once
    }

    @Test
    void settingTheClock_needsRoot_andValidTime() {
        sys.clockSettime(Sys.CLOCK_REALTIME, new Timespec(1_000_000_000L, 0));
        assertThat(sys.gettimeofday().sec()).isBetween(1_000_000_000L, 1_000_000_010L);
        assertThat(errnoOf(() -> sys.settimeofday(new Timeval(5, 1_000_000), null))).isEqualTo(Errno.EINVAL);
        sys.setuid(3);
        assertThat(errnoOf(() -> sys.settimeofday(new Timeval(5, 0), null))).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.clockSettime(Sys.CLOCK_REALTIME, new Timespec(5, 0)))).isEqualTo(Errno.EPERM);
    }

    @Test
    void login() {
        ByteBuffer buf = ByteBuffer.allocate(32);
        sys.getlogin(buf);
        assertThat(new String(buf.array(), 0, 4, StandardCharsets.UTF_8)).isEqualTo("root");
        sys.setlogin("pooka");
        buf.clear();
        sys.getlogin(buf);
        assertThat(new String(buf.array(), 0, 5, StandardCharsets.UTF_8)).isEqualTo("pooka");
        assertThat(errnoOf(() -> sys.getlogin(ByteBuffer.allocate(3)))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(errnoOf(() -> sys.setlogin("x".repeat(Sys.MAXLOGNAME + 1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.getlogin(ByteBuffer.allocate(8).asReadOnlyBuffer()))).isEqualTo(Errno.EFAULT);
        sys.setuid(9);
        assertThat(errnoOf(() -> sys.setlogin("other"))).isEqualTo(Errno.EPERM);
    }

    @Test
    void sessions() {
        int pid = sys.getpid();
        assertThat(sys.getsid(0)).isEqualTo(1);
        assertThat(sys.setsid()).isEqualTo(pid);
        assertThat(sys.getsid(0)).isEqualTo(pid);
        assertThat(sys.getpgrp()).isEqualTo(pid);
        assertThat(errnoOf(() -> sys.setsid())).isEqualTo(Errno.EPERM);
        assertThat(errnoOf(() -> sys.getpgid(29999))).isEqualTo(Errno.ESRCH);
        assertThat(errnoOf(() -> sys.setpgid(0, -1))).isEqualTo(Errno.EINVAL);
        // a session leader cannot change its group
        assertThat(errnoOf(() -> sys.setpgid(0, 0))).isEqualTo(Errno.EPERM);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        int child = sys.getpid();
        sys.setpgid(0, 0);
        assertThat(sys.getpgid(child)).isEqualTo(child);
        assertThat(errnoOf(() -> sys.setpgid(0, 12345))).isEqualTo(Errno.EPERM);
    }

    @Test
    void reboot_needsRoot_thenHaltsTheKernel() {
        sys.setuid(1);
        assertThat(errnoOf(() -> sys.reboot(Sys.RB_HALT, null))).isEqualTo(Errno.EPERM);
        rk.pub().lwprocSwitch(null); // init is root
        sys.reboot(Sys.RB_HALT, null);
        assertThat(rk.state()).isEqualTo("HALTED");
        assertThat(errnoOf(() -> sys.getpid())).isEqualTo(Errno.ENXIO);
    }

    @Test
    void unimplementedSyscall_isEnosys() {
        assertThat(errnoOf(() -> sys.open("/x", Sys.O_RDONLY, 0))).isEqualTo(Errno.ENOSYS);
        assertThat(rk.syscallTable()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("open");
            assertThat(s.implemented()).isFalse();
        });
        assertThat(rk.syscallTable()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("getpid");
            assertThat(s.component()).isEqualTo("rumpkern_sys");
        });
    }

    @Test
    void kernelWithoutTheSyscallComponent_answersEnosys() {
        try (RumpKernel bare = RumpKernel.boot(RumpConfig.builder().components().build())) {
            assertThat(bare.components()).isEmpty();
            assertThat(errnoOf(() -> bare.syscalls().getpid())).isEqualTo(Errno.ENOSYS);
            // the control interfaces are the kernel core's own and still work
            bare.pub().lwprocRfork(Sys.RUMP_RFCFDG);
            assertThat(bare.pub().lwprocCurlwp().pid()).isEqualTo(2);
            // etfs belongs to the VFS faction, which this kernel lacks
            assertThat(errnoOf(() -> bare.pub().etfsRegister("/k", "/etc/hostname", Sys.RUMP_ETFS_REG))).isEqualTo(Errno.ENOSYS);
        }
    }

    @Test
    void unknownComponentName_failsTheBoot() {
        assertThat(errnoOf(() -> RumpKernel.boot(RumpConfig.builder().components("no_such").build())))
                .isEqualTo(Errno.ENOENT);
    }
}
