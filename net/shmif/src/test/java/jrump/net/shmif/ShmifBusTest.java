package jrump.net.shmif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bus format on its own: order, overruns, wrap-around and a lock holder that died. */
class ShmifBusTest {
    private long clock = 1_000_000;

    private ShmifBus bus(int size) {
        return new ShmifBus(ByteBuffer.allocateDirect(size), () -> clock, n -> clock += Math.max(1, n / 1_000_000));
    }

    private static byte[] frame(int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) b[k] = (byte) (i * 31 + k);
        return b;
    }

    @Test
    void framesArriveInOrder_andTheSenderDoesNotSeeItsOwn() {
        ShmifBus bus = bus(ShmifBus.DEFAULT_SIZE);
        ShmifBus.Cursor c = bus.tail(2);
        for (int i = 0; i < 100; i++) bus.write(i % 2 == 0 ? 1 : 2, frame(i, 60 + i), 60 + i);
        List<ShmifBus.Frame> got = bus.read(c, 2, 1000);
        assertThat(got).hasSize(50);
        for (int j = 0; j < 50; j++) assertThat(got.get(j).data()).isEqualTo(frame(2 * j, 60 + 2 * j));
        assertThat(c.lost).isZero();
    }

    @Test
    void aReaderThatFallsBehind_countsWhatItLost_andResumesWithTheOldestFrame() {
        ShmifBus bus = bus(64 * 1024);
        ShmifBus.Cursor c = bus.tail(9);
        int n = 5000;
        for (int i = 0; i < n; i++) bus.write(1, frame(i, 1000), 1000);
        assertThat(bus.generation()).isPositive();
        List<ShmifBus.Frame> got = bus.read(c, 9, Integer.MAX_VALUE);
        assertThat(got).isNotEmpty();
        assertThat(c.lost + got.size()).isEqualTo(n);
        assertThat(got.getLast().data()).isEqualTo(frame(n - 1, 1000));
        for (int j = 1; j < got.size(); j++) assertThat(got.get(j).seq()).isEqualTo(got.get(j - 1).seq() + 1);
        assertThat(bus.frames()).hasSize(got.size());
    }

    @Test
    void aFullRingThatWraps_stepsOverItsOldestFrame_whateverTheFrameSizes() {
        // the case where the ring is exactly full when it wraps (its oldest frame starts where the next
        // goes): the wrap marker once overwrote that frame's length and eviction read garbage
        long seed = 20261125L;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        ShmifBus bus = bus(16 * 1024);
        ShmifBus.Cursor c = bus.tail(9);
        long received = 0;
        for (int i = 0; i < 100_000; i++) {
            int len = 1 + rnd.nextInt(ShmifBus.MAX_FRAME);
            assertThat(bus.write(1, frame(i, len), len)).as("seed %d, frame %d", seed, i).isTrue();
            if (rnd.nextInt(8) == 0) received += bus.read(c, 9, Integer.MAX_VALUE).size();
        }
        received += bus.read(c, 9, Integer.MAX_VALUE).size();
        assertThat(received + c.lost).as("seed %d", seed).isEqualTo(100_000);
        List<ShmifBus.Frame> left = bus.frames();
        for (int j = 1; j < left.size(); j++) assertThat(left.get(j).seq()).isEqualTo(left.get(j - 1).seq() + 1);
    }

    @Test
    void oversizedFrames_areRefused() {
        ShmifBus bus = bus(64 * 1024);
        assertThat(bus.write(1, new byte[ShmifBus.MAX_FRAME + 1], ShmifBus.MAX_FRAME + 1)).isFalse();
        assertThat(bus.framesWritten()).isZero();
    }

    @Test
    void aDeadLockHolder_doesNotHangTheBus() {
        ShmifBus bus = bus(64 * 1024);
        bus.lock(1234); // a process that took the lock and died
        assertThat(bus.write(1, frame(1, 100), 100)).isTrue();
        assertThat(bus.lockSteals).isEqualTo(1);
        assertThat(bus.frames()).hasSize(1);
    }

    @Test
    void anotherMapping_ofTheSameMemory_seesTheSameBus() {
        ByteBuffer mem = ByteBuffer.allocateDirect(64 * 1024);
        ShmifBus a = new ShmifBus(mem, () -> clock, n -> { });
        a.write(1, frame(5, 80), 80);
        ShmifBus b = new ShmifBus(mem.duplicate(), () -> clock, n -> { });
        assertThat(b.frames()).hasSize(1);
        assertThat(ShmifBus.isBus(mem)).isTrue();
        assertThat(ShmifBus.isBus(ByteBuffer.allocate(4096))).isFalse();
    }
}
