package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Halting a kernel while it is in use. */
class HaltTest {

    /** Threads hammering the kernel see either results or ENXIO once it halts; nothing hangs or breaks. */
    @Test
    void haltDuringCalls_callersSeeEnxio() throws Exception {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(2).build());
        Syscalls sys = rk.syscalls();
        AtomicLong ok = new AtomicLong();
        ConcurrentHashMap<String, Integer> failures = new ConcurrentHashMap<>();
        CountDownLatch started = new CountDownLatch(8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                while (true) {
                    try {
                        sys.getpid();
                        sys.umask(022);
                        ok.incrementAndGet();
                    } catch (RumpException e) {
                        failures.merge(e.errno().name(), 1, Integer::sum);
                        if (e.errno() == Errno.ENXIO) return;
                    } catch (Throwable e) {
                        failures.merge(e.getClass().getName(), 1, Integer::sum);
                        return;
                    }
                }
            }));
        }
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);
        assertThat(rk.halt()).isTrue();
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(ok.get()).isPositive();
        assertThat(failures).containsOnlyKeys("ENXIO");
        assertThat(rk.kernel().clientsInside()).isZero();
    }

    /** A sleeper inside the kernel is woken by halt with EINTR instead of holding the halt up. */
    @Test
    void haltWakesSleepers() throws Exception {
        RumpKernel rk = RumpKernel.boot();
        Errno[] seen = new Errno[1];
        Thread sleeper = Thread.ofPlatform().start(() -> seen[0] = RumpException.errnoOf(
                () -> rk.syscalls().nanosleep(new Timespec(3600, 0))));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rk.kernel().clientsInside() == 0 && System.nanoTime() < until) Thread.sleep(1);
        assertThat(rk.halt()).isTrue();
        sleeper.join(5000);
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(seen[0]).isEqualTo(Errno.EINTR);
    }

    /** The same pipe traffic on the deterministic hypervisor: blocking reader and writer, virtual clock. */
    @Test
    void pipeTrafficOnTheDeterministicHypervisor() throws Exception {
        var sim = new jrump.rumpuser.sim.SimHypercalls(11);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(1).hypervisor(RumpConfig.Hypervisor.of(sim)).build())) {
            Syscalls sys = rk.syscalls();
            int[] p = sys.pipe();
            byte[] data = new byte[200_000];
            new java.util.SplittableRandom(11).nextBytes(data);
            Thread writer = Thread.ofPlatform().start(() -> {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) sys.write(p[1], b);
                sys.close(p[1]);
            });
            ByteBuffer got = ByteBuffer.allocate(data.length);
            while (sys.read(p[0], got) > 0) {
                // until EOF
            }
            writer.join(10_000);
            assertThat(got.array()).isEqualTo(data);
        }
    }
}
