package jrump.net.shmif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A shmif bus: a ring of Ethernet frames in a shared, memory-mapped file, after rump-design.md 6.1 (NetBSD's
 * shmifvar.h): a header with a magic number, a lock word, the ring's first and next offsets, a generation
 * that counts wraps, and frame sequence numbers; then frames, each with its length, sender, sequence
 * number and time. Writers append under the lock, overwriting the oldest frames; each reader keeps its own
 * position and sequence number, so a reader that falls behind an overrun knows how many frames it lost.
 *
 * <pre>
 *  0 magic u32 | 4 version u32 | 8 generation u64 | 16 first u32 | 20 next u32 | 24 lock u32 | 28 size u32
 * 32 lock time u64 (ms) | 40 frames written u64 | 48 sequence number of the first frame u64 | 56 reserved
 * 64 frames: len u32 | sender u32 | seq u64 | sec u32 | usec u32 | data, padded to 8 bytes
 * </pre>
 * A frame length of 0xffffffff marks the end of the ring before its physical end. All fields little-endian.
 *
 * <p>Locking: the lock word is taken with compare-and-set. A holder that died with it held is detected by a
 * waiter that sees the same holder and lock time for {@link #STALE_LOCK_MILLIS}: it takes the lock over,
 * so a crashed process cannot hang the bus.
 */
public final class ShmifBus {
    public static final int MAGIC = 0xca11d054;
    /** jrump's layout version (NetBSD's shmif is version 3; the layouts differ). */
    public static final int VERSION = 0x6a01;
    /** The default bus size (NetBSD's BUSMEM_SIZE is 1 MiB). */
    public static final int DEFAULT_SIZE = 1 << 20;
    public static final int HEADER = 64;
    public static final int FRAME_HEADER = 24;
    /** The largest frame: Ethernet with a 1500-byte payload, plus slack for VLAN tags. */
    public static final int MAX_FRAME = 1522;
    public static final long STALE_LOCK_MILLIS = 1000;
    private static final int WRAP = -1;

    private static final int H_MAGIC = 0;
    private static final int H_VERSION = 4;
    private static final int H_GEN = 8;
    private static final int H_FIRST = 16;
    private static final int H_NEXT = 20;
    private static final int H_LOCK = 24;
    private static final int H_SIZE = 28;
    private static final int H_LOCKTIME = 32;
    private static final int H_SEQ = 40;
    private static final int H_FIRSTSEQ = 48;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** A frame read off the bus. */
    public record Frame(long seq, int sender, long sec, int usec, byte[] data) {
    }

    private final ByteBuffer mem;
    private final int size;
    private final LongSupplier wallMillis;
    private final LongConsumer sleepNanos;
    /** Times this bus's lock was taken over from a holder that stopped. */
    public long lockSteals;

    /**
     * Opens (and formats, when its magic is missing) the bus in {@code mem}. {@code wallMillis} is a clock
     * every process on the bus shares; {@code sleepNanos} pauses a waiter.
     */
    public ShmifBus(ByteBuffer mem, LongSupplier wallMillis, LongConsumer sleepNanos) {
        this.mem = mem.order(ByteOrder.LITTLE_ENDIAN);
        this.size = mem.capacity();
        this.wallMillis = wallMillis;
        this.sleepNanos = sleepNanos;
        if (size < HEADER + 2 * (FRAME_HEADER + MAX_FRAME)) throw new IllegalArgumentException("bus too small: " + size);
        lock(0x7fffffff);
        try {
            if (mem.getInt(H_MAGIC) != MAGIC) {
                mem.putInt(H_VERSION, VERSION);
                mem.putLong(H_GEN, 0);
                mem.putInt(H_FIRST, HEADER);
                mem.putInt(H_NEXT, HEADER);
                mem.putInt(H_SIZE, size);
                mem.putLong(H_SEQ, 0);
                mem.putLong(H_FIRSTSEQ, 0);
                mem.putInt(H_MAGIC, MAGIC);
            }
        } finally {
            unlock();
        }
    }

    /** A bus image to read without locking (a dump of a file nobody writes any more). */
    public static ShmifBus readOnly(ByteBuffer mem) {
        return new ShmifBus(mem);
    }

    private ShmifBus(ByteBuffer mem) {
        this.mem = mem.order(ByteOrder.LITTLE_ENDIAN);
        this.size = mem.capacity();
        this.wallMillis = () -> 0;
        this.sleepNanos = n -> { };
    }

    /** Whether {@code mem} holds a bus of this layout. */
    public static boolean isBus(ByteBuffer mem) {
        return mem.capacity() >= HEADER && mem.order(ByteOrder.LITTLE_ENDIAN).getInt(H_MAGIC) == MAGIC
                && mem.getInt(H_VERSION) == VERSION;
    }

    public long generation() {
        return mem.getLong(H_GEN);
    }

    public long framesWritten() {
        return mem.getLong(H_SEQ);
    }

    // --- the lock -------------------------------------------------------------------------------

    void lock(int id) {
        int spins = 0;
        int seenHolder = 0;
        long seenTime = 0;
        long seenAt = 0;
        while (true) {
            if (INT.compareAndSet(mem, H_LOCK, 0, id)) {
                mem.putLong(H_LOCKTIME, wallMillis.getAsLong());
                return;
            }
            int holder = (int) INT.getVolatile(mem, H_LOCK);
            long t = mem.getLong(H_LOCKTIME);
            long now = wallMillis.getAsLong();
            if (holder != seenHolder || t != seenTime) {
                seenHolder = holder;
                seenTime = t;
                seenAt = now;
            } else if (holder != 0 && now - seenAt > STALE_LOCK_MILLIS && INT.compareAndSet(mem, H_LOCK, holder, id)) {
                mem.putLong(H_LOCKTIME, now);
                lockSteals++;
                return;
            }
            if (++spins < 1000) Thread.onSpinWait();
            else sleepNanos.accept(50_000L);
        }
    }

    void unlock() {
        INT.setVolatile(mem, H_LOCK, 0);
    }

    // --- writing --------------------------------------------------------------------------------

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private boolean empty() {
        return mem.getLong(H_SEQ) == mem.getLong(H_FIRSTSEQ);
    }

    /** The offset of a frame slot, or the start of the ring when the ring ends there. */
    private int normalize(int p) {
        if (p + FRAME_HEADER > size || mem.getInt(p) == WRAP) return HEADER;
        return p;
    }

    private int after(int p) {
        return normalize(p + align8(FRAME_HEADER + mem.getInt(p)));
    }

    /** Drops the oldest frames while they lie in [from, to). */
    private void evict(int from, int to) {
        while (!empty()) {
            int first = mem.getInt(H_FIRST);
            if (first < from || first >= to) return;
            mem.putInt(H_FIRST, after(first));
            mem.putLong(H_FIRSTSEQ, mem.getLong(H_FIRSTSEQ) + 1);
        }
    }

    /** Appends one frame from {@code sender} (under the lock); frames larger than MAX_FRAME are refused. */
    public boolean write(int sender, byte[] frame, int len) {
        if (len <= 0 || len > MAX_FRAME) return false;
        int need = align8(FRAME_HEADER + len);
        lock(sender);
        try {
            int next = mem.getInt(H_NEXT);
            if (next + need > size) {
                // evict first: when the ring is full the oldest frame starts at next, and the wrap marker
                // would overwrite its length before evict reads it to step over it
                evict(next, size);
                if (next + 4 <= size) mem.putInt(next, WRAP);
                next = HEADER;
                mem.putLong(H_GEN, mem.getLong(H_GEN) + 1);
            }
            evict(next, next + need);
            long seq = mem.getLong(H_SEQ);
            long ms = wallMillis.getAsLong();
            mem.putInt(next, len);
            mem.putInt(next + 4, sender);
            mem.putLong(next + 8, seq);
            mem.putInt(next + 16, (int) (ms / 1000));
            mem.putInt(next + 20, (int) (ms % 1000) * 1000);
            mem.put(next + FRAME_HEADER, frame, 0, len);
            if (empty()) {
                mem.putInt(H_FIRST, next);
                mem.putLong(H_FIRSTSEQ, seq);
            }
            mem.putInt(H_NEXT, next + need);
            mem.putLong(H_SEQ, seq + 1);
            return true;
        } finally {
            unlock();
        }
    }

    // --- reading --------------------------------------------------------------------------------

    /** A reader's place on the bus: the next frame it expects, and what it lost to overruns. */
    public static final class Cursor {
        int pos;
        long seq;
        /** Frames written over before this reader got to them. */
        public long lost;

        Cursor() {
        }
    }

    /** A cursor at the end of the bus: it will see frames written from now on. */
    public Cursor tail(int id) {
        lock(id);
        try {
            Cursor c = new Cursor();
            c.pos = mem.getInt(H_NEXT);
            c.seq = mem.getLong(H_SEQ);
            return c;
        } finally {
            unlock();
        }
    }

    /** Reads the frames after {@code c} (at most {@code max}), skipping {@code self}'s own. */
    public List<Frame> read(Cursor c, int self, int max) {
        List<Frame> out = new ArrayList<>();
        lock(self);
        try {
            readLocked(c, self, max, out);
        } finally {
            unlock();
        }
        return out;
    }

    private void readLocked(Cursor c, int self, int max, List<Frame> out) {
        long written = mem.getLong(H_SEQ);
        long firstSeq = mem.getLong(H_FIRSTSEQ);
        if (c.seq < firstSeq) { // overrun: what we had not read is gone
            c.lost += firstSeq - c.seq;
            c.seq = firstSeq;
            c.pos = mem.getInt(H_FIRST);
        }
        while (c.seq < written && out.size() < max) {
            int p = normalize(c.pos);
            int len = mem.getInt(p);
            long seq = mem.getLong(p + 8);
            if (seq != c.seq || len <= 0 || len > MAX_FRAME || p + FRAME_HEADER + len > size) {
                // should not happen under the lock; resynchronise on the oldest frame
                c.lost += Math.max(0, firstSeq - c.seq);
                c.seq = Math.max(c.seq, firstSeq);
                c.pos = mem.getInt(H_FIRST);
                if (seq != c.seq) return;
                continue;
            }
            int sender = mem.getInt(p + 4);
            if (sender != self) {
                byte[] data = new byte[len];
                mem.get(p + FRAME_HEADER, data);
                out.add(new Frame(seq, sender, Integer.toUnsignedLong(mem.getInt(p + 16)), mem.getInt(p + 20), data));
            }
            c.pos = after(p);
            c.seq++;
        }
    }

    /** Every frame still on the bus, oldest first (shmif_dumpbus). Does not lock: for dumps. */
    public List<Frame> frames() {
        Cursor c = new Cursor();
        c.seq = mem.getLong(H_FIRSTSEQ);
        c.pos = mem.getInt(H_FIRST);
        List<Frame> out = new ArrayList<>();
        readLocked(c, 0, Integer.MAX_VALUE, out);
        return out;
    }
}
