package jrump.net.netinet.tcp;

import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpnet.mbuf.Mbuf;

/** Segment arrival (RFC 9293 3.10.7 "SEGMENT ARRIVES"), in the RFC's order of checks. */
final class TcpInput {
    private static final int SYN = TcpHeader.SYN;
    private static final int ACK = TcpHeader.ACK_FLAG;
    private static final int RST = TcpHeader.RST;
    private static final int FIN = TcpHeader.FIN;
    /** RFC 7323 5.5: timestamps older than 24 days are not used for PAWS. */
    private static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;

    private TcpInput() {
    }

    /**
     * RFC 9293 3.10.7.2: LISTEN. A SYN goes to the SYN cache (no connection block until the handshake
     * completes); the ACK that completes it, or a valid cookie, becomes the connection.
     */
    static void listen(Tcpcb lp, TcpSegment s) {
        Tcp tcp = lp.tcp;
        if (s.has(RST)) {
            tcp.synCache.rst(s);
            return;
        }
        if (s.has(ACK)) {
            if (!s.has(SYN) && tcp.synCache.ack(lp, s)) {
                tcp.inet().drain();
                return;
            }
            Tcp.sendControl(tcp, s.dst(), s.dport(), s.src(), s.sport(), s.ack(), 0, RST);
            return;
        }
        if (!s.has(SYN) || lp.so == null) return;
        tcp.synCache.syn(lp, s);
    }

    /** The options of a SYN: MSS, window scale and timestamps are on only when both sides offer them. */
    static void negotiate(Tcpcb tp, TcpSegment s) {
        tp.peerMss = s.mss() > 0 ? s.mss() : tp.tcp.tunables().defaultMss;
        boolean ourWs = tp.state == TcpState.SYN_SENT ? tp.tcp.tunables().windowScaling : tp.tcp.tunables().windowScaling;
        if (ourWs && s.wscale() >= 0) {
            tp.wsEnabled = true;
            tp.sndScale = Math.min(s.wscale(), 14); // RFC 7323 2.3: larger shifts are taken as 14
            if (tp.state != TcpState.SYN_SENT) tp.rcvScale = tp.chooseRcvScale();
        } else {
            tp.wsEnabled = false;
            tp.sndScale = 0;
            tp.rcvScale = 0;
        }
        if (tp.tcp.tunables().timestamps && s.hasTimestamp()) {
            tp.tsEnabled = true;
            tp.tsRecent = s.tsVal();
            tp.tsRecentAge = tp.now();
        } else {
            tp.tsEnabled = false;
        }
        // RFC 2018 section 2: SACK only when both SYNs carry SACK-permitted
        tp.sackEnabled = tp.tcp.tunables().sack && s.sackPermitted();
        tp.settleMss();
    }

    /** RFC 9293 3.10.7.3 and 3.10.7.4: every state but CLOSED and LISTEN. */
    static void segmentArrives(Tcpcb tp, TcpSegment s) {
        if (tp.state == TcpState.SYN_SENT) {
            synSent(tp, s);
            tp.tcp.inet().drain();
            return;
        }
        process(tp, s);
        if (!tp.closed) TcpOutput.output(tp);
        tp.tcp.inet().drain();
    }

    private static void synSent(Tcpcb tp, TcpSegment s) {
        boolean ackOk = false;
        if (s.has(ACK)) {
            if (TcpSeq.leq(s.ack(), tp.iss) || TcpSeq.gt(s.ack(), tp.sndMax)) {
                if (!s.has(RST)) TcpOutput.respond(tp, s.ack(), 0, RST);
                return;
            }
            ackOk = true;
        }
        if (s.has(RST)) {
            // RFC 5961 3.2 keeps RFC 9293's rule here: a RST counts only if it acknowledges our SYN
            if (ackOk) {
                if (tp.so != null) tp.so.setError(Errno.ECONNREFUSED.number());
                tp.close();
            }
            return;
        }
        if (!s.has(SYN)) return;
        tp.irs = s.seq();
        tp.rcvNxt = s.seq() + 1;
        negotiate(tp, s);
        if (!tp.wsEnabled) tp.rcvScale = 0;
        if (ackOk) {
            tp.sndUna = s.ack();
            tp.synAcked = true;
            if (TcpSeq.lt(tp.sndNxt, tp.sndUna)) tp.sndNxt = tp.sndUna;
            tp.rexmtTimer.cancel();
            tp.rxtShift = 0;
            if (tp.tsEnabled && s.hasTimestamp() && s.tsEcr() != 0) {
                tp.rtt.sample((tp.tsNow() - s.tsEcr()) * 1_000_000L);
            } else if (tp.timing || tp.rtt.backoffCount() == 0) {
                tp.rtt.sample(tp.now() - tp.rtStart);
            }
            tp.timing = false;
            tp.sndWnd = s.window(); // unscaled in the SYN-ACK
            tp.maxSndWnd = tp.sndWnd;
            tp.sndWl1 = s.seq();
            tp.sndWl2 = s.ack();
            tp.established();
            tp.ackNow = true;
            TcpOutput.output(tp);
        } else {
            // simultaneous open (RFC 9293 figure 8): answer with SYN,ACK
            tp.state = TcpState.SYN_RECEIVED;
            tp.sndNxt = tp.iss;
            tp.sndWnd = s.window();
            tp.sndWl1 = s.seq();
            TcpOutput.output(tp);
        }
    }

    /** RFC 9293 3.10.7.4's acceptability test for a segment of {@code len} (SEG.LEN) in a window of {@code wnd}. */
    static boolean acceptable(int seq, int len, int rcvNxt, long wnd) {
        if (len == 0) {
            if (wnd == 0) return seq == rcvNxt;
            return TcpSeq.leq(rcvNxt, seq) && Integer.toUnsignedLong(seq - rcvNxt) < wnd;
        }
        if (wnd == 0) return false;
        boolean first = TcpSeq.leq(rcvNxt, seq) && Integer.toUnsignedLong(seq - rcvNxt) < wnd;
        int last = seq + len - 1;
        boolean end = TcpSeq.leq(rcvNxt, last) && Integer.toUnsignedLong(last - rcvNxt) < wnd;
        return first || end;
    }

    private static void process(Tcpcb tp, TcpSegment s) {
        long now = tp.now();
        tp.lastReceived = now;
        tp.keepProbes = 0;
        // RFC 7323 5.3 R1: PAWS
        if (tp.tsEnabled && s.hasTimestamp() && !s.has(RST) && TcpSeq.lt(s.tsVal(), tp.tsRecent)
                && now - tp.tsRecentAge < PAWS_IDLE_NANOS) {
            tp.ackNow = true;
            return;
        }
        // first: check the sequence number
        long wnd = Integer.toUnsignedLong(tp.rcvAdv - tp.rcvNxt);
        if (TcpSeq.lt(tp.rcvAdv, tp.rcvNxt)) wnd = 0;
        wnd = Math.max(wnd, TcpOutput.receiveWindow(tp));
        int seq = s.seq();
        int len = s.segLen();
        if (!acceptable(seq, len, tp.rcvNxt, wnd)) {
            if (!s.has(RST)) tp.ackNow = true;
            if (tp.state == TcpState.TIME_WAIT && s.has(FIN)) tp.twoMslTimer.at(now + 2 * tp.tcp.tunables().mslNanos);
            return;
        }
        boolean exact = seq == tp.rcvNxt;
        // trim to the window: what precedes RCV.NXT and what lies beyond the window
        Mbuf data = s.data();
        int dataLen = s.dataLen();
        boolean syn = s.has(SYN);
        boolean fin = s.has(FIN);
        int dataSeq = seq + (syn ? 1 : 0);
        if (TcpSeq.lt(dataSeq, tp.rcvNxt)) {
            int cut = Math.min(tp.rcvNxt - dataSeq, dataLen);
            data = Mbuf.trimFront(data, cut);
            dataLen -= cut;
            dataSeq += cut;
            if (TcpSeq.lt(dataSeq, tp.rcvNxt)) fin = false; // the FIN is old too
        }
        long room = wnd - Integer.toUnsignedLong(dataSeq - tp.rcvNxt);
        if (dataLen > room) {
            dataLen = (int) Math.max(0, room);
            data = dataLen == 0 ? null : Mbuf.trimTo(data, dataLen);
            fin = false;
        }
        // RFC 7323 4.3: remember the timestamp of a segment that covers the last ACK we sent
        if (tp.tsEnabled && s.hasTimestamp() && TcpSeq.leq(seq, tp.lastAckSent) && TcpSeq.geq(s.tsVal(), tp.tsRecent)) {
            tp.tsRecent = s.tsVal();
            tp.tsRecentAge = now;
        }
        // second: RST (RFC 5961 3.2: only an exact RCV.NXT resets; others get a challenge ACK)
        if (s.has(RST)) {
            if (!exact) {
                tp.tcp.challengeAcks++;
                tp.ackNow = true;
                return;
            }
            switch (tp.state) {
                case SYN_RECEIVED -> tp.close(); // passive: the embryo dies, the listener stays
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                    if (tp.so != null) tp.so.setError(Errno.ECONNRESET.number());
                    tp.close();
                }
                default -> tp.close();
            }
            return;
        }
        // fourth: a SYN in a synchronized state (RFC 5961 4.2: challenge ACK)
        if (syn) {
            tp.tcp.challengeAcks++;
            tp.ackNow = true;
            return;
        }
        // fifth: the ACK field
        if (!s.has(ACK)) return;
        if (tp.state == TcpState.SYN_RECEIVED) {
            if (TcpSeq.lt(tp.sndUna, s.ack()) && TcpSeq.leq(s.ack(), tp.sndMax)) {
                tp.sndWnd = Integer.toUnsignedLong(s.window()) << tp.sndScale;
                tp.maxSndWnd = Math.max(tp.maxSndWnd, tp.sndWnd);
                tp.sndWl1 = seq;
                tp.sndWl2 = s.ack();
                tp.established();
            } else {
                TcpOutput.respond(tp, s.ack(), 0, RST);
                return;
            }
        }
        if (!processAck(tp, s)) return;
        // seventh: the segment text
        if (dataLen > 0) {
            if (!tp.state.receivesData()) {
                // CLOSE-WAIT and later: the peer sent FIN already; ignore
            } else if (tp.so == null) {
                // the socket was closed: nobody can read this (RFC 9293 3.10.4 close semantics; tcp_input's SS_NOFDREF)
                tp.drop(0);
                return;
            } else {
                receiveData(tp, dataSeq, data, dataLen, fin);
                fin = false; // handled with the data (in order or queued)
            }
        } else if (fin && TcpSeq.gt(dataSeq, tp.rcvNxt)) {
            tp.reass.insert(dataSeq, null, 0, true);
            tp.ackNow = true;
            fin = false;
        }
        if (fin && dataSeq == tp.rcvNxt) finArrived(tp);
    }

    /** RFC 9293 3.10.7.4 "fifth": returns false when the segment is to be dropped. */
    private static boolean processAck(Tcpcb tp, TcpSegment s) {
        int ack = s.ack();
        // RFC 5961 5.2: an ACK must be within [SND.UNA - MAX.SND.WND, SND.MAX]
        if (TcpSeq.gt(ack, tp.sndMax) || TcpSeq.lt(ack, tp.sndUna - (int) Math.min(tp.maxSndWnd, Integer.MAX_VALUE))) {
            tp.ackNow = true;
            return false;
        }
        long segWnd = Integer.toUnsignedLong(s.window()) << tp.sndScale;
        // RFC 6675 section 4, Update(): the SACK blocks go on the scoreboard before the ACK is judged
        long newlySacked = tp.sackEnabled && s.sackBlocks() != null ? tp.scoreboard.update(s.sackBlocks(), tp.sndUna, tp.sndMax) : 0;
        boolean outstanding = tp.sndMax != tp.sndUna;
        boolean cumulative = TcpSeq.gt(ack, tp.sndUna);
        // RFC 5681 section 2: a duplicate ACK carries no data, no SYN/FIN, the same window, and data is outstanding
        boolean duplicate = ack == tp.sndUna && s.dataLen() == 0 && !s.has(FIN) && segWnd == tp.sndWnd && outstanding;
        // RFC 6675 section 2: with SACK, an ACK reporting octets not SACKed before counts as a duplicate too
        boolean sackDuplicate = duplicate || newlySacked > 0 && s.dataLen() == 0 && !s.has(FIN) && outstanding;
        if (cumulative) {
            newAck(tp, s, ack);
        } else if (!tp.sackEnabled) {
            // (with SACK, SackRecovery judges duplicates below, once the window is updated)
            if (duplicate) duplicateAck(tp);
            else tp.dupAcks = 0;
        }
        // window update (RFC 9293 3.10.7.4: SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK))
        if (TcpSeq.lt(tp.sndWl1, s.seq()) || (tp.sndWl1 == s.seq() && TcpSeq.leq(tp.sndWl2, ack))) {
            boolean opened = segWnd > tp.sndWnd;
            tp.sndWnd = segWnd;
            tp.sndWl1 = s.seq();
            tp.sndWl2 = ack;
            tp.maxSndWnd = Math.max(tp.maxSndWnd, segWnd);
            if (opened && segWnd > 0) {
                tp.persistTimer.cancel();
                if (tp.sndNxt != tp.sndMax && !tp.rexmtTimer.pending()) tp.sndNxt = tp.sndUna;
            }
        }
        if (tp.sackEnabled && tp.state.synchronized_()) SackRecovery.ackArrived(tp, cumulative, sackDuplicate);
        boolean ourFinAcked = tp.finSent && TcpSeq.geq(tp.sndUna, tp.finSeq + 1);
        switch (tp.state) {
            case FIN_WAIT_1 -> {
                if (ourFinAcked) {
                    tp.state = TcpState.FIN_WAIT_2;
                    if (tp.so == null) tp.twoMslTimer.at(tp.now() + tp.tcp.tunables().finWait2TimeoutNanos);
                }
            }
            case CLOSING -> {
                if (ourFinAcked) tp.enterTimeWait();
            }
            case LAST_ACK -> {
                if (ourFinAcked) {
                    tp.close();
                    return false;
                }
            }
            case TIME_WAIT -> {
                tp.ackNow = true;
                tp.twoMslTimer.at(tp.now() + 2 * tp.tcp.tunables().mslNanos);
            }
            default -> {
            }
        }
        return true;
    }

    /** Fast retransmit and NewReno recovery (RFC 5681 3.2, RFC 6582 3.2). */
    private static void duplicateAck(Tcpcb tp) {
        tp.dupAcks++;
        if (tp.inRecovery) {
            tp.cc.onRecoveryDupAck(tp.mss);
            return;
        }
        // RFC 6582 3.2 step 1 (and section 4): no new recovery for losses of the previous window
        if (tp.dupAcks == 3 && TcpSeq.gt(tp.sndUna, tp.recover) || tp.dupAcks == 3 && tp.recover == 0) {
            tp.inRecovery = true;
            tp.recover = tp.sndMax;
            tp.cc.enterRecovery(tp.flight(), tp.mss);
            tp.tcp.fastRetransmits++;
            retransmitFirst(tp);
        }
    }

    /** Resends the segment at SND.UNA at once, leaving SND.NXT where it was. */
    private static void retransmitFirst(Tcpcb tp) {
        int saved = tp.sndNxt;
        long savedCwndLimit = tp.sndWnd;
        tp.sndNxt = tp.sndUna;
        int len = (int) Math.min(tp.mss, Math.max(0, tp.snd.cc() - (tp.sndUna - tp.dataStart())));
        if (len > 0) {
            tp.timing = false;
            TcpOutput.emit(tp, tp.sndUna, len, TcpHeader.ACK_FLAG);
        } else if (tp.finSent && tp.sndUna == tp.finSeq) {
            TcpOutput.emit(tp, tp.sndUna, 0, TcpHeader.ACK_FLAG | TcpHeader.FIN);
        }
        tp.sndNxt = TcpSeq.max(saved, tp.sndUna + len);
        tp.sndWnd = savedCwndLimit;
        tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
    }

    private static void newAck(Tcpcb tp, TcpSegment s, int ack) {
        long acked = Integer.toUnsignedLong(ack - tp.sndUna);
        // RTT: from the timestamp echo (RFC 7323 4.1) or the one timed segment (RFC 6298 3, Karn's rule)
        if (tp.tsEnabled && s.hasTimestamp() && s.tsEcr() != 0) {
            tp.rtt.sample(Integer.toUnsignedLong(tp.tsNow() - s.tsEcr()) * 1_000_000L);
        } else if (tp.timing && TcpSeq.gt(ack, tp.rtseq)) {
            tp.rtt.sample(tp.now() - tp.rtStart);
            tp.timing = false;
        }
        int dataStart = tp.dataStart();
        int dataAcked = TcpSeq.lt(ack, dataStart) ? 0 : (int) Math.min(tp.snd.cc(), Integer.toUnsignedLong(ack - dataStart));
        if (TcpSeq.gt(ack, tp.iss)) tp.synAcked = true;
        tp.snd.drop(dataAcked);
        tp.sndUna = ack;
        // new data acknowledged: forward progress, ND's reachability confirmation (RFC 4861 7.3.1)
        if (!tp.faddr.isV4()) tp.tcp.inet().nd6().confirm(tp.faddr);
        if (TcpSeq.lt(tp.sndNxt, tp.sndUna)) tp.sndNxt = tp.sndUna;
        tp.rxtShift = 0;
        tp.scoreboard.acked(ack);
        if (tp.sackEnabled) {
            // RFC 6675: the window neither grows nor deflates during recovery; SackRecovery ends it
            if (!tp.inRecovery) tp.cc.onAck(acked, tp.mss, tp.flight(), tp.now(), tp.rtt.srtt());
        } else if (tp.inRecovery) {
            if (TcpSeq.geq(ack, tp.recover)) {
                tp.inRecovery = false;
                tp.dupAcks = 0;
                tp.cc.exitRecovery(tp.flight(), tp.mss);
            } else {
                tp.cc.onPartialAck(acked, tp.mss);
                retransmitFirst(tp); // RFC 6582 3.2 step 5: the first unacknowledged segment, timer reset
            }
        } else {
            tp.dupAcks = 0;
            tp.cc.onAck(acked, tp.mss, tp.flight(), tp.now(), tp.rtt.srtt());
        }
        if (tp.sndUna == tp.sndMax) {
            tp.rexmtTimer.cancel(); // RFC 6298 (5.2)
        } else if (!tp.inRecovery || tp.sackEnabled) {
            tp.rexmtTimer.at(tp.now() + tp.rtt.rto()); // RFC 6298 (5.3)
        }
        if (tp.so != null && dataAcked > 0) tp.so.writable();
    }

    /** Data within the window: appended when in order (with what the queue then completes), else queued. */
    private static void receiveData(Tcpcb tp, int seq, Mbuf data, int len, boolean fin) {
        if (seq == tp.rcvNxt && tp.reass.isEmpty()) {
            tp.rcv.append(data);
            tp.rcvNxt += len;
            // RFC 5681 4.2 / RFC 9293 3.8.6.3: ACK at least every second full-sized segment, else within the delay
            tp.unackedSegments++;
            if (tp.unackedSegments >= 2) tp.ackNow = true;
            else if (!tp.delackTimer.pending()) tp.delackTimer.at(tp.now() + tp.tcp.tunables().delayedAckNanos);
            tp.so.readable();
            if (fin) finArrived(tp);
            return;
        }
        // out of order: queue it and send a duplicate ACK at once (RFC 5681 4.2)
        tp.reass.insert(seq, data, len, fin);
        if (tp.sackEnabled) tp.sackReport.queued(seq, tp.reass); // RFC 2018 section 4: this block goes first
        tp.ackNow = true;
        boolean[] finReached = new boolean[1];
        int taken = tp.reass.take(tp.rcvNxt, tp.rcv, finReached);
        if (taken > 0) {
            tp.rcvNxt += taken;
            tp.so.readable();
        }
        if (finReached[0]) finArrived(tp);
    }

    /** RFC 9293 3.10.7.4 "eighth": the FIN. */
    private static void finArrived(Tcpcb tp) {
        tp.rcvNxt += 1;
        tp.ackNow = true;
        if (tp.so != null) tp.so.cantRcvMore();
        switch (tp.state) {
            case SYN_RECEIVED, ESTABLISHED -> tp.state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                boolean ourFinAcked = tp.finSent && TcpSeq.geq(tp.sndUna, tp.finSeq + 1);
                if (ourFinAcked) tp.enterTimeWait();
                else tp.state = TcpState.CLOSING;
            }
            case FIN_WAIT_2 -> tp.enterTimeWait();
            case TIME_WAIT -> tp.twoMslTimer.at(tp.now() + 2 * tp.tcp.tunables().mslNanos);
            default -> {
            }
        }
    }
}
