package jrump.p2k;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One request as the kernel wrote it into a reader's buffer: fuse_in_header, then the opcode's argument
 * structure and any NUL-terminated names or data. Reads are little-endian at the offsets of {@link Fuse}.
 * A request is only valid until its reader reads the next one.
 */
final class Request {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    final MemorySegment buf;
    int len;
    int opcode;
    long unique;
    long nodeid;
    int uid;
    int gid;

    Request(MemorySegment buf) {
        this.buf = buf;
    }

    /** Parses the header of {@code n} bytes just read; false when they cannot be a request. */
    boolean parse(long n) {
        if (n < Fuse.IN_HEADER_SIZE) return false;
        len = buf.get(I32, Fuse.IN_LEN);
        if (len != n) return false;
        opcode = buf.get(I32, Fuse.IN_OPCODE);
        unique = buf.get(I64, Fuse.IN_UNIQUE);
        nodeid = buf.get(I64, Fuse.IN_NODEID);
        uid = buf.get(I32, Fuse.IN_UID);
        gid = buf.get(I32, Fuse.IN_GID);
        return true;
    }

    /** A 32-bit argument at {@code off} bytes after the header. */
    int i32(int off) {
        check(off, 4);
        return buf.get(I32, Fuse.IN_HEADER_SIZE + off);
    }

    long i64(int off) {
        check(off, 8);
        return buf.get(I64, Fuse.IN_HEADER_SIZE + off);
    }

    /** The NUL-terminated name starting {@code off} bytes after the header (UTF-8). */
    String name(int off) {
        int start = Fuse.IN_HEADER_SIZE + off;
        int end = nulAt(start);
        byte[] b = buf.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Where the byte after the NUL of the name at {@code off} is, relative to the arguments. */
    int afterName(int off) {
        return nulAt(Fuse.IN_HEADER_SIZE + off) + 1 - Fuse.IN_HEADER_SIZE;
    }

    /** {@code size} bytes of data at {@code off} after the header, as a buffer over the request. */
    ByteBuffer data(int off, int size) {
        check(off, size);
        return buf.asSlice(Fuse.IN_HEADER_SIZE + off, size).asByteBuffer();
    }

    private int nulAt(int start) {
        for (int i = start; i < len; i++) if (buf.get(ValueLayout.JAVA_BYTE, i) == 0) return i;
        throw new MalformedRequest("name without its NUL");
    }

    private void check(int off, int size) {
        if (off < 0 || size < 0 || (long) Fuse.IN_HEADER_SIZE + off + size > len) {
            throw new MalformedRequest("opcode " + opcode + ": arguments shorter than " + (off + size) + " bytes");
        }
    }

    /** The kernel sent something shorter than its opcode's arguments: answered EINVAL, never trusted. */
    static final class MalformedRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRequest(String what) {
            super(what, null, false, false);
        }
    }
}
