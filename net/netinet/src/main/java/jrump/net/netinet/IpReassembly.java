package jrump.net.netinet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Timers;

/**
 * IPv4 reassembly (RFC 791 section 3.2 and RFC 815's hole idea, kept as a sorted list of pieces), with
 * limits against exhaustion: a timeout per datagram, a cap on datagrams in reassembly and on the bytes
 * they hold, and no datagram beyond 65535 bytes. Overlapping data is trimmed to what was not held yet.
 */
final class IpReassembly {
    private record Key(int src, int dst, int id, int proto) {
    }

    private record Piece(int off, int len, Mbuf data) {
    }

    private final class Queue {
        final Key key;
        final List<Piece> pieces = new ArrayList<>();
        Mbuf firstHeader; // the header of the fragment at offset 0 (for ICMP and the result)
        int total = -1; // known when the last fragment (MF clear) arrived
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
    long timedOut;
    long reassembled;

    IpReassembly(Inet inet) {
        this.inet = inet;
    }

    int queueCount() {
        return queues.size();
    }

    int heldBytes() {
        return heldBytes;
    }

    /** ip_reass: adds a fragment; returns the whole datagram (header + payload) when complete, else null. */
    Mbuf insert(Mbuf m, int hlen) {
        Key k = new Key(m.i32(Ipv4Header.SRC), m.i32(Ipv4Header.DST), m.u16(Ipv4Header.ID), m.u8(Ipv4Header.PROTO));
        int frag = m.u16(Ipv4Header.FLAGS_FRAG);
        int off = (frag & Ipv4Header.OFFSET_MASK) << 3;
        boolean more = (frag & Ipv4Header.MF) != 0;
        Mbuf data = Mbuf.trimFront(Mbuf.reference(m, 0, Mbuf.length(m)), hlen);
        int len = Mbuf.length(data);
        if ((more && (len & 7) != 0) || off + len > Ipv4Header.MAX_PACKET - hlen || (more && len == 0)) {
            dropped++;
            return null;
        }
        Queue q = queues.get(k);
        if (q == null) {
            if (queues.size() >= inet.tunables().maxFragPackets) {
                dropped++;
                return null;
            }
            q = new Queue(k);
            queues.put(k, q);
            q.timer.at(inet.now() + inet.tunables().reassemblyTimeoutNanos);
        }
        if (!more) {
            if (q.total >= 0 && q.total != off + len) { // two different ends: the datagram is broken
                drop(q);
                return null;
            }
            q.total = off + len;
        }
        if (off == 0) {
            byte[] h = new byte[hlen];
            Mbuf.copyOut(m, 0, h, 0, hlen);
            q.firstHeader = Mbuf.wrap(h);
        }
        if (!add(q, off, len, data)) return null;
        return complete(q);
    }

    /** Adds the part of [off, off+len) not held yet; false when the queue was dropped for the byte limit. */
    private boolean add(Queue q, int off, int len, Mbuf data) {
        int end = off + len;
        int i = 0;
        while (i < q.pieces.size() && off < end) {
            Piece p = q.pieces.get(i);
            if (p.off + p.len <= off) {
                i++;
                continue;
            }
            if (p.off >= end) break;
            if (p.off > off) { // a gap before p: hold that part
                int n = p.off - off;
                if (!hold(q, i, off, n, data, 0)) return false;
                i++;
                data = Mbuf.trimFront(data, n);
                off = p.off;
            }
            int covered = Math.min(end, p.off + p.len) - off; // what p already holds
            data = Mbuf.trimFront(data, covered);
            off += covered;
            i++;
        }
        if (off < end) return hold(q, i, off, end - off, data, 0);
        return true;
    }

    private boolean hold(Queue q, int index, int off, int n, Mbuf data, int skip) {
        if (heldBytes + n > inet.tunables().maxFragBytes) {
            dropped++;
            drop(q);
            return false;
        }
        q.pieces.add(index, new Piece(off, n, Mbuf.reference(data, skip, n)));
        q.held += n;
        heldBytes += n;
        return true;
    }

    private Mbuf complete(Queue q) {
        if (q.total < 0 || q.firstHeader == null) return null;
        int at = 0;
        for (Piece p : q.pieces) {
            if (p.off != at) return null;
            at += p.len;
        }
        if (at != q.total) return null;
        Mbuf header = q.firstHeader;
        int hlen = (header.u8(Ipv4Header.VER_IHL) & 0xf) * 4;
        if (hlen + q.total > Ipv4Header.MAX_PACKET) {
            drop(q);
            return null;
        }
        header.put16(Ipv4Header.TOTAL_LEN, hlen + q.total);
        header.put16(Ipv4Header.FLAGS_FRAG, 0);
        Mbuf tail = header;
        for (Piece p : q.pieces) {
            tail.next = p.data;
            tail = Mbuf.last(p.data);
        }
        forget(q);
        reassembled++;
        return header;
    }

    private void forget(Queue q) {
        q.timer.cancel();
        queues.remove(q.key);
        heldBytes -= q.held;
    }

    private void drop(Queue q) {
        forget(q);
    }

    /** RFC 1122 3.3.2: a timed-out datagram is dropped, with ICMP time exceeded when fragment 0 came. */
    private void expire(Queue q) {
        timedOut++;
        forget(q);
        if (q.firstHeader != null && !q.pieces.isEmpty()) {
            Mbuf orig = q.firstHeader;
            orig.next = Mbuf.reference(q.pieces.getFirst().data(), 0, q.pieces.getFirst().len());
            inet.icmp().error(orig, IcmpHeader.TIME_EXCEEDED, IcmpHeader.TIMXCEED_REASS, 0);
        }
    }
}
