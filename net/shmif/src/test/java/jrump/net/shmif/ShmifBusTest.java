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

    /**
     * Frames of random sizes on a small bus, each of 0xff bytes (a length read from inside a frame is -1):
     * after every write the ring holds contiguous sequence numbers up to the last one written. A wrap
     * whose oldest frame starts exactly at the write position used to overwrite that frame's length
     * with the wrap marker before evicting it, so the oldest-frame walk went into frame data.
     */
    @Test
    void randomFrameSizes_keepTheRingConsistent() {
        long seed = 20261125L;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        ShmifBus bus = bus(4096);
        byte[] f = new byte[ShmifBus.MAX_FRAME];
        java.util.Arrays.fill(f, (byte) 0xff);
        for (int i = 0; i < 20_000; i++) {
            int len = 1 + r.nextInt(r.nextBoolean() ? 200 : ShmifBus.MAX_FRAME);
            assertThat(bus.write(1, f, len)).as("seed %d write %d", seed, i).isTrue();
            List<ShmifBus.Frame> all = bus.frames();
            assertThat(all).as("seed %d write %d", seed, i).isNotEmpty();
            assertThat(all.get(all.size() - 1).seq()).as("seed %d write %d", seed, i).isEqualTo(i);
            for (int k = 1; k < all.size(); k++) assertThat(all.get(k).seq()).isEqualTo(all.get(k - 1).seq() + 1);
        }
    }

    /**
     * A reader that has read everything up to where the last lap's wrap marker still lies must not take
     * that stale marker for this lap's: the writer may put the next frame right there. It used to jump to
     * the start of the ring, miss the frame, and (resynchronising to the oldest frame without moving its
     * sequence number) never read again.
     */
    @Test
    void aStaleWrapMarkerAtTheReadersPlace_doesNotLoseTheNextFrame() {
        ShmifBus bus = bus(4096);
        byte[] big = new byte[976]; // 24 + 976 = 1000-byte slots: four fill 64..4064, the fifth wraps
        for (int i = 0; i < 4; i++) assertThat(bus.write(1, big, big.length)).isTrue();
        ShmifBus.Cursor c = bus.tail(2);
        for (int i = 0; i < 4; i++) assertThat(bus.write(1, big, big.length)).isTrue(); // lap 2 ends at 4064 again
        assertThat(bus.read(c, 2, 64)).hasSize(4);
        assertThat(bus.write(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 8)).isTrue(); // a 32-byte slot fits at 4064
        List<ShmifBus.Frame> got = bus.read(c, 2, 64);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).data()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        for (int i = 0; i < 10; i++) assertThat(bus.write(1, big, 100)).isTrue();
        assertThat(bus.read(c, 2, 64)).hasSize(10);
        assertThat(c.lost).isZero();
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
