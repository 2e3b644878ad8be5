package jrump.net.netinet.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * The sender's SACK scoreboard (RFC 6675 sections 3 and 4): which octets between HighACK (SND.UNA) and
 * HighData (SND.MAX) the receiver reported holding, with the RFC's Update(), IsLost(), SetPipe() and
 * NextSeg(). Ranges are half-open [start, end), sorted and merged.
 */
final class SackScoreboard {
    /** RFC 6675 section 2: DupThresh, the number of duplicate ACKs (or SACKed segments) that signal a loss. */
    static final int DUP_THRESH = 3;

    private record Range(int start, int end) {
        long len() {
            return Integer.toUnsignedLong(end - start);
        }
    }

    private final List<Range> sacked = new ArrayList<>();
    /** RFC 6675 section 2: HighRxt, here one past the highest octet retransmitted in this recovery. */
    int highRxt;

    boolean isEmpty() {
        return sacked.isEmpty();
    }

    void clear() {
        sacked.clear();
    }

    /** RFC 6675 section 4, Update(): records the blocks; returns the octets SACKed that were not before. */
    long update(int[] blocks, int sndUna, int sndMax) {
        long before = sackedBytes();
        for (int b = 0; b + 1 < blocks.length; b += 2) {
            int left = blocks[b];
            int right = blocks[b + 1];
            // RFC 2018 section 3/8: a block must lie within what was sent; anything else is ignored
            if (!TcpSeq.lt(left, right) || TcpSeq.gt(right, sndMax) || TcpSeq.leq(right, sndUna)) continue;
            add(TcpSeq.max(left, sndUna), right);
        }
        return sackedBytes() - before;
    }

    /** Forgets what the cumulative ACK now covers. */
    void acked(int sndUna) {
        while (!sacked.isEmpty() && TcpSeq.leq(sacked.getFirst().end, sndUna)) sacked.removeFirst();
        if (!sacked.isEmpty() && TcpSeq.lt(sacked.getFirst().start, sndUna)) {
            sacked.set(0, new Range(sndUna, sacked.getFirst().end));
        }
    }

    private void add(int start, int end) {
        int i = 0;
        while (i < sacked.size() && TcpSeq.lt(sacked.get(i).end, start)) i++;
        // merge with every range that overlaps or touches [start, end)
        while (i < sacked.size() && TcpSeq.leq(sacked.get(i).start, end)) {
            Range r = sacked.remove(i);
            start = TcpSeq.min(start, r.start);
            end = TcpSeq.max(end, r.end);
        }
        sacked.add(i, new Range(start, end));
    }

    long sackedBytes() {
        long n = 0;
        for (Range r : sacked) n += r.len();
        return n;
    }

    /** The end of the SACKed range holding {@code seq}, or {@code seq} when it is not SACKed. */
    int sackedEnd(int seq) {
        for (Range r : sacked) {
            if (TcpSeq.leq(r.start, seq) && TcpSeq.lt(seq, r.end)) return r.end;
        }
        return seq;
    }

    /** The start of the first SACKed range above {@code seq}, or {@code limit} when none is below it. */
    int nextSackedStart(int seq, int limit) {
        for (Range r : sacked) {
            if (TcpSeq.gt(r.start, seq)) return TcpSeq.min(r.start, limit);
        }
        return limit;
    }

    /**
     * RFC 6675 section 4, IsLost(SeqNum): DupThresh discontiguous SACKed sequences above it, or more than
     * (DupThresh - 1) * SMSS SACKed octets above it.
     */
    boolean isLost(int seq, int smss) {
        int above = 0;
        long bytes = 0;
        for (Range r : sacked) {
            if (TcpSeq.leq(r.end, seq)) continue;
            above++;
            bytes += TcpSeq.gt(r.start, seq) ? r.len() : Integer.toUnsignedLong(r.end - seq - 1);
        }
        return above >= DUP_THRESH || bytes > (long) (DUP_THRESH - 1) * smss;
    }

    /**
     * RFC 6675 section 4, SetPipe(): the octets thought to be in the network. Every unSACKed octet between
     * HighACK and HighData counts once unless IsLost, and once more if it was retransmitted (below HighRxt).
     * Within a hole no octet is SACKed, so IsLost is the same for all of it.
     */
    long pipe(int sndUna, int sndMax, int smss) {
        long pipe = 0;
        int rxt = TcpSeq.max(highRxt, sndUna);
        int cursor = sndUna;
        for (int i = 0; i <= sacked.size(); i++) {
            int holeEnd = i < sacked.size() ? sacked.get(i).start : sndMax;
            if (TcpSeq.lt(cursor, holeEnd)) {
                long len = Integer.toUnsignedLong(holeEnd - cursor);
                if (!isLost(cursor, smss)) pipe += len;
                if (TcpSeq.lt(cursor, rxt)) pipe += Integer.toUnsignedLong(TcpSeq.min(rxt, holeEnd) - cursor);
            }
            if (i < sacked.size()) cursor = TcpSeq.max(cursor, sacked.get(i).end);
        }
        return pipe;
    }

    /**
     * RFC 6675 section 4, NextSeg() rules (1) and (3): the first unSACKed octet S2 at or above HighRxt and
     * below the highest SACKed octet, that IsLost (rule 1) or, when {@code lostOnly} is false, any such octet
     * (rule 3). Returns {start, length at most SMSS} or null. Rule (2), new data, is the caller's.
     */
    int[] nextSeg(int sndUna, int smss, boolean lostOnly) {
        int rxt = TcpSeq.max(highRxt, sndUna);
        int cursor = sndUna;
        for (Range r : sacked) {
            int s = TcpSeq.max(cursor, rxt);
            if (TcpSeq.lt(s, r.start) && (!lostOnly || isLost(s, smss))) {
                return new int[] {s, (int) Math.min(smss, Integer.toUnsignedLong(r.start - s))};
            }
            cursor = r.end;
        }
        return null;
    }
}
