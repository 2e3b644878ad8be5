package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jrump.rumpuser.host.HostHypercalls;

/** Many kernels in one JVM, each with its own namespaces. */
class ManyKernelsTest {
    private static final int KERNELS = 1000;
    private static final long Y2000 = 946_684_800L;

    @Test
    void thousandKernels_areIsolated_andHaltWithNoThreadsLeft() {
        int startedBefore = CountingHypercalls.STARTED.get();
        List<RumpKernel> kernels = new ArrayList<>();
        for (int i = 0; i < KERNELS; i++) {
            kernels.add(RumpKernel.boot(RumpConfig.builder().ncpu(1).hostname("k" + i)
                    .hypervisor(p -> new CountingHypercalls(new HostHypercalls(p, true, null))).build()));
        }
        // one change of one kind in each kernel: a descriptor, a credential or the wall clock
        for (int i = 0; i < KERNELS; i++) {
            RumpKernel rk = kernels.get(i);
            switch (i % 3) {
                case 0 -> assertThat(rk.syscalls().pipe()).containsExactly(0, 1);
                case 1 -> rk.syscalls().setuid(1000 + i);
                default -> rk.syscalls().settimeofday(new Timeval(Y2000 + i, 0), null);
            }
            // and a kernel thread: a callout far in the future
            rk.kernel().callouts().create("test", () -> { }).scheduleNanos(3_600_000_000_000L);
        }
        long hostNow = System.currentTimeMillis() / 1000;
        for (int i = 0; i < KERNELS; i++) {
            Syscalls sys = kernels.get(i).syscalls();
            assertThat(kernels.get(i).hostname()).isEqualTo("k" + i);
            assertThat(sys.fcntl(0, Sys.F_MAXFD, 0)).as("kernel %d descriptors", i).isEqualTo(i % 3 == 0 ? 1 : -1);
            assertThat(sys.getuid()).as("kernel %d uid", i).isEqualTo(i % 3 == 1 ? 1000 + i : 0);
            long sec = sys.gettimeofday().sec();
            if (i % 3 == 2) assertThat(sec).as("kernel %d clock", i).isBetween(Y2000 + i, Y2000 + i + 60);
            else assertThat(sec).as("kernel %d clock", i).isBetween(hostNow - 60, hostNow + 60);
        }
        assertThat(CountingHypercalls.STARTED.get() - startedBefore).isEqualTo(KERNELS);
        for (RumpKernel rk : kernels) assertThat(rk.halt()).isTrue();
        assertThat(CountingHypercalls.ALIVE.get()).as("kernel threads still alive").isZero();
        for (RumpKernel rk : kernels) {
            assertThat(rk.state()).isEqualTo("HALTED");
            try {
                rk.syscalls().getpid();
                throw new AssertionError("call into a halted kernel succeeded");
            } catch (RumpException e) {
                assertThat(e.errno()).isEqualTo(Errno.ENXIO);
            }
        }
    }

    @Test
    void kernelsBootConcurrently() throws Exception {
        List<Thread> threads = new ArrayList<>();
        Map<Integer, Integer> pids = new java.util.concurrent.ConcurrentHashMap<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25; i++) {
                    try (RumpKernel rk = RumpKernel.boot()) {
                        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
                        pids.merge(rk.syscalls().getpid(), 1, Integer::sum);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        // every kernel hands out its own pids from 2: all 200 first rforks got pid 2
        assertThat(pids).containsOnlyKeys(2);
        assertThat(pids.get(2)).isEqualTo(200);
    }
}
