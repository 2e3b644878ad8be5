package jrump.net.netinet.tcp;

import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/** The timers of a connection (NetBSD's tcp_timers.c): retransmission, persist, delayed ACK, keepalive, 2MSL. */
final class TcpTimers {
    private TcpTimers() {
    }

    /** RFC 6298 section 5 (5.4-5.7): the retransmission timer expired. */
    static void retransmit(Tcpcb tp) {
        if (tp.closed) return;
        boolean syn = !tp.synAcked;
        int limit = syn ? tp.tcp.tunables().maxSynRetransmits : tp.tcp.tunables().maxRetransmits;
        if (tp.rxtShift >= limit) {
            // RFC 9293 3.8.3 (R2): give up and tell the user
            tp.drop(Errno.ETIMEDOUT.number());
            tp.tcp.timeoutDrops++;
            return;
        }
        tp.rxtShift++;
        tp.rtt.backOff();
        tp.timing = false; // Karn: no RTT sample from a retransmitted segment
        if (!syn) tp.cc.onTimeout(tp.flight(), tp.mss);
        tp.inRecovery = false;
        tp.recover = tp.sndMax; // RFC 6582 section 4: no fast retransmit for what was sent before the timeout
        tp.dupAcks = 0;
        // RFC 6675 5.1: recovery ends and go-back-N skips what the scoreboard holds; a second timeout in a row
        // forgets the scoreboard, in case the receiver discarded what it had SACKed (RFC 2018 section 8)
        tp.scoreboard.highRxt = tp.sndUna;
        if (tp.rxtShift > 1) tp.scoreboard.clear();
        tp.sndNxt = syn ? tp.iss : tp.sndUna;
        tp.tcp.rexmtTimeouts++;
        tp.rexmtTimer.at(tp.now() + tp.rtt.rto());
        // a lost zero-window probe is resent although the window is still closed (RFC 9293 3.8.6.1)
        if (!syn && tp.sndWnd == 0) tp.forceOne = true;
        TcpOutput.output(tp);
        tp.forceOne = false;
        tp.tcp.inet().drain();
    }

    /** RFC 9293 3.8.6.1: probe a zero window with one byte, backing off like the retransmission timer. */
    static void persist(Tcpcb tp) {
        if (tp.closed) return;
        tp.forceOne = true;
        TcpOutput.output(tp);
        tp.forceOne = false;
        if (tp.sndWnd == 0 && tp.snd.cc() > 0 && !tp.rexmtTimer.pending()) {
            tp.rtt.backOff();
            tp.persistTimer.at(tp.now() + tp.rtt.rto());
        }
        tp.tcp.inet().drain();
    }

    static void delayedAck(Tcpcb tp) {
        if (tp.closed) return;
        tp.ackNow = true;
        TcpOutput.output(tp);
        tp.tcp.inet().drain();
    }

    /** RFC 9293 3.8.4 / RFC 1122 4.2.3.6: keepalive probes after an idle period; no answer drops the connection. */
    static void keepalive(Tcpcb tp) {
        if (tp.closed || !tp.state.synchronized_() || tp.state == TcpState.TIME_WAIT) return;
        boolean on = tp.so != null && (tp.so.options() & Sys.SO_KEEPALIVE) != 0;
        long idle = tp.now() - tp.lastReceived;
        if (!on) {
            tp.keepTimer.at(tp.now() + tp.keepIdle());
            return;
        }
        if (idle < tp.keepIdle() && tp.keepProbes == 0) {
            tp.keepTimer.at(tp.lastReceived + tp.keepIdle());
            return;
        }
        if (tp.keepProbes >= tp.keepCountLimit()) {
            tp.drop(Errno.ETIMEDOUT.number());
            tp.tcp.inet().drain();
            return;
        }
        tp.keepProbes++;
        // the probe: SEG.SEQ = SND.NXT-1 and no data, which the peer must acknowledge
        TcpOutput.respond(tp, tp.sndUna - 1, tp.rcvNxt, TcpHeader.ACK_FLAG);
        tp.keepTimer.at(tp.now() + tp.keepInterval());
        tp.tcp.inet().drain();
    }

    /** The end of TIME-WAIT (RFC 9293 3.10.8, MUST-13), or of an orphaned FIN-WAIT-2. */
    static void twoMsl(Tcpcb tp) {
        if (tp.closed) return;
        if (tp.state == TcpState.FIN_WAIT_2 && tp.so != null) return;
        tp.close();
    }
}
