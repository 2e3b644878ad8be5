package jrump.net.netinet.tcp;

import jrump.net.netinet.InPorts;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/** Sending segments (tcp_output): what may go now under the windows, Nagle and the timers. */
final class TcpOutput {
    private TcpOutput() {
    }

    /** Sends what the state, the windows and Nagle allow, then arms the timers that follow. */
    static void output(Tcpcb tp) {
        if (tp.closed || tp.state == TcpState.CLOSED || tp.state == TcpState.LISTEN) return;
        for (int guard = 0; guard < 1 << 16 && sendOne(tp); guard++) {
            // keep going while segments leave
        }
    }

    /** Sends at most one segment; returns whether another may follow. */
    private static boolean sendOne(Tcpcb tp) {
        if (!tp.synAcked) {
            // until our SYN is acknowledged only the SYN (or SYN,ACK) and bare ACKs go out
            if (tp.sndNxt == tp.iss) {
                int flags = TcpHeader.SYN | (tp.state != TcpState.SYN_SENT ? TcpHeader.ACK_FLAG : 0);
                emit(tp, tp.iss, 0, flags);
                tp.sndNxt = tp.iss + 1;
                if (TcpSeq.gt(tp.sndNxt, tp.sndMax)) tp.sndMax = tp.sndNxt;
                if (!tp.rexmtTimer.pending()) tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
            } else if (tp.ackNow && tp.state != TcpState.SYN_SENT) {
                emit(tp, tp.sndNxt, 0, TcpHeader.ACK_FLAG);
            }
            return false;
        }
        int dataStart = tp.dataStart();
        if (TcpSeq.lt(tp.sndNxt, dataStart)) tp.sndNxt = dataStart; // SND.NXT never precedes SND.UNA
        if (tp.sackEnabled && TcpSeq.lt(tp.sndNxt, tp.sndMax)) {
            // going back after a timeout: what the receiver SACKed is not sent again (RFC 6675 5.1)
            tp.sndNxt = tp.scoreboard.sackedEnd(tp.sndNxt);
        }
        int from = tp.sndNxt;
        int offInBuf = from - dataStart;
        int avail = Math.max(0, tp.snd.cc() - offInBuf);
        long wnd = Math.min(tp.sndWnd, tp.cc.cwnd());
        long usable = wnd - Integer.toUnsignedLong(from - tp.sndUna);
        if (tp.forceOne && usable <= 0 && avail > 0) usable = 1; // a zero-window probe (RFC 9293 3.8.6.1)
        if (tp.sackEnabled && tp.inRecovery) usable = 0; // SackRecovery alone sends data during recovery
        int maxSeg = tp.mss - sackOptionLength(tp); // SACK blocks take room from the data (RFC 2018 section 3)
        boolean retransmitting = TcpSeq.lt(from, tp.sndMax);
        if (retransmitting && tp.sackEnabled) {
            // stop short of the next SACKed range
            avail = (int) Math.min(avail, Integer.toUnsignedLong(tp.scoreboard.nextSackedStart(from, tp.sndMax) - from));
        }
        int len = (int) Math.max(0, Math.min(avail, Math.min(usable, maxSeg)));
        boolean fin = tp.finQueued && offInBuf <= tp.snd.cc() && offInBuf + len == tp.snd.cc()
                && tp.state != TcpState.CLOSE_WAIT && tp.state != TcpState.ESTABLISHED;
        if (len > 0 && len < maxSeg && !retransmitting && !fin && !tp.forceOne) {
            // Nagle (RFC 9293 3.7.4, RFC 1122 4.2.3.4): a small segment only when nothing is in flight
            // (or TCP_NODELAY) and it carries everything queued; or when it fills half the peer's largest window
            boolean idle = tp.sndMax == tp.sndUna;
            boolean all = offInBuf + len == tp.snd.cc();
            boolean halfWindow = tp.maxSndWnd > 0 && len >= tp.maxSndWnd / 2;
            if (!(all && (idle || tp.nodelay)) && !halfWindow) len = 0;
        }
        boolean windowUpdate = windowUpdateDue(tp);
        if (len == 0 && !fin && !tp.ackNow && !windowUpdate) {
            if (avail > 0 && !tp.rexmtTimer.pending() && !tp.persistTimer.pending()) {
                // nothing in flight and data held back: by a zero window (RFC 9293 3.8.6.1, probe it) or by
                // sender SWS avoidance, whose override timeout (RFC 1122 4.2.3.4) this is; else a lost window
                // update would leave both ends waiting for ever
                tp.persistTimer.at(tp.now() + tp.rtt.rto());
            }
            return false;
        }
        if (len == 0 && fin && tp.finSent && from != tp.finSeq) fin = false;
        int flags = TcpHeader.ACK_FLAG | (fin ? TcpHeader.FIN : 0);
        if (len > 0 && offInBuf + len == tp.snd.cc()) flags |= TcpHeader.PSH;
        emit(tp, from, len, flags);
        if (len > 0 || fin) {
            if (fin) {
                tp.finSent = true;
                tp.finSeq = from + len;
            }
            tp.sndNxt = from + len + (fin ? 1 : 0);
            if (TcpSeq.gt(tp.sndNxt, tp.sndMax)) tp.sndMax = tp.sndNxt;
            if (!tp.rexmtTimer.pending()) {
                tp.persistTimer.cancel();
                tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
            }
            // RFC 6298 (3): time one segment at a time, never a retransmitted one (Karn)
            if (!tp.timing && !tp.tsEnabled && !retransmitting && len > 0) {
                tp.timing = true;
                tp.rtseq = from;
                tp.rtStart = tp.now();
            }
        }
        tp.forceOne = false;
        return len > 0 && !fin;
    }

    /** RFC 9293 3.8.6.2.2: tell the peer of a window that opened by two segments or half the buffer. */
    private static boolean windowUpdateDue(Tcpcb tp) {
        if (!tp.state.synchronized_()) return false;
        long advertised = Integer.toUnsignedLong(tp.rcvAdv - tp.rcvNxt);
        long now = receiveWindow(tp);
        long grow = now - advertised;
        return grow >= 2L * tp.mss || grow >= tp.rcv.hiwat() / 2;
    }

    /**
     * The window to advertise: the free receive buffer, with receiver-side silly window avoidance
     * (RFC 9293 3.8.6.2.2: not less than min(buffer/2, MSS) unless zero) and never shrinking the right
     * edge already advertised (RFC 9293 3.8.6, SHLD-14).
     */
    static long receiveWindow(Tcpcb tp) {
        long space = Math.max(0, tp.rcv.space() - tp.reass.held());
        long max = 65535L << tp.rcvScale;
        space = Math.min(space, max);
        if (space < Math.min(tp.rcv.hiwat() / 2, Math.max(tp.mss, 1))) space = 0;
        long edge = Integer.toUnsignedLong(tp.rcvAdv - tp.rcvNxt);
        if (TcpSeq.gt(tp.rcvAdv, tp.rcvNxt) && space < edge) space = edge;
        return space;
    }

    /** Builds and sends one segment of connection {@code tp}: data bytes [seq, seq+len) from the send buffer. */
    static void emit(Tcpcb tp, int seq, int len, int flags) {
        boolean syn = (flags & TcpHeader.SYN) != 0;
        // a SYN offers what the tunables allow; a SYN,ACK and everything later use what was agreed
        boolean offer = syn && tp.state == TcpState.SYN_SENT;
        boolean ws = syn && (offer ? tp.tcp.tunables().windowScaling : tp.wsEnabled);
        boolean ts = offer ? tp.tcp.tunables().timestamps : tp.tsEnabled;
        boolean sackOk = syn && (offer ? tp.tcp.tunables().sack : tp.sackEnabled);
        int[] blocks = syn ? NO_BLOCKS : sackBlocks(tp);
        // RFC 7323 appendix A's layout: MSS; NOP,WS; SACK-permitted in the two bytes before the timestamp
        // (else NOP,NOP,SACK-permitted); NOP,NOP,TS; NOP,NOP,SACK with its blocks (RFC 2018 section 3)
        int optLen = (syn ? 4 : 0) + (ws ? 4 : 0) + (ts ? 12 : 0) + (sackOk && !ts ? 4 : 0)
                + (blocks.length > 0 ? 4 + 4 * blocks.length : 0);
        int hlen = TcpHeader.MIN_LEN + optLen;
        Mbuf data = len > 0 ? tp.snd.reference(seq - tp.dataStart(), len) : null;
        Mbuf h = Mbuf.header(Mbuf.MAX_HDR);
        h.prepend(hlen);
        h.next = data;
        long wnd = receiveWindow(tp);
        h.put16(TcpHeader.SRC_PORT, tp.lport);
        h.put16(TcpHeader.DST_PORT, tp.fport);
        h.put32(TcpHeader.SEQ, seq);
        boolean ack = (flags & TcpHeader.ACK_FLAG) != 0;
        h.put32(TcpHeader.ACK, ack ? tp.rcvNxt : 0);
        h.put8(TcpHeader.DATA_OFF, (hlen / 4) << 4);
        h.put8(TcpHeader.FLAGS, flags);
        // RFC 7323 2.2: the window of a SYN is never scaled
        h.put16(TcpHeader.WINDOW, (int) (syn ? Math.min(wnd, 65535) : Math.min(wnd >> tp.rcvScale, 65535)));
        h.put16(TcpHeader.CKSUM, 0);
        h.put16(TcpHeader.URGENT, 0);
        int o = TcpHeader.MIN_LEN;
        if (syn) {
            h.put8(o, TcpHeader.OPT_MSS);
            h.put8(o + 1, 4);
            h.put16(o + 2, tp.announcedMss());
            o += 4;
            if (ws) {
                h.put8(o, TcpHeader.OPT_NOP);
                h.put8(o + 1, TcpHeader.OPT_WSCALE);
                h.put8(o + 2, 3);
                h.put8(o + 3, tp.rcvScale);
                o += 4;
            }
        }
        if (sackOk && !ts) {
            h.put8(o, TcpHeader.OPT_NOP);
            h.put8(o + 1, TcpHeader.OPT_NOP);
            o += 2;
        }
        if (sackOk) {
            h.put8(o, TcpHeader.OPT_SACK_PERMITTED);
            h.put8(o + 1, 2);
            o += 2;
        }
        if (ts) {
            if (!sackOk) {
                h.put8(o, TcpHeader.OPT_NOP);
                h.put8(o + 1, TcpHeader.OPT_NOP);
                o += 2;
            }
            h.put8(o, TcpHeader.OPT_TIMESTAMP);
            h.put8(o + 1, 10);
            h.put32(o + 2, tp.tsNow());
            h.put32(o + 6, tp.tsEnabled ? tp.tsRecent : 0);
            o += 10;
        }
        if (blocks.length > 0) {
            h.put8(o, TcpHeader.OPT_NOP);
            h.put8(o + 1, TcpHeader.OPT_NOP);
            h.put8(o + 2, TcpHeader.OPT_SACK);
            h.put8(o + 3, 2 + 4 * blocks.length);
            o += 4;
            for (int edge : blocks) {
                h.put32(o, edge);
                o += 4;
            }
        }
        int total = hlen + len;
        if (!tp.tcp.inet().transportChecksumOmitted(tp.faddr, total + Tcpcb.headers(tp.faddr) - TcpHeader.MIN_LEN)) {
            long sum = InPorts.pseudoSum(tp.laddr, tp.faddr, Sys.IPPROTO_TCP, total);
            h.put16(TcpHeader.CKSUM, InCksum.fold(InCksum.add(sum, h, 0, total)));
        }
        if (ack) {
            tp.lastAckSent = tp.rcvNxt;
            tp.ackNow = false;
            tp.unackedSegments = 0;
            tp.delackTimer.cancel();
        }
        if (!syn && TcpSeq.gt(tp.rcvNxt + (int) wnd, tp.rcvAdv)) tp.rcvAdv = tp.rcvNxt + (int) wnd;
        if (syn) tp.rcvAdv = tp.rcvNxt + (int) Math.min(wnd, 65535);
        tp.tcp.segmentsSent++;
        if (len > 0 && TcpSeq.lt(seq, tp.sndMax)) tp.tcp.retransmittedSegments++;
        tp.tcp.inet().output(h, tp.laddr, tp.faddr, Sys.IPPROTO_TCP, tp.hopLimit(), tp.trafficClass());
    }

    private static final int[] NO_BLOCKS = new int[0];

    /**
     * The SACK blocks an ACK of {@code tp} carries now (RFC 2018 section 4): only when SACK was agreed and
     * data waits out of order; as many as fit beside the timestamp (RFC 2018 section 3).
     */
    static int[] sackBlocks(Tcpcb tp) {
        if (!tp.sackEnabled || tp.reass.held() == 0 || !tp.state.synchronized_()) return NO_BLOCKS;
        int max = tp.tsEnabled ? TcpHeader.SACK_MAX_BLOCKS_WITH_TIMESTAMPS : TcpHeader.SACK_MAX_BLOCKS;
        return tp.sackReport.blocks(tp.rcvNxt, tp.reass, max);
    }

    /** The bytes the SACK option of the next segment takes (NOP, NOP, kind, length, 8 per block). */
    static int sackOptionLength(Tcpcb tp) {
        int[] b = sackBlocks(tp);
        return b.length == 0 ? 0 : 4 + 4 * b.length;
    }

    /** A bare control segment of {@code tp} (RST, keepalive probe) at {@code seq}. */
    static void respond(Tcpcb tp, int seq, int ack, int flags) {
        Tcp.sendControl(tp.tcp, tp.laddr, tp.lport, tp.faddr, tp.fport, seq, ack, flags);
    }
}
