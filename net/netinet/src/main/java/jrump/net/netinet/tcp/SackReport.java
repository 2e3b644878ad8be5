package jrump.net.netinet.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jrump.net.netinet.wire.TcpHeader;

/**
 * The receiver's side of SACK (RFC 2018 section 4): the blocks to report, built from the out-of-order queue.
 * The first block holds the segment that arrived last; the others repeat the blocks reported most recently,
 * so a block survives the loss of a few ACKs.
 */
final class SackReport {
    /** Left edges of the blocks in the order last reported, most recent first. */
    private final List<Integer> recent = new ArrayList<>();

    /** A segment starting at {@code seq} was queued out of order (RFC 2018 section 4, first rule). */
    void queued(int seq, TcpReassQueue q) {
        int[] b = q.blockAround(seq);
        if (b == null) return;
        recent.removeIf(left -> { int[] o = q.blockAround(left); return o == null || o[0] == b[0]; });
        recent.addFirst(b[0]);
        while (recent.size() > MAX_REMEMBERED) recent.removeLast();
    }

    /**
     * RFC 2018 section 3: no ACK carries more than 4 blocks; twice that many are remembered so that the
     * blocks after one that is delivered still have successors to report.
     */
    private static final int MAX_REMEMBERED = 2 * TcpHeader.SACK_MAX_BLOCKS;

    /**
     * Up to {@code max} blocks as (left, right) pairs for an ACK of {@code rcvNxt}: each remembered block
     * as it stands in the queue now (grown by later segments), none twice, none the ACK already covers.
     */
    int[] blocks(int rcvNxt, TcpReassQueue q, int max) {
        int[] out = new int[2 * max];
        int n = 0;
        for (int i = 0; i < recent.size(); i++) {
            int[] b = q.blockAround(recent.get(i));
            if (b == null || TcpSeq.leq(b[1], rcvNxt)) {
                recent.remove(i--); // delivered: nothing left to report
                continue;
            }
            recent.set(i, b[0]);
            boolean dup = false;
            for (int j = 0; j < n; j++) dup |= out[2 * j] == b[0];
            if (dup) {
                recent.remove(i--);
                continue;
            }
            if (n < max) {
                out[2 * n] = b[0];
                out[2 * n + 1] = b[1];
                n++;
            }
        }
        return n == max ? out : Arrays.copyOf(out, 2 * n);
    }

    void clear() {
        recent.clear();
    }
}
