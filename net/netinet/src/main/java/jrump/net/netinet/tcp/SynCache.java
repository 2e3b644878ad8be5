package jrump.net.netinet.tcp;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;

import jrump.net.netinet.InPorts;
import jrump.net.netinet.IpAddr;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Timers;
import jrump.rumpnet.socket.SocketEvents;

/**
 * The SYN cache (NetBSD's syn_cache, RFC 4987 section 3.3): a half-open passive connection is a small entry
 * here, not a connection block and a socket, until the peer's ACK completes the handshake. Entries are
 * bounded per listener and per stack; each retransmits its SYN-ACK on its own schedule and expires after
 * a few. When there is no room (or the listener's accept queue is full) the SYN is answered with a cookie
 * instead ({@link SynCookies}) when cookies are on; else the oldest entry of the listener makes room.
 */
final class SynCache {
    private record Key(IpAddr laddr, int lport, IpAddr faddr, int fport) {
    }

    /** A half-open connection: what the SYN said and what our SYN-ACK said. */
    static final class Entry {
        final Tcpcb listener;
        final IpAddr laddr;
        final int lport;
        final IpAddr faddr;
        final int fport;
        final int irs;
        final int iss;
        final int peerMss;
        final int peerWscale;
        final boolean sackPermitted;
        final boolean timestamps;
        final int tsRecent;
        final int tsOffset;
        final int window;
        final long created;
        int retransmits;
        long nextAt;
        /** An ICMP unreachable arrived before any retransmission: the next one drops the entry. */
        boolean unreachSeen;

        Entry(Tcpcb listener, TcpSegment s, int iss, int tsOffset, long now) {
            this.listener = listener;
            this.laddr = s.dst();
            this.lport = s.dport();
            this.faddr = s.src();
            this.fport = s.sport();
            this.irs = s.seq();
            this.iss = iss;
            this.peerMss = s.mss();
            this.peerWscale = s.wscale();
            this.sackPermitted = s.sackPermitted();
            this.timestamps = s.hasTimestamp();
            this.tsRecent = s.tsVal();
            this.tsOffset = tsOffset;
            this.window = s.window();
            this.created = now;
        }
    }

    /** Entries due this close to a firing are served by it: under a flood one firing serves many. */
    private static final long TIMER_SLACK_NANOS = 10_000_000L;

    private final Tcp tcp;
    // insertion order is age order: the oldest entry is found first
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<Tcpcb, Integer> perListener = new HashMap<>();
    private final Timers.Timer timer;
    final SynCookies cookies;

    // counters (NetBSD's tcps_sc_*)
    long added;
    long completed;
    long retransmitted;
    long timedOut;
    long overflowed;
    long reset;
    long unreach;
    long cookiesSent;
    long cookiesReceived;
    long cookiesInvalid;
    /** The most entries ever held at once (the flood test's memory bound). */
    int highWater;

    SynCache(Tcp tcp) {
        this.tcp = tcp;
        this.timer = tcp.inet().timers().create(this::expire);
        this.cookies = new SynCookies(tcp);
    }

    int size() {
        return entries.size();
    }

    int countFor(Tcpcb listener) {
        return perListener.getOrDefault(listener, 0);
    }

    Entry lookup(IpAddr laddr, int lport, IpAddr faddr, int fport) {
        return entries.get(new Key(laddr, lport, faddr, fport));
    }

    /** A SYN to listener {@code lp} (RFC 9293 3.10.7.2): remembered and answered, or answered by cookie. */
    void syn(Tcpcb lp, TcpSegment s) {
        TcpTunables t = tcp.tunables();
        Entry old = lookup(s.dst(), s.dport(), s.src(), s.sport());
        if (old != null) {
            // a retransmitted SYN: our SYN-ACK was lost; a SYN with another ISS replaces the entry
            if (old.irs == s.seq()) {
                sendSynAck(old, false);
                return;
            }
            remove(old);
        }
        boolean full = entries.size() >= t.synCacheLimit || countFor(lp) >= t.synCacheListenerLimit;
        boolean queueFull = lp.so.acceptQueueFull();
        if ((full || queueFull) && t.synCookies) {
            sendCookie(lp, s);
            return;
        }
        if (queueFull) {
            tcp.listenDrops++; // no cookies: the peer retransmits its SYN
            return;
        }
        if (full) {
            overflowed++;
            Entry victim = oldest(countFor(lp) >= t.synCacheListenerLimit ? lp : null);
            if (victim == null) return;
            remove(victim);
        }
        int iss = tcp.isn(s.dst(), s.dport(), s.src(), s.sport());
        Entry e = new Entry(lp, s, iss, (int) tcp.inet().env().random(), tcp.inet().now());
        entries.put(new Key(e.laddr, e.lport, e.faddr, e.fport), e);
        perListener.merge(lp, 1, Integer::sum);
        highWater = Math.max(highWater, entries.size());
        added++;
        e.nextAt = e.created + t.initialRtoNanos;
        if (!timer.pending() || timer.deadline() > e.nextAt) timer.at(e.nextAt);
        sendSynAck(e, false);
    }

    private Entry oldest(Tcpcb of) {
        Entry best = null;
        for (Entry e : entries.values()) {
            if (of != null && e.listener != of) continue;
            if (best == null || e.created < best.created) best = e;
        }
        return best;
    }

    void remove(Entry e) {
        if (entries.remove(new Key(e.laddr, e.lport, e.faddr, e.fport)) == null) return;
        perListener.computeIfPresent(e.listener, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** A listener closed: its half-open connections go with it. */
    void listenerClosed(Tcpcb lp) {
        if (perListener.remove(lp) == null) return;
        entries.values().removeIf(e -> e.listener == lp);
    }

    /** The timer: SYN-ACKs due again are resent with the RTO doubled (RFC 6298 5.5); worn-out entries go. */
    private void expire() {
        long now = tcp.inet().now();
        long next = Long.MAX_VALUE;
        TcpTunables t = tcp.tunables();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.nextAt <= now + TIMER_SLACK_NANOS) {
                if (e.retransmits >= t.synCacheRetransmits) {
                    it.remove();
                    perListener.computeIfPresent(e.listener, (k, n) -> n <= 1 ? null : n - 1);
                    timedOut++;
                    continue;
                }
                e.retransmits++;
                retransmitted++;
                e.nextAt = now + Math.min(t.initialRtoNanos << e.retransmits, t.maxRtoNanos);
                sendSynAck(e, false);
            }
            next = Math.min(next, e.nextAt);
        }
        if (next != Long.MAX_VALUE) timer.at(next);
        tcp.inet().drain();
    }

    private void sendCookie(Tcpcb lp, TcpSegment s) {
        int iss = cookies.make(s.dst(), s.dport(), s.src(), s.sport(), s.seq(), s.mss() > 0 ? s.mss() : t().defaultMss);
        Entry e = new Entry(lp, s, iss, cookieTsOffset(s.dst(), s.dport(), s.src(), s.sport()), tcp.inet().now());
        cookiesSent++;
        sendSynAck(e, true);
    }

    private TcpTunables t() {
        return tcp.tunables();
    }

    /** The timestamp clock offset of a cookie connection: derived from the four-tuple, so the ACK can rebuild it. */
    int cookieTsOffset(IpAddr laddr, int lport, IpAddr faddr, int fport) {
        // the ISN's keyed hash without its clock term (isn() adds now/4000 of the same instant)
        int keyedHash = tcp.isn(laddr, lport, faddr, fport) - (int) (tcp.inet().now() / 4000);
        return Integer.rotateLeft(keyedHash, 16); // not the ISS itself: the timestamps would reveal it
    }

    /** Our TSval for an entry: the stack clock in ms plus the offset; cookies put their option bits low. */
    private int tsVal(Entry e, boolean cookie) {
        int ts = (int) (tcp.inet().now() / 1_000_000L) + e.tsOffset;
        if (!cookie) return ts;
        // below the clock, never above it: the RTT sampled from the echo must not come out negative
        return (ts - (1 << SynCookies.TS_BITS)) & ~((1 << SynCookies.TS_BITS) - 1) | SynCookies.tsBits(e.peerWscale, e.sackPermitted);
    }

    /** The SYN-ACK: options as the SYN asked and the tunables allow (RFC 7323 appendix A layout). */
    private void sendSynAck(Entry e, boolean cookie) {
        TcpTunables t = tcp.tunables();
        boolean ws = t.windowScaling && e.peerWscale >= 0;
        boolean ts = t.timestamps && e.timestamps;
        boolean sackOk = t.sack && e.sackPermitted;
        int rcvScale = ws ? rcvScale(e.listener) : 0;
        int optLen = 4 + (ws ? 4 : 0) + (ts ? 12 : 0) + (sackOk && !ts ? 4 : 0);
        int hlen = TcpHeader.MIN_LEN + optLen;
        Mbuf h = Mbuf.header(Mbuf.MAX_HDR);
        h.prepend(hlen);
        h.put16(TcpHeader.SRC_PORT, e.lport);
        h.put16(TcpHeader.DST_PORT, e.fport);
        h.put32(TcpHeader.SEQ, e.iss);
        h.put32(TcpHeader.ACK, e.irs + 1);
        h.put8(TcpHeader.DATA_OFF, (hlen / 4) << 4);
        h.put8(TcpHeader.FLAGS, TcpHeader.SYN | TcpHeader.ACK_FLAG);
        h.put16(TcpHeader.WINDOW, synAckWindow(e.listener)); // RFC 7323 2.2: never scaled in a SYN
        h.put16(TcpHeader.CKSUM, 0);
        h.put16(TcpHeader.URGENT, 0);
        int o = TcpHeader.MIN_LEN;
        h.put8(o, TcpHeader.OPT_MSS);
        h.put8(o + 1, 4);
        h.put16(o + 2, announcedMss(e.listener, e.faddr));
        o += 4;
        if (ws) {
            h.put8(o, TcpHeader.OPT_NOP);
            h.put8(o + 1, TcpHeader.OPT_WSCALE);
            h.put8(o + 2, 3);
            h.put8(o + 3, rcvScale);
            o += 4;
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
            h.put32(o + 2, tsVal(e, cookie));
            h.put32(o + 6, e.tsRecent);
        }
        long sum = InPorts.pseudoSum(e.laddr, e.faddr, Sys.IPPROTO_TCP, hlen);
        h.put16(TcpHeader.CKSUM, InCksum.fold(InCksum.add(sum, h, 0, hlen)));
        tcp.segmentsSent++;
        tcp.inet().output(h, e.laddr, e.faddr, Sys.IPPROTO_TCP, e.faddr.isV4() ? tcp.inet().tunables().ttl : tcp.inet().tunables().hopLimit, 0);
    }

    /** The window of the SYN-ACK: what the new connection's receive buffer (the listener's size) holds. */
    static int synAckWindow(Tcpcb lp) {
        return (int) Math.min(lp.rcv.hiwat(), 65535);
    }

    static int rcvScale(Tcpcb lp) {
        return lp.chooseRcvScale();
    }

    private int announcedMss(Tcpcb lp, IpAddr faddr) {
        int mtu = tcp.inet().pathMtu(faddr);
        int m = (mtu > 0 ? mtu : Tcpcb.minMtu(faddr)) - Tcpcb.headers(faddr);
        if (lp.userMss > 0) m = Math.min(m, lp.userMss);
        return Math.max(m, 64);
    }

    /**
     * The ACK of the handshake to listener {@code lp} (no SYN, no RST): completes a cached entry or a valid
     * cookie into a connection in SYN-RECEIVED that then processes the segment (and becomes ESTABLISHED).
     * Returns false when the ACK matches nothing of ours (the caller resets, RFC 9293 3.10.7.2).
     */
    boolean ack(Tcpcb lp, TcpSegment s) {
        Entry e = lookup(s.dst(), s.dport(), s.src(), s.sport());
        Tcpcb tp;
        if (e != null) {
            if (s.ack() != e.iss + 1) return false; // RFC 9293 3.10.7.4: an unacceptable ACK in SYN-RECEIVED is reset
            // the sequence number need only be acceptable (3.10.7.4, first check): when the pure ACK of the
            // handshake was lost, the peer's first data segments complete it, in any order; outside the
            // window the SYN-ACK's offer is restated and the segment dropped
            int off = s.seq() - (e.irs + 1);
            if (off < 0 || off >= Math.max(1, synAckWindow(e.listener))) {
                sendSynAck(e, false);
                return true;
            }
            SocketEvents child = lp.so == null ? null : lp.so.newConnection();
            if (child == null) {
                tcp.listenDrops++; // the accept queue is full: the entry stays for the peer's next segment
                return true;
            }
            remove(e);
            completed++;
            tp = build(lp, child, s, e.irs, e.iss, e.peerMss, t().windowScaling ? e.peerWscale : -1,
                    e.sackPermitted, e.timestamps && t().timestamps, e.tsRecent, e.tsOffset);
        } else {
            if (!t().synCookies) return false;
            SynCookies.Decoded d = cookies.check(s);
            if (d == null) {
                cookiesInvalid++;
                return false;
            }
            SocketEvents child = lp.so == null ? null : lp.so.newConnection();
            if (child == null) {
                tcp.listenDrops++;
                return true;
            }
            cookiesReceived++;
            boolean ts = d.timestamps() && t().timestamps;
            tp = build(lp, child, s, s.seq() - 1, s.ack() - 1, d.mss(), t().windowScaling ? d.wscale() : -1,
                    d.sackPermitted(), ts, s.tsVal(), cookieTsOffset(s.dst(), s.dport(), s.src(), s.sport()));
        }
        TcpInput.segmentArrives(tp, s);
        return true;
    }

    /** A connection in SYN-RECEIVED as if the SYN and our SYN-ACK had gone through it. */
    private Tcpcb build(Tcpcb lp, SocketEvents child, TcpSegment s, int irs, int iss, int peerMss, int peerWscale,
                        boolean sackPermitted, boolean ts, int tsRecent, int tsOffset) {
        Tcpcb tp = tcp.attach(child);
        child.attach(tp);
        tp.v6 = lp.v6;
        tp.v6only = lp.v6only;
        tp.laddr = s.dst();
        tp.faddr = s.src();
        tp.fport = s.sport();
        tcp.setLocalPort(tp, s.dport());
        tp.nodelay = lp.nodelay;
        tp.userMss = lp.userMss;
        tp.irs = irs;
        tp.rcvNxt = irs + 1;
        tp.iss = iss;
        tp.sndUna = iss;
        tp.sndNxt = tp.sndMax = iss + 1;
        tp.tsOffset = tsOffset;
        tp.state = TcpState.SYN_RECEIVED;
        TcpSegment syn = new TcpSegment(s.src(), s.dst(), s.sport(), s.dport(), irs, 0, TcpHeader.SYN, s.window(),
                peerMss, peerWscale, sackPermitted, ts, tsRecent, 0, null, null, 0);
        TcpInput.negotiate(tp, syn);
        tp.sndWnd = s.window();
        tp.maxSndWnd = tp.sndWnd;
        tp.sndWl1 = irs;
        tp.sndWl2 = iss;
        tp.rcvAdv = tp.rcvNxt + synAckWindow(lp);
        tp.lastAckSent = tp.rcvNxt;
        tp.lastReceived = tp.now();
        tcp.register(tp);
        return tp;
    }

    /** A RST to a half-open connection: only one at exactly RCV.NXT removes it (RFC 5961 3.2). */
    void rst(TcpSegment s) {
        Entry e = lookup(s.dst(), s.dport(), s.src(), s.sport());
        if (e != null && s.seq() == e.irs + 1) {
            remove(e);
            reset++;
        }
    }

    /**
     * An ICMP unreachable about our SYN-ACK {@code seq} (NetBSD's syn_cache_unreach): a forged one must not
     * kill a handshake at once, so the entry goes only after it has been retransmitted, or at a second one.
     */
    void unreachable(IpAddr laddr, int lport, IpAddr faddr, int fport, int seq) {
        Entry e = lookup(laddr, lport, faddr, fport);
        if (e == null || seq != e.iss) return;
        if (e.retransmits == 0 && !e.unreachSeen) {
            e.unreachSeen = true;
            return;
        }
        remove(e);
        unreach++;
    }

    SynCacheStats stats() {
        return new SynCacheStats(entries.size(), highWater, added, completed, retransmitted, timedOut, overflowed,
                reset, unreach, cookiesSent, cookiesReceived, cookiesInvalid);
    }
}
