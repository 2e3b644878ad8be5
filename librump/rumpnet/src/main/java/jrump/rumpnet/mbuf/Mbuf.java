package jrump.rumpnet.mbuf;

import java.nio.ByteBuffer;

/**
 * A packet buffer (NetBSD's mbuf, reduced to what Java needs): a window {@code [off, off+len)} of a byte
 * array, chained through {@code next}. The storage of a chain may be shared by several chains (a TCP
 * segment and its retransmission reference the same send-buffer bytes, as m_copym does with clusters),
 * so storage is never written after it was handed on; only a chain's own nodes (off, len, next) change.
 * This gives the "one copy" rule: application bytes are copied once into storage ({@link #copyFrom}),
 * headers go into a separate small node in front ({@link #header}), and a receiver reads straight out of
 * the storage a link delivered.
 */
public final class Mbuf {
    /** Room in front of a header node for link + IPv4 + TCP headers with options (max_linkhdr + max_protohdr). */
    public static final int MAX_HDR = 14 + 60 + 60;

    public final byte[] buf;
    public int off;
    public int len;
    public Mbuf next;
    /**
     * Whether the bytes in front of the window belong to this node alone (a {@link #header} node), so
     * that {@link #prepend} may write there. A node referencing shared storage never prepends.
     */
    private final boolean ownsFront;

    public Mbuf(byte[] buf, int off, int len) {
        this(buf, off, len, false);
    }

    private Mbuf(byte[] buf, int off, int len, boolean ownsFront) {
        if (off < 0 || len < 0 || off + len > buf.length) throw new IllegalArgumentException("window out of range");
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.ownsFront = ownsFront;
    }

    /** Wraps a whole array (no copy). */
    public static Mbuf wrap(byte[] b) {
        return new Mbuf(b, 0, b.length);
    }

    /** An empty node with {@code room} bytes in front for {@link #prepend}. */
    public static Mbuf header(int room) {
        return new Mbuf(new byte[room], room, 0, true);
    }

    /** Whether {@link #prepend} can add {@code n} bytes in place. */
    public boolean canPrepend(int n) {
        return ownsFront && off >= n;
    }

    /** M_PREPEND: grows the node {@code n} bytes to the front; returns the new start offset. */
    public int prepend(int n) {
        if (!ownsFront) throw new IllegalStateException("prepending into shared storage");
        if (n > off) throw new IllegalStateException("no room to prepend " + n + " bytes (have " + off + ")");
        off -= n;
        len += n;
        return off;
    }

    /** m_length: the bytes of the whole chain. */
    public static int length(Mbuf m) {
        int n = 0;
        for (; m != null; m = m.next) n += m.len;
        return n;
    }

    /** The last node of a chain. */
    public static Mbuf last(Mbuf m) {
        while (m.next != null) m = m.next;
        return m;
    }

    /** Appends chain {@code tail} to chain {@code head} (either may be null); returns the head. */
    public static Mbuf concat(Mbuf head, Mbuf tail) {
        if (head == null) return tail;
        last(head).next = tail;
        return head;
    }

    /** Copies {@code n} bytes of {@code src} into new storage (the one copy from the application). */
    public static Mbuf copyFrom(ByteBuffer src, int n) {
        byte[] b = new byte[n];
        src.get(b);
        return wrap(b);
    }

    /** m_copydata: copies {@code n} bytes from offset {@code off} of the chain into {@code dst}. */
    public static void copyOut(Mbuf m, int off, ByteBuffer dst, int n) {
        while (m != null && off >= m.len) {
            off -= m.len;
            m = m.next;
        }
        while (n > 0) {
            if (m == null) throw new IllegalArgumentException("chain too short");
            int k = Math.min(n, m.len - off);
            dst.put(m.buf, m.off + off, k);
            n -= k;
            off = 0;
            m = m.next;
        }
    }

    /** m_copydata into an array. */
    public static void copyOut(Mbuf m, int off, byte[] dst, int dstOff, int n) {
        copyOut(m, off, ByteBuffer.wrap(dst, dstOff, n), n);
    }

    /**
     * m_copym: a new chain referencing bytes {@code [off, off+n)} of {@code m}: new nodes, shared storage.
     * Returns null for n == 0.
     */
    public static Mbuf reference(Mbuf m, int off, int n) {
        while (m != null && off >= m.len) {
            off -= m.len;
            m = m.next;
        }
        Mbuf head = null;
        Mbuf tail = null;
        while (n > 0) {
            if (m == null) throw new IllegalArgumentException("chain too short");
            int k = Math.min(n, m.len - off);
            Mbuf c = new Mbuf(m.buf, m.off + off, k);
            if (head == null) head = c;
            else tail.next = c;
            tail = c;
            n -= k;
            off = 0;
            m = m.next;
        }
        return head;
    }

    /** m_adj: drops {@code n} bytes from the front; returns the new head (null when nothing is left). */
    public static Mbuf trimFront(Mbuf m, int n) {
        while (m != null && n > 0) {
            if (n >= m.len) {
                n -= m.len;
                m = m.next;
            } else {
                m.off += n;
                m.len -= n;
                n = 0;
            }
        }
        return m;
    }

    /** Keeps only the first {@code n} bytes of the chain (m_adj with a negative count); returns the head. */
    public static Mbuf trimTo(Mbuf m, int n) {
        if (n == 0) return null;
        Mbuf c = m;
        while (c != null) {
            if (n <= c.len) {
                c.len = n;
                c.next = null;
                return m;
            }
            n -= c.len;
            c = c.next;
        }
        return m;
    }

    /** The whole chain in one new array. */
    public static byte[] toArray(Mbuf m) {
        byte[] b = new byte[length(m)];
        copyOut(m, 0, b, 0, b.length);
        return b;
    }

    /**
     * m_pullup: makes the first {@code n} bytes contiguous in the head node, copying only when they are
     * not. Returns the (possibly new) head, or null when the chain is shorter than {@code n}.
     */
    public static Mbuf pullup(Mbuf m, int n) {
        if (m == null) return null;
        if (m.len >= n) return m;
        int total = length(m);
        if (total < n) return null;
        byte[] b = new byte[n];
        copyOut(m, 0, b, 0, n);
        Mbuf head = wrap(b);
        head.next = trimFront(m, n);
        return head;
    }

    // --- big-endian field access within the head node (headers are pulled up first) -------------

    public int u8(int at) {
        return buf[off + at] & 0xff;
    }

    public int u16(int at) {
        return ((buf[off + at] & 0xff) << 8) | (buf[off + at + 1] & 0xff);
    }

    public int i32(int at) {
        return (u16(at) << 16) | u16(at + 2);
    }

    public void put8(int at, int v) {
        buf[off + at] = (byte) v;
    }

    public void put16(int at, int v) {
        buf[off + at] = (byte) (v >>> 8);
        buf[off + at + 1] = (byte) v;
    }

    public void put32(int at, int v) {
        put16(at, v >>> 16);
        put16(at + 2, v);
    }

    @Override
    public String toString() {
        return "mbuf[" + len + (next == null ? "" : "+" + length(next)) + "]";
    }
}
