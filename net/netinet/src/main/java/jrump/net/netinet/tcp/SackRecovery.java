package jrump.net.netinet.tcp;

import jrump.net.netinet.wire.TcpHeader;

/**
 * Loss recovery with SACK (RFC 6675 section 5), used instead of NewReno's when both ends agreed on SACK:
 * recovery starts on DupThresh duplicate ACKs or when the scoreboard says SND.UNA is lost, cwnd is halved
 * once, and every ACK lets out what cwnd - pipe allows, holes the scoreboard thinks lost first.
 */
final class SackRecovery {
    private SackRecovery() {
    }

    /**
     * An acceptable ACK was processed (SND.UNA, the scoreboard and the window updated): {@code cumulative}
     * when it advanced SND.UNA, {@code duplicate} when it counts as a duplicate (RFC 6675 section 2: no data,
     * no SYN/FIN, outstanding data, and the same ACK number or SACK information for new octets).
     */
    static void ackArrived(Tcpcb tp, boolean cumulative, boolean duplicate) {
        SackScoreboard sb = tp.scoreboard;
        if (tp.inRecovery) {
            // (A) a cumulative ACK covering RecoveryPoint ends recovery
            if (TcpSeq.geq(tp.sndUna, tp.recover)) {
                tp.inRecovery = false;
                tp.dupAcks = 0;
                tp.cc.exitRecovery(tp.flight(), tp.mss);
                return;
            }
            // (B) Update() and SetPipe() happen in sendWhilePipeAllows; (C) send what the window allows
            sendWhilePipeAllows(tp);
            return;
        }
        if (cumulative) tp.dupAcks = 0; // (1)
        if (!duplicate) return;
        tp.dupAcks++; // (2)
        // RFC 6675 5.1: no new recovery until HighACK reaches the RecoveryPoint of a timeout
        boolean allowed = TcpSeq.geq(tp.sndUna, tp.recover) || tp.recover == 0;
        // (3.1) DupThresh duplicates, or (3.2) IsLost(HighACK + 1)
        if (allowed && (tp.dupAcks >= SackScoreboard.DUP_THRESH || sb.isLost(tp.sndUna, tp.mss))) {
            enter(tp);
            return;
        }
        // (3.3) Limited Transmit measured by the pipe: new data while cwnd - pipe >= 1 SMSS, so that a small
        // window still draws the ACKs that reveal its loss
        sb.highRxt = tp.sndUna; // (3.3.1)
        long pipe = sb.pipe(tp.sndUna, tp.sndMax, tp.mss); // (3.3.2)
        for (int guard = 0; guard < 1 << 12 && tp.cc.cwnd() - pipe >= tp.mss; guard++) {
            int n = sendNew(tp); // (3.3.3)
            if (n == 0) break;
            pipe += n;
        }
    }

    /** RFC 6675 section 5 step (4): fast retransmit and the start of loss recovery. */
    private static void enter(Tcpcb tp) {
        tp.inRecovery = true;
        tp.recover = tp.sndMax; // (4.1) RecoveryPoint = HighData
        tp.cc.enterLossRecovery(tp.flight(), tp.mss); // (4.2) ssthresh = cwnd = FlightSize / 2
        tp.tcp.fastRetransmits++;
        // (4.3) the first segment presumed lost, at HighACK + 1; HighRxt is its end
        int end = tp.scoreboard.nextSackedStart(tp.sndUna, tp.sndMax);
        int len = retransmit(tp, tp.sndUna, (int) Math.min(tp.mss, Integer.toUnsignedLong(end - tp.sndUna)));
        tp.scoreboard.highRxt = tp.sndUna + len;
        sendWhilePipeAllows(tp); // (4.4), (4.5)
    }

    /** RFC 6675 section 5 step (C): while cwnd - pipe >= 1 SMSS, send NextSeg(). */
    private static void sendWhilePipeAllows(Tcpcb tp) {
        SackScoreboard sb = tp.scoreboard;
        long pipe = sb.pipe(tp.sndUna, tp.sndMax, tp.mss);
        for (int guard = 0; guard < 1 << 12 && tp.cc.cwnd() - pipe >= tp.mss; guard++) {
            int[] seg = sb.nextSeg(tp.sndUna, tp.mss, true); // NextSeg rule (1): a lost hole
            if (seg == null) {
                int n = sendNew(tp); // rule (2): new data the receive window allows
                if (n > 0) {
                    pipe += n; // (C.4)
                    continue;
                }
                seg = sb.nextSeg(tp.sndUna, tp.mss, false); // rule (3): a hole not yet thought lost
                if (seg == null) break;
            }
            int len = retransmit(tp, seg[0], seg[1]);
            if (len == 0) break;
            sb.highRxt = seg[0] + len; // (C.2)
            pipe += len; // (C.4)
        }
    }

    /** Resends [seq, seq+len) from the send buffer (or the FIN at its place); returns the octets sent. */
    private static int retransmit(Tcpcb tp, int seq, int len) {
        int avail = (int) Math.max(0, tp.snd.cc() - Integer.toUnsignedLong(seq - tp.dataStart()));
        len = Math.min(len, Math.min(avail, tp.mss - TcpOutput.sackOptionLength(tp)));
        tp.timing = false; // Karn: no RTT sample across a retransmission
        if (len > 0) {
            TcpOutput.emit(tp, seq, len, TcpHeader.ACK_FLAG);
        } else if (tp.finSent && seq == tp.finSeq) {
            TcpOutput.emit(tp, seq, 0, TcpHeader.ACK_FLAG | TcpHeader.FIN);
            len = 1;
        }
        if (len > 0 && !tp.rexmtTimer.pending()) tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
        return len;
    }

    /** New data at SND.MAX during recovery (NextSeg rule 2), within the peer's window; returns its length. */
    private static int sendNew(Tcpcb tp) {
        if (tp.sndNxt != tp.sndMax || tp.finSent) return 0;
        long offInBuf = Integer.toUnsignedLong(tp.sndMax - tp.dataStart());
        long unsent = tp.snd.cc() - offInBuf;
        long room = tp.sndWnd - tp.flight();
        int len = (int) Math.max(0, Math.min(Math.min(unsent, room), tp.mss - TcpOutput.sackOptionLength(tp)));
        if (len <= 0) return 0;
        TcpOutput.emit(tp, tp.sndMax, len, TcpHeader.ACK_FLAG);
        tp.sndNxt = tp.sndMax = tp.sndMax + len;
        if (!tp.rexmtTimer.pending()) tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
        return len;
    }
}
