package jrump.p2k;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

import jrump.rumpkern.Stat;
import jrump.rumpkern.Timespec;

/**
 * A reply being built in a reader's output buffer: fuse_out_header (filled in when it is sent), then the
 * opcode's result at {@link #at}. Writers put fields at offsets relative to the payload.
 */
final class Reply {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    final MemorySegment buf;
    /** Bytes of payload written so far. */
    int size;

    Reply(MemorySegment buf) {
        this.buf = buf;
    }

    void reset() {
        size = 0;
    }

    /** Zeroes {@code n} bytes at the end of the payload and returns where they start. */
    int grow(int n) {
        int at = size;
        buf.asSlice(Fuse.OUT_HEADER_SIZE + at, n).fill((byte) 0);
        size += n;
        return at;
    }

    void i32(int off, int v) {
        buf.set(I32, Fuse.OUT_HEADER_SIZE + off, v);
    }

    void i64(int off, long v) {
        buf.set(I64, Fuse.OUT_HEADER_SIZE + off, v);
    }

    void i16(int off, int v) {
        buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, Fuse.OUT_HEADER_SIZE + off, (short) v);
    }

    void bytes(int off, byte[] b) {
        MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, Fuse.OUT_HEADER_SIZE + off, b.length);
    }

    /** Room for {@code n} bytes of payload at the end, as a buffer the rump kernel can fill directly. */
    ByteBuffer room(int n) {
        return buf.asSlice(Fuse.OUT_HEADER_SIZE + size, n).asByteBuffer();
    }

    /** Bytes that fit after the payload. */
    long capacity() {
        return buf.byteSize() - Fuse.OUT_HEADER_SIZE - size;
    }

    /** struct fuse_attr at {@code off} from a rump kernel stat (mode bits and dev_t encodings agree). */
    void attr(int off, Stat st) {
        i64(off, st.ino());
        i64(off + 8, st.size());
        i64(off + 16, st.blocks());
        time(off + 24, off + 48, st.atime());
        time(off + 32, off + 52, st.mtime());
        time(off + 40, off + 56, st.ctime());
        i32(off + 60, st.mode());
        i32(off + 64, (int) Math.min(st.nlink(), 0xffffffffL));
        i32(off + 68, st.uid());
        i32(off + 72, st.gid());
        i32(off + 76, (int) st.rdev());
        i32(off + 80, st.blksize());
        i32(off + 84, 0);
    }

    private void time(int secOff, int nsecOff, Timespec t) {
        i64(secOff, t.sec());
        i32(nsecOff, (int) t.nsec());
    }

    /** struct fuse_entry_out at {@code off}: node id, generation 0, the two timeouts, the attributes. */
    void entry(int off, long nodeid, Stat st, Timeouts t) {
        i64(off, nodeid);
        i64(off + 8, 0);
        i64(off + 16, t.entrySec());
        i64(off + 24, t.attrSec());
        i32(off + 32, t.entryNsec());
        i32(off + 36, t.attrNsec());
        attr(off + 40, st);
    }
}
