package jrump.rumpuser.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpuser.HostCondVar;
import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HostMutex;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpuser.Upcalls;

class SimHypercallsTest {
    /** Stands in for a kernel: {@code busy} says how many virtual CPUs are held. */
    private static final java.util.concurrent.atomic.AtomicInteger BUSY = new java.util.concurrent.atomic.AtomicInteger();
    private static final Upcalls NO_KERNEL = new Upcalls() {
        @Override
        public int backendUnschedule() {
            return -1;
        }

        @Override
        public void backendSchedule(int token) {
        }

        @Override
        public int busyCpus() {
            return BUSY.get();
        }
    };

    private static SimHypercalls sim(long seed) throws HyperException {
        SimHypercalls s = new SimHypercalls(seed);
        s.init(Hypercalls.VERSION, NO_KERNEL);
        return s;
    }

    @Test
    void sleepingAnHour_advancesVirtualTime_notRealTime() throws Exception {
        SimHypercalls s = sim(1);
        long real = System.nanoTime();
        s.clockSleep(Hypercalls.Clock.RELWALL, TimeUnit.HOURS.toNanos(1));
        assertThat(s.nanoTime()).isEqualTo(TimeUnit.HOURS.toNanos(1));
        assertThat(System.nanoTime() - real).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(s.clockGettime(Hypercalls.Clock.RELWALL)).isEqualTo(SimHypercalls.EPOCH_AT_START_NANOS + TimeUnit.HOURS.toNanos(1));
        s.fini();
    }

    @Test
    void sleepersWakeInDeadlineOrder() throws Exception {
        SimHypercalls s = sim(2);
        java.util.List<Long> woke = new java.util.concurrent.CopyOnWriteArrayList<>();
        var handles = new java.util.ArrayList<Hypercalls.ThreadHandle>();
        // while the caller "holds a CPU" the clock stands still, so all three are asleep before it moves
        BUSY.set(1);
        for (long secs : new long[] {30, 10, 20}) {
            handles.add(s.threadCreate(() -> {
                s.clockSleep(Hypercalls.Clock.RELWALL, TimeUnit.SECONDS.toNanos(secs));
                woke.add(secs);
            }, "t" + secs, true, -1));
        }
        BUSY.set(0);
        for (var h : handles) h.join();
        assertThat(woke).containsExactly(10L, 20L, 30L);
        assertThat(s.nanoTime()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
        s.fini();
    }

    @Test
    void timedConditionWait_timesOutOnTheVirtualClock_andSignalWakesEarly() throws Exception {
        SimHypercalls s = sim(3);
        HostMutex m = s.mutexInit(false);
        HostCondVar cv = s.cvInit();
        m.enter();
        assertThat(cv.awaitNanos(m, TimeUnit.MINUTES.toNanos(5))).isFalse();
        assertThat(m.heldByCurrentThread()).isTrue();
        assertThat(s.nanoTime()).isEqualTo(TimeUnit.MINUTES.toNanos(5));
        m.exit();
        m.enter();
        var h = s.threadCreate(() -> {
            s.clockSleep(Hypercalls.Clock.RELWALL, TimeUnit.SECONDS.toNanos(1));
            m.enter();
            cv.signal();
            m.exit();
        }, "signaller", true, -1);
        boolean signalled = cv.awaitNanos(m, TimeUnit.DAYS.toNanos(1));
        m.exit();
        h.join();
        assertThat(signalled).isTrue();
        assertThat(s.nanoTime()).isEqualTo(TimeUnit.MINUTES.toNanos(5) + TimeUnit.SECONDS.toNanos(1));
        s.fini();
    }

    @Test
    void ioFaults_failAndCut(@TempDir Path dir) throws Exception {
        SimHypercalls s = sim(4);
        Path img = dir.resolve("img");
        Files.write(img, new byte[8192]);
        try (HostFile f = s.open(img.toString(), Hypercalls.OPEN_RDWR)) {
            s.faults().failReadsAt(4096, 4100, HostErrno.EIO);
            assertThatThrownBy(() -> f.read(ByteBuffer.allocate(512), 3700)).isInstanceOf(HyperException.class)
                    .satisfies(e -> assertThat(((HyperException) e).errno()).isEqualTo(HostErrno.EIO));
            assertThat(f.read(ByteBuffer.allocate(512), 0)).isEqualTo(512);
            s.faults().clear();
            s.faults().cutWritesAfter(1);
            f.write(ByteBuffer.wrap(new byte[] {1}), 0);
            f.write(ByteBuffer.wrap(new byte[] {2}), 1);
            int[] done = new int[2];
            f.bio(HostFile.BioOp.WRITE, ByteBuffer.wrap(new byte[] {3}), 2, false, (n, err) -> {
                done[0] = n;
                done[1] = err;
            });
            assertThat(done).containsExactly(1, 0);
            assertThat(s.faults().lostWrites()).isEqualTo(2);
        }
        byte[] onDisk = Files.readAllBytes(img);
        assertThat(onDisk[0]).isEqualTo((byte) 1);
        assertThat(onDisk[1]).isZero();
        assertThat(onDisk[2]).isZero();
        s.fini();
    }

    @Test
    void memoryLimit() throws Exception {
        SimHypercalls s = new SimHypercalls(5, java.util.Map.of(Hypercalls.PARAM_MEMLIMIT, "1000"), null);
        s.memAlloc(600);
        assertThatThrownBy(() -> s.memAlloc(600)).isInstanceOf(HyperException.class);
        assertThat(s.memUsed()).isEqualTo(600);
        s.memFree(600);
        s.memAlloc(1000);
        assertThat(s.memUsed()).isEqualTo(1000);
    }
}
