package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.kernel.Kernel;

/** The virtual CPU scheduler: admission, blocking, fast path. */
class SchedulerTest {

    /** Never more than ncpu threads inside under 64 contending threads, and no deadlock. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void neverMoreThanNcpuInside(int ncpu) throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(ncpu).build())) {
            Kernel k = rk.kernel();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int threads = 64;
            int rounds = 300;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < rounds; i++) {
                            k.schedule();
                            try {
                                int now = inside.incrementAndGet();
                                maxInside.accumulateAndGet(now, Math::max);
                                if (i % 16 == 0) Thread.onSpinWait();
                                rk.syscalls().getpid();
                                inside.decrementAndGet();
                            } finally {
                                k.unschedule();
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("no deadlock").isTrue();
            assertThat(failure.get()).isNull();
            assertThat(maxInside.get()).isBetween(1, ncpu);
            var c = rk.schedulerCounters();
            assertThat(c.fastpath() + c.slowpath()).isGreaterThanOrEqualTo((long) threads * rounds);
            // migrations depend on how the host interleaves the threads (none on a busy machine): not asserted
            assertThat(c.migrations()).isLessThanOrEqualTo(c.fastpath() + c.slowpath());
        }
    }

    /** A thread blocked inside the kernel does not hold its CPU: with one CPU, another thread still gets in. */
    @Test
    void blockingReleasesTheCpu() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build())) {
            CountDownLatch sleeping = new CountDownLatch(1);
            Thread sleeper = Thread.ofPlatform().start(() -> {
                sleeping.countDown();
                rk.syscalls().nanosleep(new Timespec(2, 0));
            });
            sleeping.await();
            // wait until the sleeper is inside the kernel
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (rk.kernel().clientsInside() == 0 && System.nanoTime() < until) Thread.sleep(1);
            assertThat(rk.kernel().clientsInside()).isEqualTo(1);
            long t0 = System.nanoTime();
            int[] fds = rk.syscalls().pipe();
            long took = System.nanoTime() - t0;
            assertThat(fds).hasSize(2);
            assertThat(took).as("the pipe call did not wait for the sleeper").isLessThan(TimeUnit.SECONDS.toNanos(1));
            sleeper.join();
        }
    }

    /** A blocking pipe read gives up the CPU so that the writer, on the only CPU, can run. */
    @Test
    void blockedReaderLetsWriterIn() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build())) {
            Syscalls sys = rk.syscalls();
            int[] p = sys.pipe();
            AtomicReference<byte[]> got = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                var buf = java.nio.ByteBuffer.allocate(5);
                sys.read(p[0], buf);
                got.set(java.util.Arrays.copyOf(buf.array(), buf.position()));
            });
            Thread.sleep(50);
            sys.write(p[1], java.nio.ByteBuffer.wrap("hello".getBytes()));
            reader.join(5000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(new String(got.get())).isEqualTo("hello");
        }
    }

    /** One thread calling repeatedly takes the CPU back on the fast path. */
    @Test
    void repeatedCallsHitTheFastPath() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(2).build())) {
            var before = rk.schedulerCounters();
            for (int i = 0; i < 10_000; i++) rk.syscalls().getpid();
            var after = rk.schedulerCounters();
            long fast = after.fastpath() - before.fastpath();
            long slow = after.slowpath() - before.slowpath();
            assertThat(fast + slow).isEqualTo(10_000);
            assertThat(slow).as("only the first call needs the slow path").isLessThanOrEqualTo(1);
        }
    }

    /** Nested entry from inside the kernel does not take a second CPU. */
    @Test
    void nestedEntryKeepsTheCpu() {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build())) {
            Kernel k = rk.kernel();
            k.schedule();
            try {
                assertThat(rk.syscalls().getpid()).isEqualTo(1);
            } finally {
                k.unschedule();
            }
            assertThat(k.clientsInside()).isZero();
        }
    }

    /** Kernel threads started with kthreadCreate run holding a CPU and are joined at halt. */
    @Test
    void kthreadsRunAndAreJoined() throws Exception {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).build());
        Kernel k = rk.kernel();
        List<Integer> pids = new ArrayList<>();
        CountDownLatch ran = new CountDownLatch(1);
        k.kthreadCreate("testthread", -1, () -> {
            pids.add(k.curlwp().pid());
            ran.countDown();
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(rk.halt()).isTrue();
        assertThat(pids).containsExactly(0);
    }
}
