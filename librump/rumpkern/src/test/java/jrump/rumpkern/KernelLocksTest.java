package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;

/** Diagnostic checks of the kernel locks. */
class KernelLocksTest {

    @Test
    void mutexExitByNonOwner_panics_inDiagnosticMode() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Kernel k = rk.kernel();
            Kmutex m = k.mutex();
            assertThatThrownBy(m::exit).isInstanceOf(KernelPanic.class).hasMessageContaining("not owner");
            assertThat(rk.state()).isEqualTo("PANICKED");
        }
    }

    @Test
    void recursiveMutexEnter_panics_inDiagnosticMode() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Kmutex m = rk.kernel().mutex();
            m.enter();
            assertThatThrownBy(m::enter).isInstanceOf(KernelPanic.class).hasMessageContaining("against myself");
            m.exit();
        }
    }

    @Test
    void condvarWaitWithoutMutex_panics() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Kernel k = rk.kernel();
            assertThatThrownBy(() -> k.condvar().awaitNanos(k.mutex(), 1)).isInstanceOf(KernelPanic.class);
        }
    }

    @Test
    void timedWait_timesOut_withEwouldblock() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Kernel k = rk.kernel();
            Kmutex m = k.mutex();
            m.enter();
            int r = k.condvar().awaitNanos(m, 1_000_000);
            assertThat(m.owned()).isTrue();
            m.exit();
            assertThat(r).isEqualTo(Errno.EWOULDBLOCK.number());
        }
    }

    /** A softint queued by a thread that then blocks inside the kernel runs: blocking releases the CPU. */
    @Test
    void softint_runsWhileItsSchedulerBlocks() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build())) {
            Kernel k = rk.kernel();
            Kmutex m = k.mutex();
            var cv = k.condvar();
            boolean[] done = {false};
            var si = k.softintEstablish(jrump.rumpkern.kernel.Softint.BIO, () -> {
                m.enter();
                done[0] = true;
                cv.broadcast();
                m.exit();
            });
            // warm the softint thread up so that it is asleep on its queue when we queue the next one
            k.schedule();
            si.schedule();
            k.unschedule();
            k.schedule();
            try {
                m.enter();
                while (!done[0]) cv.awaitNanos(m, 1_000_000_000L);
                done[0] = false;
                m.exit();
                si.schedule();
                m.enter();
                long waits = 0;
                while (!done[0] && waits++ < 10) cv.awaitNanos(m, 1_000_000_000L);
                assertThat(done[0]).as("softint ran while we waited").isTrue();
                m.exit();
            } finally {
                k.unschedule();
            }
        }
    }

    @Test
    void calloutHandlerThatThrows_panicsTheKernel_andHaltStillWorks() throws Exception {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build());
        Kernel k = rk.kernel();
        k.callouts().create("bad", () -> {
            throw new IllegalStateException("boom");
        }).scheduleNanos(0);
        long until = System.nanoTime() + 5_000_000_000L;
        while (!rk.state().equals("PANICKED") && System.nanoTime() < until) Thread.sleep(1);
        assertThat(rk.state()).isEqualTo("PANICKED");
        assertThatThrownBy(() -> rk.syscalls().getpid()).isInstanceOf(KernelPanic.class).hasMessageContaining("boom");
        assertThat(rk.halt()).isTrue();
        assertThat(rk.state()).isEqualTo("PANICKED");
    }

    @Test
    void panicInOneKernel_leavesOthersRunning() {
        try (RumpKernel a = RumpKernel.boot(); RumpKernel b = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            assertThatThrownBy(() -> b.kernel().mutex().exit()).isInstanceOf(KernelPanic.class);
            assertThat(a.syscalls().getpid()).isEqualTo(1);
        }
    }

    @Test
    void softint_runsAfterTheCpuIsReleased() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build())) {
            Kernel k = rk.kernel();
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            int[] pidSeen = {-1};
            var si = k.softintEstablish(jrump.rumpkern.kernel.Softint.NET, () -> {
                pidSeen[0] = k.curlwp().pid();
                ran.countDown();
            });
            k.schedule();
            try {
                si.schedule();
                assertThat(ran.getCount()).as("not while the CPU is held").isEqualTo(1);
            } finally {
                k.unschedule();
            }
            assertThat(ran.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(pidSeen[0]).isZero();
        }
    }
}
