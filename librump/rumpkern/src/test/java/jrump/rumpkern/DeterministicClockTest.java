package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.kernel.Kernel;
import jrump.rumpuser.sim.SimHypercalls;

/** The deterministic hypervisor's virtual clock seen through a kernel. */
class DeterministicClockTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void calloutsMinutesAhead_fireInOrder_inWellUnderASecond() throws Exception {
        SimHypercalls sim = new SimHypercalls(42);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)).build())) {
            Kernel k = rk.kernel();
            List<Integer> fired = new CopyOnWriteArrayList<>();
            List<Long> firedAt = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(4);
            long realStart = System.nanoTime();
            // kernel code arms callouts holding a CPU; while it is held the virtual clock stands still
            k.schedule();
            try {
                for (int minutes : new int[] {10, 5, 7, 5}) {
                    k.callouts().create("m" + minutes, () -> {
                        fired.add(minutes);
                        firedAt.add(k.uptimeNanos());
                        all.countDown();
                    }).scheduleNanos(minutes * MINUTE);
                }
            } finally {
                k.unschedule();
            }
            assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
            long realElapsed = System.nanoTime() - realStart;
            assertThat(fired).containsExactly(5, 5, 7, 10);
            assertThat(firedAt).isSorted();
            assertThat(firedAt.getLast()).isGreaterThanOrEqualTo(10 * MINUTE);
            assertThat(realElapsed).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void nanosleepAnHour_returnsAtOnce_withTheClockAnHourOn() {
        SimHypercalls sim = new SimHypercalls(7);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)).build())) {
            Syscalls sys = rk.syscalls();
            Timespec before = sys.clockGettime(Sys.CLOCK_MONOTONIC);
            long realStart = System.nanoTime();
            sys.nanosleep(new Timespec(3600, 0));
            long real = System.nanoTime() - realStart;
            Timespec after = sys.clockGettime(Sys.CLOCK_MONOTONIC);
            assertThat(after.toNanos() - before.toNanos()).isBetween(3600_000_000_000L, 3601_000_000_000L);
            assertThat(real).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void stoppedCallout_neverFires_andPendingReportsIt() throws Exception {
        SimHypercalls sim = new SimHypercalls(1);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)).build())) {
            Kernel k = rk.kernel();
            List<String> fired = new CopyOnWriteArrayList<>();
            var a = k.callouts().create("a", () -> fired.add("a"));
            var b = k.callouts().create("b", () -> fired.add("b"));
            k.schedule();
            try {
                a.scheduleNanos(MINUTE);
                b.scheduleNanos(2 * MINUTE);
                assertThat(a.pending()).isTrue();
                assertThat(a.stop()).isTrue();
                assertThat(a.stop()).isFalse();
            } finally {
                k.unschedule();
            }
            rk.syscalls().nanosleep(new Timespec(180, 0));
            assertThat(fired).containsExactly("b");
            assertThat(b.pending()).isFalse();
        }
    }

    @Test
    void sameSeed_sameRandomBytes() {
        byte[] x = new byte[32];
        byte[] y = new byte[32];
        new SimHypercalls(99).getRandom(x);
        new SimHypercalls(99).getRandom(y);
        assertThat(x).isEqualTo(y);
    }
}
