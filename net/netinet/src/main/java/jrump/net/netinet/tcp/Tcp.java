package jrump.net.netinet.tcp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jrump.net.netinet.Inet;
import jrump.net.netinet.InPorts;
import jrump.net.netinet.IpAddr;
import jrump.net.netinet.wire.IcmpHeader;
import jrump.net.netinet.wire.Ipv4Header;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.SocketEvents;

/** TCP of one stack: the connection tables, demultiplexing, initial sequence numbers, resets to strangers. */
public final class Tcp {
    private record Key(IpAddr laddr, int lport, IpAddr faddr, int fport) {
    }

    private final Inet inet;
    private final TcpTunables tunables = new TcpTunables();
    private final Map<Key, Tcpcb> conns = new HashMap<>();
    private final Map<Integer, List<Tcpcb>> listeners = new HashMap<>();
    private final Map<Integer, Integer> portUse = new HashMap<>();
    final Set<Tcpcb> all = Collections.newSetFromMap(new IdentityHashMap<>());
    private final byte[] isnSecret = new byte[16];
    final SynCache synCache;

    // counters (tcpstat)
    public long segmentsReceived;
    public long segmentsSent;
    public long retransmittedSegments;
    public long badSegments;
    public long resetsSent;
    public long rexmtTimeouts;
    public long fastRetransmits;
    public long timeoutDrops;
    public long listenDrops;
    public long challengeAcks;

    public Tcp(Inet inet) {
        this.inet = inet;
        for (int i = 0; i < 16; i += 8) ByteBuffer.wrap(isnSecret, i, 8).putLong(inet.env().random());
        this.synCache = new SynCache(this);
    }

    /** The SYN cache's counters (half-open connections held, cookies sent and accepted...). */
    public SynCacheStats synCacheStats() {
        return synCache.stats();
    }

    public Inet inet() {
        return inet;
    }

    public TcpTunables tunables() {
        return tunables;
    }

    /** The congestion control named by the tunable ("newreno" or "cubic"; anything else is NewReno). */
    CongestionControl newCongestionControl() {
        return "cubic".equals(tunables.congestionControl) ? new Cubic() : new NewReno();
    }

    /** Connections that exist (any state but CLOSED), including TIME-WAIT and orphans: the leak check. */
    public int connectionCount() {
        return all.size();
    }

    /** How many are in {@code s}. */
    public int count(TcpState s) {
        int n = 0;
        for (Tcpcb t : all) if (t.state == s) n++;
        return n;
    }

    /** A new control block for socket {@code so} (pr_attach). */
    public Tcpcb attach(SocketEvents so) {
        return new Tcpcb(this, so);
    }

    /** A new control block for a socket of PF_INET6 ({@code v6}) or PF_INET. */
    public Tcpcb attach(SocketEvents so, boolean v6) {
        Tcpcb tp = new Tcpcb(this, so);
        tp.v6 = v6;
        return tp;
    }

    // --- tables -------------------------------------------------------------------------------------

    Tcpcb lookup(IpAddr laddr, int lport, IpAddr faddr, int fport) {
        return conns.get(new Key(laddr, lport, faddr, fport));
    }

    void register(Tcpcb tp) {
        conns.put(new Key(tp.laddr, tp.lport, tp.faddr, tp.fport), tp);
    }

    void addListener(Tcpcb tp) {
        listeners.computeIfAbsent(tp.lport, k -> new ArrayList<>()).add(tp);
    }

    void setLocalPort(Tcpcb tp, int port) {
        tp.lport = port;
        portUse.merge(port, 1, Integer::sum);
    }

    void remove(Tcpcb tp) {
        all.remove(tp);
        Key k = new Key(tp.laddr, tp.lport, tp.faddr, tp.fport);
        if (conns.get(k) == tp) conns.remove(k);
        List<Tcpcb> l = listeners.get(tp.lport);
        if (l != null && l.remove(tp)) {
            if (l.isEmpty()) listeners.remove(tp.lport);
            synCache.listenerClosed(tp);
        }
        if (tp.lport != 0) portUse.computeIfPresent(tp.lport, (p, n) -> n <= 1 ? null : n - 1);
    }

    int pickPort() {
        return InPorts.pick(inet.env(), portUse::containsKey);
    }

    /** in_pcbbind's check: another socket on the port with an overlapping address, unless reuse allows it. */
    boolean bindConflict(Tcpcb self, IpAddr addr, int port, boolean reuseAddr, boolean reusePort) {
        if (!portUse.containsKey(port)) return false;
        for (Tcpcb t : all) {
            if (t == self || t.lport != port) continue;
            if (!t.laddr.isAny() && !addr.isAny() && !t.laddr.equals(addr)) continue;
            // RFC 3493 5.3: an IPv4 socket and a v6-only one on the same port never overlap
            if (self != null && (self.v6 && self.v6only && !t.v6 || t.v6 && t.v6only && !self.v6)) continue;
            boolean otherReusePort = t.so != null && (t.so.options() & Sys.SO_REUSEPORT) != 0;
            if (reusePort && otherReusePort) continue;
            if (reuseAddr && t.state != TcpState.LISTEN && t.state != TcpState.CLOSED) continue;
            return true;
        }
        return false;
    }

    /**
     * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 microsecond clock
     * and F a keyed hash (MD5, as the RFC suggests).
     */
    int isn(IpAddr laddr, int lport, IpAddr faddr, int fport) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            ByteBuffer b = ByteBuffer.allocate(36 + 16);
            putAddr(b, laddr).putShort((short) lport);
            putAddr(b, faddr).putShort((short) fport).put(isnSecret);
            md.update(b.array(), 0, b.position());
            byte[] h = md.digest();
            int f = ByteBuffer.wrap(h).getInt();
            return f + (int) (inet.now() / 4000);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java platform", e);
        }
    }

    // --- input --------------------------------------------------------------------------------------

    /** An address in the hash input of ISNs and cookies: four bytes for IPv4, sixteen for IPv6. */
    static ByteBuffer putAddr(ByteBuffer b, IpAddr a) {
        return a.isV4() || a.isAny() ? b.putInt(a.v4()) : b.putLong(a.hi()).putLong(a.lo());
    }

    /** tcp_input from IPv4: the addresses come from the IPv4 header in front of the segment. */
    public void input(Mbuf m, int hlen) {
        m = Mbuf.pullup(m, hlen);
        if (m == null) return;
        input(m, hlen, IpAddr.v4(m.i32(Ipv4Header.SRC)), IpAddr.v4(m.i32(Ipv4Header.DST)));
    }

    /**
     * tcp_input (tcp6_input alike): checks and parses the segment at {@code hlen} of {@code m}, sent from
     * {@code src} to {@code dst}, finds its connection and hands it over.
     */
    public void input(Mbuf m, int hlen, IpAddr src, IpAddr dst) {
        segmentsReceived++;
        m = Mbuf.pullup(m, hlen + TcpHeader.MIN_LEN);
        if (m == null) {
            badSegments++;
            return;
        }
        int tlen = Mbuf.length(m) - hlen;
        int off = (m.u8(hlen + TcpHeader.DATA_OFF) >>> 4) * 4;
        if (off < TcpHeader.MIN_LEN || off > tlen) {
            badSegments++;
            return;
        }
        m = Mbuf.pullup(m, hlen + off);
        if (m == null) {
            badSegments++;
            return;
        }
        long sum = InPorts.pseudoSum(src, dst, Sys.IPPROTO_TCP, tlen);
        // RFC 9293 3.1 (MUST-2/3), unless the segment came over a link that cannot corrupt it (checksum offload)
        if (!inet.inputChecksumTrusted() && InCksum.fold(InCksum.add(sum, m, hlen, tlen)) != 0) {
            badSegments++;
            return;
        }
        int[] o = TcpSegment.parseOptions(m, hlen + TcpHeader.MIN_LEN, off - TcpHeader.MIN_LEN);
        if (o == null) {
            badSegments++;
            return;
        }
        int flags = m.u8(hlen + TcpHeader.FLAGS) & 0x3f;
        int dataLen = tlen - off;
        TcpSegment seg = new TcpSegment(src, dst, m.u16(hlen + TcpHeader.SRC_PORT), m.u16(hlen + TcpHeader.DST_PORT),
                m.i32(hlen + TcpHeader.SEQ), m.i32(hlen + TcpHeader.ACK), flags, m.u16(hlen + TcpHeader.WINDOW),
                o[0], o[1], o[2] != 0, o[3] != 0, o[4], o[5], TcpSegment.sackBlocks(o),
                dataLen > 0 ? Mbuf.reference(m, hlen + off, dataLen) : null, dataLen);
        if (inet.isLocalAddress(src) && src.equals(dst) && seg.sport() == seg.dport() && seg.has(TcpHeader.SYN)) {
            badSegments++; // a "land" SYN to itself
            return;
        }
        Tcpcb tp = lookup(dst, seg.dport(), src, seg.sport());
        if (tp == null) tp = findListener(dst, seg.dport());
        if (tp == null) {
            resetStranger(seg);
            return;
        }
        if (tp.state == TcpState.LISTEN) TcpInput.listen(tp, seg);
        else TcpInput.segmentArrives(tp, seg);
    }

    private Tcpcb findListener(IpAddr dst, int port) {
        List<Tcpcb> l = listeners.get(port);
        if (l == null) return null;
        Tcpcb wild = null;
        for (Tcpcb t : l) {
            if (t.laddr.equals(dst)) return t;
            if (t.laddr.isAny() && wild == null && t.accepts(dst)) wild = t;
        }
        return wild;
    }

    /** RFC 9293 3.10.7.1: a segment for no connection gets a reset (unless it is one). */
    void resetStranger(TcpSegment seg) {
        if (seg.has(TcpHeader.RST)) return;
        if (seg.has(TcpHeader.ACK_FLAG)) {
            sendControl(this, seg.dst(), seg.dport(), seg.src(), seg.sport(), seg.ack(), 0, TcpHeader.RST);
        } else {
            sendControl(this, seg.dst(), seg.dport(), seg.src(), seg.sport(), 0, seg.seq() + seg.segLen(),
                    TcpHeader.RST | TcpHeader.ACK_FLAG);
        }
    }

    /** A bare segment with no data and no options (resets, keepalive probes, challenge ACKs). */
    static void sendControl(Tcp tcp, IpAddr laddr, int lport, IpAddr faddr, int fport, int seq, int ack, int flags) {
        Mbuf h = Mbuf.header(Mbuf.MAX_HDR);
        h.prepend(TcpHeader.MIN_LEN);
        h.put16(TcpHeader.SRC_PORT, lport);
        h.put16(TcpHeader.DST_PORT, fport);
        h.put32(TcpHeader.SEQ, seq);
        h.put32(TcpHeader.ACK, ack);
        h.put8(TcpHeader.DATA_OFF, (TcpHeader.MIN_LEN / 4) << 4);
        h.put8(TcpHeader.FLAGS, flags);
        h.put16(TcpHeader.WINDOW, 0);
        h.put16(TcpHeader.CKSUM, 0);
        h.put16(TcpHeader.URGENT, 0);
        long sum = InPorts.pseudoSum(laddr, faddr, Sys.IPPROTO_TCP, TcpHeader.MIN_LEN);
        h.put16(TcpHeader.CKSUM, InCksum.fold(InCksum.add(sum, h, 0, TcpHeader.MIN_LEN)));
        if ((flags & TcpHeader.RST) != 0) tcp.resetsSent++;
        tcp.segmentsSent++;
        tcp.inet.output(h, laddr, faddr, Sys.IPPROTO_TCP, faddr.isV4() ? tcp.inet.tunables().ttl : tcp.inet.tunables().hopLimit, 0);
    }

    /**
     * tcp_ctlinput: an ICMP error about one of our segments. Fragmentation needed lowers the connection's
     * MSS (RFC 1191); other unreachables are soft errors while connected (RFC 1122 4.2.3.9).
     */
    public void ctlinput(int type, int code, Mbuf inner, int ihl, int nextMtu) {
        IpAddr src = IpAddr.v4(inner.i32(Ipv4Header.SRC));
        IpAddr dst = IpAddr.v4(inner.i32(Ipv4Header.DST));
        Ctl kind = type != IcmpHeader.UNREACH ? Ctl.OTHER
                : code == IcmpHeader.UNREACH_NEEDFRAG ? (nextMtu >= 68 ? Ctl.PACKET_TOO_BIG : Ctl.OTHER) : Ctl.UNREACH;
        ctlinput(kind, src, inner.u16(ihl + TcpHeader.SRC_PORT), dst, inner.u16(ihl + TcpHeader.DST_PORT),
                inner.i32(ihl + TcpHeader.SEQ), nextMtu);
    }

    /** What an ICMP or ICMPv6 error means to TCP (NetBSD's PRC_* codes, reduced). */
    public enum Ctl { UNREACH, PACKET_TOO_BIG, OTHER }

    /**
     * tcp_ctlinput / tcp6_ctlinput: an error about our segment from {@code src:sport} to {@code dst:dport}
     * with sequence number {@code seq}. A packet too big lowers the connection's MSS to the path's MTU
     * (RFC 1191, RFC 8201); an unreachable ends a connection attempt; other errors are soft
     * (RFC 1122 4.2.3.9).
     */
    public void ctlinput(Ctl kind, IpAddr src, int sport, IpAddr dst, int dport, int seq, int nextMtu) {
        Tcpcb tp = lookup(src, sport, dst, dport);
        if (tp == null) {
            if (kind == Ctl.UNREACH) synCache.unreachable(src, sport, dst, dport, seq);
            return;
        }
        if (kind == Ctl.PACKET_TOO_BIG) {
            int m = nextMtu - Tcpcb.headers(dst) - (tp.tsEnabled ? 12 : 0);
            if (m < tp.mss) {
                tp.mss = Math.max(m, 32);
                tp.sndNxt = tp.sndUna;
                TcpOutput.output(tp);
            }
        } else if (tp.state == TcpState.SYN_SENT && kind == Ctl.UNREACH) {
            tp.drop(jrump.rumpkern.Errno.EHOSTUNREACH.number());
        }
    }
}
