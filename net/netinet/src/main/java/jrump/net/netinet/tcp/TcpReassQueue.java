package jrump.net.netinet.tcp;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpnet.mbuf.Mbuf;

/**
 * Out-of-order segments waiting for the gap before them (tcp_reass, RFC 9293 3.10.7.4 "seventh"): kept
 * sorted and without overlap, new data trimmed to what is not held yet.
 */
final class TcpReassQueue {
    private record Piece(int seq, int len, Mbuf data) {
    }

    private final List<Piece> pieces = new ArrayList<>();
    private int held;
    /** The sequence number of a FIN that arrived out of order, if any. */
    private boolean finSeen;
    private int finSeq;

    boolean isEmpty() {
        return pieces.isEmpty() && !finSeen;
    }

    int held() {
        return held;
    }

    /** Holds {@code data} at {@code seq} (parts already held are dropped). */
    void insert(int seq, Mbuf data, int len, boolean fin) {
        if (fin) {
            finSeen = true;
            finSeq = seq + len;
        }
        int end = seq + len;
        int i = 0;
        while (i < pieces.size() && TcpSeq.lt(seq, end)) {
            Piece p = pieces.get(i);
            int pEnd = p.seq + p.len;
            if (TcpSeq.leq(pEnd, seq)) {
                i++;
                continue;
            }
            if (TcpSeq.geq(p.seq, end)) break;
            if (TcpSeq.lt(seq, p.seq)) {
                int n = p.seq - seq;
                pieces.add(i, new Piece(seq, n, Mbuf.reference(data, 0, n)));
                held += n;
                i++;
                data = Mbuf.trimFront(data, n);
                seq = p.seq;
            }
            int covered = Math.min(end - seq, pEnd - seq);
            data = Mbuf.trimFront(data, covered);
            seq += covered;
            i++;
        }
        if (TcpSeq.lt(seq, end)) {
            int n = end - seq;
            pieces.add(i, new Piece(seq, n, Mbuf.reference(data, 0, n)));
            held += n;
        }
    }

    /**
     * Takes the data now contiguous with {@code rcvNxt}, appending it to {@code out}; returns the bytes
     * taken, and sets {@code fin[0]} when the FIN is reached.
     */
    int take(int rcvNxt, jrump.rumpnet.socket.SockBuf out, boolean[] fin) {
        int taken = 0;
        while (!pieces.isEmpty()) {
            Piece p = pieces.getFirst();
            if (TcpSeq.gt(p.seq, rcvNxt)) break;
            pieces.removeFirst();
            held -= p.len;
            int skip = rcvNxt - p.seq;
            if (skip >= p.len) continue;
            Mbuf d = Mbuf.trimFront(p.data, skip);
            out.append(d);
            rcvNxt += p.len - skip;
            taken += p.len - skip;
        }
        if (finSeen && finSeq == rcvNxt) {
            fin[0] = true;
            finSeen = false;
        }
        return taken;
    }

    /**
     * The contiguous run of queued data holding {@code seq}, as {start, end}, or null: what a SACK block
     * reports (RFC 2018 section 4: a block is a contiguous block of data queued at the receiver).
     */
    int[] blockAround(int seq) {
        int start = 0;
        int end = 0;
        boolean open = false;
        for (Piece p : pieces) {
            if (!open || p.seq != end) {
                if (open && TcpSeq.leq(start, seq) && TcpSeq.lt(seq, end)) return new int[] {start, end};
                start = p.seq;
                open = true;
            }
            end = p.seq + p.len;
        }
        if (open && TcpSeq.leq(start, seq) && TcpSeq.lt(seq, end)) return new int[] {start, end};
        return null;
    }

    void clear() {
        pieces.clear();
        held = 0;
        finSeen = false;
    }
}
