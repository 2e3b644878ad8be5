package jrump.rumpnet.socket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import jrump.rumpkern.Sockaddr;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * A socket buffer (struct sockbuf): a byte stream for stream sockets or a queue of datagrams with their
 * senders for datagram sockets, with a high-water mark. Holds no locks: whoever owns the socket (the
 * kernel's network lock, or a single-threaded simulation) serialises access.
 */
public final class SockBuf {
    /** A datagram and its sender. */
    public record Datagram(Sockaddr from, Mbuf data, int length) {
    }

    private final boolean stream;
    private Mbuf head;
    private Mbuf tail;
    private final ArrayDeque<Datagram> datagrams = new ArrayDeque<>();
    private int cc;
    private int hiwat;
    private int lowat = 1;

    public SockBuf(boolean stream, int hiwat) {
        this.stream = stream;
        this.hiwat = hiwat;
    }

    public boolean stream() {
        return stream;
    }

    /** Bytes held (sb_cc). */
    public int cc() {
        return cc;
    }

    public int hiwat() {
        return hiwat;
    }

    public void setHiwat(int h) {
        hiwat = h;
    }

    public int lowat() {
        return lowat;
    }

    public void setLowat(int l) {
        lowat = Math.max(1, l);
    }

    /** sbspace: room left below the high-water mark (may be negative after a shrink). */
    public int space() {
        return hiwat - cc;
    }

    /** sbappendstream: takes over chain {@code m}. */
    public void append(Mbuf m) {
        if (!stream) throw new IllegalStateException("stream append on a datagram buffer");
        int n = Mbuf.length(m);
        if (n == 0) return;
        if (head == null) head = m;
        else tail.next = m;
        tail = Mbuf.last(m);
        cc += n;
    }

    /** sbappendaddr: queues one datagram. */
    public void appendDatagram(Sockaddr from, Mbuf m) {
        if (stream) throw new IllegalStateException("datagram append on a stream buffer");
        int n = Mbuf.length(m);
        datagrams.add(new Datagram(from, m, n));
        cc += n;
    }

    /** The first datagram, or null. */
    public Datagram peekDatagram() {
        return datagrams.peek();
    }

    /** Removes the first datagram. */
    public Datagram takeDatagram() {
        Datagram d = datagrams.poll();
        if (d != null) cc -= d.length();
        return d;
    }

    /** Copies up to {@code n} stream bytes into {@code dst} from the front, dropping them unless {@code peek}. */
    public int read(ByteBuffer dst, int n, boolean peek) {
        n = Math.min(n, cc);
        if (n == 0) return 0;
        Mbuf.copyOut(head, 0, dst, n);
        if (!peek) drop(n);
        return n;
    }

    /** A new chain referencing stream bytes {@code [off, off+n)} (TCP output and retransmission). */
    public Mbuf reference(int off, int n) {
        if (off + n > cc) throw new IllegalArgumentException("beyond the buffer: " + off + "+" + n + " > " + cc);
        return Mbuf.reference(head, off, n);
    }

    /** sbdrop: removes {@code n} bytes from the front of the stream. */
    public void drop(int n) {
        if (n > cc) throw new IllegalArgumentException("dropping " + n + " of " + cc);
        head = Mbuf.trimFront(head, n);
        cc -= n;
        if (head == null) tail = null;
    }

    /** sbflush: empties the buffer. */
    public void flush() {
        head = tail = null;
        datagrams.clear();
        cc = 0;
    }
}
