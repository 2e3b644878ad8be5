package jrump.rumpkern;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NetBSD's tests/rump/rumpkern/t_lwproc.c, case by case, for jrump. */
class LwprocTest {
    private RumpKernel rk;
    private Syscalls sys;
    private RumpkernPub pub;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        pub = rk.pub();
    }

    @AfterEach
    void halt() {
        if (rk.running()) rk.halt();
    }

    /** makelwp: lwps can be attached to processes. */
    @Test
    void makelwp() {
        pub.lwprocNewlwp(1);
        assertThat(errnoOf(() -> pub.lwprocNewlwp(37))).isEqualTo(Errno.ESRCH);
        Lwp l = pub.lwprocCurlwp();

        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(pub.lwprocCurlwp()).isNotSameAs(l);
        l = pub.lwprocCurlwp();

        pub.lwprocNewlwp(sys.getpid());
        assertThat(pub.lwprocCurlwp()).isNotSameAs(l);
        assertThat(pub.lwprocCurlwp().pid()).isEqualTo(l.pid());

        int pid = sys.getpid();
        assertThat(pid).isNotIn(-1, 0, 1);
    }

    /** proccreds: processes have different credentials. */
    @Test
    void proccreds() {
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        Lwp l1 = pub.lwprocCurlwp();
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        Lwp l2 = pub.lwprocCurlwp();

        sys.setuid(22);
        assertThat(sys.getuid()).isEqualTo(22);

        pub.lwprocSwitch(l1);
        assertThat(sys.getuid()).isZero();
        sys.setuid(11);
        assertThat(sys.getuid()).isEqualTo(11);

        pub.lwprocSwitch(l2);
        assertThat(sys.getuid()).isEqualTo(22);
        pub.lwprocNewlwp(sys.getpid());
        assertThat(sys.getuid()).isEqualTo(22);
    }

    /** inherit: new processes inherit credentials from their parents. */
    @Test
    void inherit() {
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        sys.setuid(66);
        assertThat(sys.getuid()).isEqualTo(66);

        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(sys.getuid()).isEqualTo(66);

        pub.lwprocReleaselwp();
        assertThat(sys.getuid()).isZero();
    }

    /** lwps: a proc holds many lwps and is collected when the last one exits. */
    @Test
    void lwps() {
        final int loops = 128;
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        int mypid = sys.getpid();
        sys.setuid(375);

        Lwp orig = pub.lwprocCurlwp();
        List<Lwp> lwps = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            assertThat(sys.getpid()).isEqualTo(mypid);
            pub.lwprocNewlwp(mypid);
            lwps.add(pub.lwprocCurlwp());
            assertThat(sys.getuid()).isEqualTo(375);
        }
        assertThat(lwps).doesNotHaveDuplicates();

        pub.lwprocSwitch(orig);
        pub.lwprocReleaselwp();
        for (Lwp l : lwps) {
            pub.lwprocSwitch(l);
            assertThat(sys.getpid()).isEqualTo(mypid);
            assertThat(sys.getuid()).isEqualTo(375);
            pub.lwprocReleaselwp();
            assertThat(sys.getpid()).isEqualTo(1); // the implicit context is init
            assertThat(sys.getuid()).isZero();
        }
        assertThat(errnoOf(() -> pub.lwprocNewlwp(mypid))).isEqualTo(Errno.ESRCH);
        assertThat(rk.kernel().procs().find(mypid)).isNull();
    }

    /** nolwprelease: releasing the implicit context is fatal (the original aborts the process). */
    @Test
    void nolwprelease() {
        assertThatThrownBy(() -> pub.lwprocReleaselwp()).isInstanceOf(KernelPanic.class)
                .hasMessageContaining("implicit");
        assertThat(rk.state()).isEqualTo("PANICKED");
        assertThatThrownBy(() -> sys.getpid()).isInstanceOf(KernelPanic.class);
    }

    /** nolwp: curlwp of the implicit context is null. */
    @Test
    void nolwp() {
        assertThat(pub.lwprocCurlwp()).isNull();
    }

    /** nullswitch: switching to null marks the lwp as not running, so switching back works. */
    @Test
    void nullswitch() {
        pub.lwprocNewlwp(1);
        Lwp l = pub.lwprocCurlwp();
        pub.lwprocSwitch(null);
        assertThat(pub.lwprocCurlwp()).isNull();
        pub.lwprocSwitch(l);
        assertThat(pub.lwprocCurlwp()).isSameAs(l);
    }

    /** An lwp current on one thread cannot be made current on another. */
    @Test
    void switchToLwpOfAnotherThread_panics() throws Exception {
        pub.lwprocNewlwp(1);
        Lwp l = pub.lwprocCurlwp();
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                pub.lwprocSwitch(l);
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        t.join();
        assertThat(seen[0]).isInstanceOf(KernelPanic.class).hasMessageContaining("already current");
    }

    /** rfork: fd tables are shared (0), copied (RFFDG) or started empty (RFCFDG); both flags is EINVAL. */
    @Test
    void rfork() {
        assertThat(errnoOf(() -> pub.lwprocRfork(Sys.RUMP_RFFDG | Sys.RUMP_RFCFDG))).isEqualTo(Errno.EINVAL);

        pub.lwprocRfork(0);
        Lwp l = pub.lwprocCurlwp();
        int[] p = sys.pipe();
        int fd = p[1];

        // RFCFDG does not preserve descriptors
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(errnoOf(() -> sys.write(fd, ByteBuffer.wrap(new byte[4])))).isEqualTo(Errno.EBADF);

        // rfork(0) shares them
        pub.lwprocSwitch(l);
        pub.lwprocRfork(0);
        assertThat(sys.write(fd, ByteBuffer.wrap(new byte[4]))).isEqualTo(4);
        Lwp l2 = pub.lwprocCurlwp();

        // closing in the parent closes in the sharing child
        pub.lwprocSwitch(l);
        sys.close(fd);
        pub.lwprocSwitch(l2);
        assertThat(errnoOf(() -> sys.write(fd, ByteBuffer.wrap(new byte[4])))).isEqualTo(Errno.EBADF);

        // redo, copying the table instead of sharing it
        pub.lwprocReleaselwp();
        pub.lwprocSwitch(l);
        int[] q = sys.pipe();
        int fd2 = q[1];
        pub.lwprocRfork(Sys.RUMP_RFFDG);
        Lwp l3 = pub.lwprocCurlwp();
        pub.lwprocSwitch(l);
        sys.close(fd2);
        pub.lwprocSwitch(l3);
        assertThat(sys.write(fd2, ByteBuffer.wrap(new byte[4]))).isEqualTo(4);
        // the copy keeps the pipe open: the read end still holds the 4 bytes
        ByteBuffer in = ByteBuffer.allocate(16);
        assertThat(sys.read(q[0], in)).isEqualTo(4);
    }

    @Test
    void rfork_childHasParentAsPpid() {
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        int parent = sys.getpid();
        assertThat(sys.getppid()).isEqualTo(1);
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        assertThat(sys.getppid()).isEqualTo(parent);
    }

    @Test
    void rfork_unknownFlag_isEinval() {
        assertThat(errnoOf(() -> pub.lwprocRfork(0x2))).isEqualTo(Errno.EINVAL);
        assertThat(pub.lwprocCurlwp()).isNull();
    }

    @Test
    void setcred_changesCurrentProcOnly() {
        pub.lwprocRfork(Sys.RUMP_RFCFDG);
        Cred c = pub.credCreate(1000, 100, new int[] {5, 6});
        pub.lwprocSetcred(c);
        assertThat(sys.getuid()).isEqualTo(1000);
        assertThat(sys.getegid()).isEqualTo(100);
        int[] groups = new int[Sys.NGROUPS_MAX];
        assertThat(sys.getgroups(groups)).isEqualTo(2);
        assertThat(groups).startsWith(5, 6);
        pub.lwprocSwitch(null);
        assertThat(sys.getuid()).isZero();
    }
}
