package jrump.net.netinet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jrump.net.netinet.wire.Icmp6Header;
import jrump.net.netinet.wire.Ipv6Header;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Timers;

/**
 * IPv6 reassembly (RFC 8200 section 4.5) with the limits of IPv4's: a timeout per datagram (60 s, then
 * ICMPv6 time exceeded when the first fragment came), caps on datagrams held and on bytes, no datagram
 * beyond 65535 bytes of payload. Overlapping fragments discard the whole datagram (RFC 5722; exact
 * duplicates are dropped alone, as RFC 8200 4.5 allows); an atomic fragment (offset 0, M clear) is
 * processed at once and never queued (RFC 6946).
 */
final class Frag6 {
    /** A reassembled packet: its fragment header gone, {@code next} the protocol at the same offset. */
    record Result(Mbuf packet, int next) {
    }

    private record Key(IpAddr src, IpAddr dst, int id) {
    }

    private record Piece(int off, int len, Mbuf data) {
    }

    private final class Queue {
        final Key key;
        final List<Piece> pieces = new ArrayList<>();
        Mbuf unfragmentable; // the first fragment's headers in front of the fragment header
        int unfragLen;
        int nxtAt;
        int next = -1;
        int total = -1; // known once the last fragment (M clear) came
        int held;
        final Timers.Timer timer;

        Queue(Key key) {
            this.key = key;
            this.timer = inet.timers().create(() -> expire(this));
        }
    }

    private final Inet inet;
    private final Map<Key, Queue> queues = new HashMap<>();
    private int heldBytes;
    long dropped;
    long overlaps;
    long timedOut;
    long reassembled;
    long atomic;

    Frag6(Inet inet) {
        this.inet = inet;
    }

    int queueCount() {
        return queues.size();
    }

    int heldBytes() {
        return heldBytes;
    }

    /**
     * frag6_input: the fragment header at {@code off} of {@code m}; {@code nxtAt} is the offset of the
     * next-header field that named it. Returns the whole packet when this fragment completed it, else null.
     */
    Result insert(Ifnet ifp, Mbuf m, int off, int nxtAt) {
        int offlg = m.u16(off + Ipv6Header.FRAG_OFFLG);
        int fragOff = offlg & Ipv6Header.FRAG_OFFSET_MASK;
        boolean more = (offlg & Ipv6Header.FRAG_MORE) != 0;
        int next = m.u8(off + Ipv6Header.FRAG_NEXT);
        int dataAt = off + Ipv6Header.FRAG_LEN;
        int len = Mbuf.length(m) - dataAt;
        if (fragOff == 0 && !more) { // RFC 6946: an atomic fragment
            atomic++;
            return new Result(removeHeader(m, off, nxtAt, next, len), next);
        }
        if (more && (len == 0 || (len & 7) != 0)) { // RFC 8200 4.5: a multiple of 8 bytes unless last
            dropped++;
            inet.icmp6().error(m, Icmp6Header.PARAM_PROB, Icmp6Header.PARAMPROB_HEADER, Ipv6Header.PAYLOAD_LEN);
            return null;
        }
        if (fragOff + len > 0xffff - (off - Ipv6Header.LEN) - Ipv6Header.FRAG_LEN) { // beyond 65535 bytes
            dropped++;
            inet.icmp6().error(m, Icmp6Header.PARAM_PROB, Icmp6Header.PARAMPROB_HEADER, off + Ipv6Header.FRAG_OFFLG);
            return null;
        }
        Key k = new Key(IpAddr.read(m, Ipv6Header.SRC), IpAddr.read(m, Ipv6Header.DST), m.i32(off + Ipv6Header.FRAG_ID));
        Queue q = queues.get(k);
        if (q == null) {
            if (queues.size() >= inet.tunables().maxFrag6Packets) {
                dropped++;
                return null;
            }
            q = new Queue(k);
            queues.put(k, q);
            q.timer.at(inet.now() + inet.tunables().frag6TimeoutNanos);
        }
        if (heldBytes + len > inet.tunables().maxFragBytes) {
            dropped++;
            drop(q);
            return null;
        }
        if (!more) {
            if (q.total >= 0 && q.total != fragOff + len) { // two different ends
                dropped++;
                drop(q);
                return null;
            }
            q.total = fragOff + len;
        }
        for (Piece p : q.pieces) {
            if (p.off == fragOff && p.len == len) return null; // an exact duplicate
            if (fragOff < p.off + p.len && p.off < fragOff + len) { // RFC 5722: overlap drops the datagram
                overlaps++;
                drop(q);
                return null;
            }
            if (q.total >= 0 && p.off + p.len > q.total) {
                dropped++;
                drop(q);
                return null;
            }
        }
        if (fragOff == 0) {
            q.unfragmentable = Mbuf.wrap(copy(m, off));
            q.unfragLen = off;
            q.nxtAt = nxtAt;
            q.next = next;
        }
        int at = 0;
        while (at < q.pieces.size() && q.pieces.get(at).off < fragOff) at++;
        q.pieces.add(at, new Piece(fragOff, len, Mbuf.reference(m, dataAt, len)));
        q.held += len;
        heldBytes += len;
        if (q.total < 0 || q.unfragmentable == null) return null;
        int expect = 0;
        for (Piece p : q.pieces) {
            if (p.off != expect) return null;
            expect += p.len;
        }
        if (expect != q.total) return null;
        // complete: the first fragment's headers, then the data in order
        Mbuf head = q.unfragmentable;
        head.put8(q.nxtAt, q.next);
        head.put16(Ipv6Header.PAYLOAD_LEN, q.unfragLen - Ipv6Header.LEN + q.total);
        Mbuf tail = head;
        for (Piece p : q.pieces) {
            Mbuf.last(tail).next = p.data;
            tail = p.data;
        }
        int nx = q.next;
        forget(q);
        reassembled++;
        return new Result(head, nx);
    }

    private static byte[] copy(Mbuf m, int n) {
        byte[] b = new byte[n];
        Mbuf.copyOut(m, 0, b, 0, n);
        return b;
    }

    /** The packet without its fragment header (an atomic fragment). */
    private static Mbuf removeHeader(Mbuf m, int off, int nxtAt, int next, int len) {
        Mbuf head = Mbuf.wrap(copy(m, off));
        head.put8(nxtAt, next);
        head.put16(Ipv6Header.PAYLOAD_LEN, off - Ipv6Header.LEN + len);
        head.next = Mbuf.reference(m, off + Ipv6Header.FRAG_LEN, len);
        return head;
    }

    private void forget(Queue q) {
        q.timer.cancel();
        queues.remove(q.key);
        heldBytes -= q.held;
    }

    private void drop(Queue q) {
        forget(q);
    }

    /** RFC 8200 4.5: after 60 s the datagram goes; the sender hears of it if its first fragment came. */
    private void expire(Queue q) {
        if (queues.get(q.key) != q) return;
        timedOut++;
        forget(q);
        if (q.unfragmentable != null) {
            Piece first = q.pieces.get(0);
            Mbuf orig = Mbuf.wrap(copy(q.unfragmentable, q.unfragLen));
            orig.next = first.data;
            inet.icmp6().error(orig, Icmp6Header.TIME_EXCEEDED, Icmp6Header.TIMXCEED_REASSEMBLY, 0);
        }
    }
}
