package jrump.net.netinet.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.net.netinet.IpAddr;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Timers;
import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SockBuf;
import jrump.rumpnet.socket.SocketEvents;

/**
 * A TCP connection's control block (RFC 9293's TCB; NetBSD's struct tcpcb) and the user requests on it.
 * Segment arrival is {@link TcpInput}, sending is {@link TcpOutput}.
 */
/*
 * Implementation notes. Read first: RFC 9293 sections 3.3-3.10, RFC 6298, RFC 5681 and RFC 6582, RFC 7323.
 * Variables carry the RFC's names (snd.una → sndUna). The send buffer holds the data from SND.UNA on; the
 * SYN occupies ISS and the FIN the sequence number after the last data byte, so data byte i of the buffer
 * has sequence number dataStart() + i. The buffers belong to the connection, not to the socket: after
 * close the connection goes on sending what was queued (FIN-WAIT states) with no socket attached.
 */
public final class Tcpcb implements ProtoSocket {
    final Tcp tcp;
    SocketEvents so;
    final SockBuf snd;
    final SockBuf rcv;
    TcpState state = TcpState.CLOSED;
    IpAddr laddr = IpAddr.ANY;
    int lport;
    IpAddr faddr = IpAddr.ANY;
    int fport;
    /** A PF_INET6 socket's connection (its addresses are sockaddr_in6, IPv4 peers v4-mapped). */
    boolean v6;
    /** IPV6_V6ONLY: no IPv4 peers (RFC 3493 5.3). */
    boolean v6only;
    /** IPV6_UNICAST_HOPS (-1: the stack's default) and IPV6_TCLASS. */
    int hops = -1;
    int tclass;

    // RFC 9293 3.3.1: send sequence variables
    int iss;
    int sndUna;
    int sndNxt;
    /** The highest sequence number sent (snd_max): sndNxt falls back to sndUna on a retransmission. */
    int sndMax;
    long sndWnd;
    long maxSndWnd;
    int sndWl1;
    int sndWl2;
    // RFC 9293 3.3.1: receive sequence variables
    int irs;
    int rcvNxt;
    /** The right edge of the window last advertised (rcv_adv): the window never shrinks below it. */
    int rcvAdv;

    /** The MSS we send with (the peer's announced MSS, our path, minus option space). */
    int mss;
    /** The peer's announced MSS (RFC 9293 3.7.1). */
    int peerMss;
    /** A TCP_MAXSEG cap set by the user (0: none). */
    int userMss;
    // RFC 7323 window scaling and timestamps
    int sndScale;
    int rcvScale;
    boolean wsEnabled;
    boolean tsEnabled;
    int tsRecent;
    long tsRecentAge;
    int lastAckSent;
    int tsOffset;
    /** RFC 2018: both ends sent SACK-permitted on their SYN. */
    boolean sackEnabled;
    final SackScoreboard scoreboard = new SackScoreboard();
    final SackReport sackReport = new SackReport();

    /** Our SYN was acknowledged: the send buffer starts at SND.UNA from then on (before, at ISS+1). */
    boolean synAcked;
    boolean finQueued;
    boolean finSent;
    int finSeq;
    boolean nodelay;
    boolean ackNow;
    int unackedSegments;
    boolean forceOne;
    int ttl;
    int tos;

    // loss recovery and timing
    int dupAcks;
    boolean inRecovery;
    int recover;
    int rxtShift;
    boolean timing;
    int rtseq;
    long rtStart;
    final RttEstimator rtt;
    final CongestionControl cc;
    final TcpReassQueue reass = new TcpReassQueue();

    // keepalive (per-connection overrides of the tunables; 0: the tunable)
    long keepIdleNanos;
    long keepIntervalNanos;
    int keepCount;
    int keepProbes;
    long lastReceived;

    final Timers.Timer rexmtTimer;
    final Timers.Timer persistTimer;
    final Timers.Timer delackTimer;
    final Timers.Timer keepTimer;
    final Timers.Timer twoMslTimer;
    boolean closed;

    Tcpcb(Tcp tcp, SocketEvents so) {
        this.tcp = tcp;
        this.so = so;
        this.snd = so.snd();
        this.rcv = so.rcv();
        this.rtt = new RttEstimator(tcp.tunables());
        this.cc = tcp.newCongestionControl();
        this.ttl = tcp.inet().tunables().ttl;
        Timers t = tcp.inet().timers();
        this.rexmtTimer = t.create(() -> TcpTimers.retransmit(this));
        this.persistTimer = t.create(() -> TcpTimers.persist(this));
        this.delackTimer = t.create(() -> TcpTimers.delayedAck(this));
        this.keepTimer = t.create(() -> TcpTimers.keepalive(this));
        this.twoMslTimer = t.create(() -> TcpTimers.twoMsl(this));
        tcp.all.add(this);
    }

    public TcpState state() {
        return state;
    }

    long now() {
        return tcp.inet().now();
    }

    /** The sequence number of the first byte of the send buffer. */
    int dataStart() {
        return synAcked ? sndUna : iss + 1;
    }

    /** Bytes sent and not yet acknowledged (FlightSize, RFC 5681 section 2). */
    long flight() {
        return Integer.toUnsignedLong(sndMax - sndUna);
    }

    /** TSval: a millisecond clock with a random per-connection offset (RFC 7323 5.4). */
    int tsNow() {
        return (int) (now() / 1_000_000L) + tsOffset;
    }

    long keepIdle() {
        return keepIdleNanos > 0 ? keepIdleNanos : tcp.tunables().keepIdleNanos;
    }

    long keepInterval() {
        return keepIntervalNanos > 0 ? keepIntervalNanos : tcp.tunables().keepIntervalNanos;
    }

    int keepCountLimit() {
        return keepCount > 0 ? keepCount : tcp.tunables().keepCount;
    }

    /** Our window scale: the smallest shift that lets the receive buffer be advertised (RFC 7323 2.3, at most 14). */
    int chooseRcvScale() {
        int s = 0;
        while (s < 14 && (65535L << s) < rcv.hiwat()) s++;
        return s;
    }

    /** The MSS we announce: the path MTU less the IP and TCP headers (RFC 9293 3.7.1, RFC 879). */
    int announcedMss() {
        int mtu = tcp.inet().pathMtu(faddr);
        int m = (mtu > 0 ? mtu : minMtu(faddr)) - headers(faddr);
        if (userMss > 0) m = Math.min(m, userMss);
        return Math.max(m, 64);
    }

    /** Sets the sending MSS once options are known: the smaller MSS, less the timestamp option. */
    void settleMss() {
        int m = Math.min(peerMss > 0 ? peerMss : tcp.tunables().defaultMss, announcedMss());
        if (tsEnabled) m -= 12;
        mss = Math.max(m, 32);
    }

    // --- state changes ------------------------------------------------------------------------------

    /** The handshake completed (either side). */
    void established() {
        state = TcpState.ESTABLISHED;
        cc.init(mss);
        lastReceived = now();
        keepTimer.at(now() + keepIdle());
        if (so != null) so.isConnected();
    }

    /** tcp_close: forgets the connection; its socket (if any) is disconnected. */
    void close() {
        if (closed) return;
        closed = true;
        state = TcpState.CLOSED;
        rexmtTimer.cancel();
        persistTimer.cancel();
        delackTimer.cancel();
        keepTimer.cancel();
        twoMslTimer.cancel();
        reass.clear();
        scoreboard.clear();
        sackReport.clear();
        tcp.remove(this);
        SocketEvents s = so;
        so = null;
        if (s != null) s.isDisconnected();
    }

    /** tcp_drop: a reset for a synchronized connection, an error for the socket, then close. */
    void drop(int errno) {
        if (state.synchronized_() || state == TcpState.SYN_RECEIVED) TcpOutput.respond(this, sndNxt, 0, jrump.net.netinet.wire.TcpHeader.RST);
        if (so != null && errno != 0) so.setError(errno);
        close();
    }

    void enterTimeWait() {
        state = TcpState.TIME_WAIT;
        rexmtTimer.cancel();
        persistTimer.cancel();
        keepTimer.cancel();
        delackTimer.cancel();
        twoMslTimer.at(now() + 2 * tcp.tunables().mslNanos);
        if (so != null) so.isDisconnected();
        so = null;
    }

    // --- user requests (pr_usrreqs) ------------------------------------------------------------------

    private boolean reuseAddr() {
        return so != null && (so.options() & Sys.SO_REUSEADDR) != 0;
    }

    private boolean reusePort() {
        return so != null && (so.options() & Sys.SO_REUSEPORT) != 0;
    }

    /** The IP headers in front of a segment to {@code a}: IPv4's 20 bytes or IPv6's 40. */
    static int headers(IpAddr a) {
        return a.isV4() ? 40 : 60;
    }

    /** The MTU every path of the version carries (RFC 791's 576; RFC 8200 section 5's 1280). */
    static int minMtu(IpAddr a) {
        return a.isV4() ? 576 : 1280;
    }

    /** The TTL or hop limit of our segments. */
    int hopLimit() {
        if (faddr.isV4()) return ttl;
        return hops >= 0 ? hops : tcp.inet().tunables().hopLimit;
    }

    int trafficClass() {
        return faddr.isV4() ? tos : tclass;
    }

    /** Whether a listener of this socket takes a connection to {@code dst} (its family, IPV6_V6ONLY). */
    boolean accepts(IpAddr dst) {
        return dst.isV4() ? !v6 || !v6only : v6;
    }

    /** The address of a sockaddr of this socket's family (v4-mapped allowed on PF_INET6), or null. */
    private IpAddr addrOf(Sockaddr s) {
        if (v6 ? !(s instanceof jrump.rumpkern.SockaddrIn6) : !(s instanceof SockaddrIn)) return null;
        IpAddr a = IpAddr.of(s);
        if (v6 && v6only && a.isV4()) return null;
        return a;
    }

    private static int portOf(Sockaddr s) {
        return s instanceof SockaddrIn in ? in.port() : ((jrump.rumpkern.SockaddrIn6) s).port();
    }

    @Override
    public int bind(Sockaddr addr) {
        IpAddr a = addrOf(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        if (lport != 0 || state != TcpState.CLOSED) return Errno.EINVAL.number();
        if (!a.isAny() && !tcp.inet().isLocalAddress(a)) return Errno.EADDRNOTAVAIL.number();
        int port = portOf(addr);
        if (port == 0) {
            port = tcp.pickPort();
            if (port == 0) return Errno.EADDRINUSE.number();
        } else if (tcp.bindConflict(this, a, port, reuseAddr(), reusePort())) {
            return Errno.EADDRINUSE.number();
        }
        laddr = a;
        tcp.setLocalPort(this, port);
        return 0;
    }

    @Override
    public int listen(int backlog) {
        if (state != TcpState.CLOSED && state != TcpState.LISTEN) return Errno.EINVAL.number();
        if (lport == 0) {
            int p = tcp.pickPort();
            if (p == 0) return Errno.EADDRINUSE.number();
            tcp.setLocalPort(this, p);
        }
        if (state != TcpState.LISTEN) {
            state = TcpState.LISTEN;
            tcp.addListener(this);
        }
        return 0;
    }

    @Override
    public int connect(Sockaddr addr) {
        IpAddr to = addrOf(addr);
        if (to == null) return Errno.EAFNOSUPPORT.number();
        int toPort = portOf(addr);
        if (state != TcpState.CLOSED) return state == TcpState.LISTEN ? Errno.EOPNOTSUPP.number() : Errno.EISCONN.number();
        if (toPort == 0) return Errno.EADDRNOTAVAIL.number();
        IpAddr dst = !to.isAny() ? to : v6 ? IpAddr.LOOPBACK6 : IpAddr.v4(SockaddrIn.INADDR_LOOPBACK);
        if (dst.isV4() ? dst.v4() == -1 || (dst.v4() >>> 28) == 0xe : dst.isMulticast()) return Errno.ENETUNREACH.number();
        if (!laddr.isAny() && laddr.isV4() != dst.isV4()) return Errno.EAFNOSUPPORT.number();
        IpAddr src = !laddr.isAny() ? laddr : tcp.inet().sourceAddress(dst);
        if (src.isAny()) return Errno.ENETUNREACH.number();
        if (lport == 0) {
            int p = tcp.pickPort();
            if (p == 0) return Errno.EADDRNOTAVAIL.number();
            tcp.setLocalPort(this, p);
        }
        if (tcp.lookup(src, lport, dst, toPort) != null) return Errno.EADDRINUSE.number();
        laddr = src;
        faddr = dst;
        fport = toPort;
        iss = tcp.isn(laddr, lport, faddr, fport);
        sndUna = sndNxt = sndMax = iss;
        tsOffset = (int) tcp.inet().env().random();
        rcvScale = tcp.tunables().windowScaling ? chooseRcvScale() : 0;
        state = TcpState.SYN_SENT;
        tcp.register(this);
        so.isConnecting();
        TcpOutput.output(this);
        tcp.inet().drain();
        return 0;
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        if (finQueued || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) {
            return state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED ? Errno.ENOTCONN.number() : Errno.EPIPE.number();
        }
        snd.append(m);
        TcpOutput.output(this);
        tcp.inet().drain();
        return 0;
    }

    @Override
    public int sendSpace() {
        return snd.space();
    }

    @Override
    public void rcvd() {
        TcpOutput.output(this);
        tcp.inet().drain();
    }

    /** tcp_usrclosed: no more data from the user (RFC 9293 3.10.4 CLOSE). */
    private void userClosed() {
        switch (state) {
            case CLOSED, LISTEN, SYN_SENT -> {
                close();
                return;
            }
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.FIN_WAIT_1;
            case CLOSE_WAIT -> state = TcpState.LAST_ACK;
            default -> {
                return;
            }
        }
        finQueued = true;
        TcpOutput.output(this);
    }

    @Override
    public int shutdownOutput() {
        userClosed();
        tcp.inet().drain();
        return 0;
    }

    @Override
    public int disconnect() {
        if (rcv.cc() > 0 && state.synchronized_()) {
            // RFC 9293 3.10.4 / RFC 2525 2.17: closing with unread data resets the connection
            drop(0);
        } else {
            if (so != null && state.synchronized_()) so.isDisconnecting();
            rcv.flush();
            userClosed();
        }
        tcp.inet().drain();
        return 0;
    }

    @Override
    public void abort() {
        drop(Errno.ECONNABORTED.number());
        tcp.inet().drain();
    }

    @Override
    public void detach() {
        so = null;
        switch (state) {
            case CLOSED, LISTEN, SYN_SENT -> close();
            case FIN_WAIT_2 -> twoMslTimer.at(now() + tcp.tunables().finWait2TimeoutNanos);
            default -> {
            }
        }
        tcp.inet().drain();
    }

    @Override
    public Sockaddr sockaddr() {
        return laddr.sockaddr(v6, lport);
    }

    @Override
    public Sockaddr peeraddr() {
        return fport == 0 ? null : faddr.sockaddr(v6, fport);
    }

    @Override
    public int setopt(int level, int name, ByteBuffer val) {
        if (level == Sys.IPPROTO_IPV6 && v6) {
            if (name == Sys.IPV6_V6ONLY && lport != 0) return Errno.EINVAL.number();
            return jrump.net.netinet.InOptions.setIp6(level, name, val, v -> hops = v, v -> tclass = v, v -> v6only = v != 0);
        }
        if (level != Sys.IPPROTO_TCP) return jrump.net.netinet.InOptions.setIp(level, name, val, v -> ttl = v, v -> tos = v);
        if (val.remaining() < 4) return Errno.EINVAL.number();
        int v = val.order(ByteOrder.nativeOrder()).getInt(val.position());
        switch (name) {
            case Sys.TCP_NODELAY -> {
                nodelay = v != 0;
                TcpOutput.output(this);
                tcp.inet().drain();
            }
            case Sys.TCP_MAXSEG -> {
                if (v < 64 || v > 65535) return Errno.EINVAL.number();
                userMss = v;
                if (mss > v) mss = v;
            }
            case Sys.TCP_KEEPIDLE, Sys.TCP_KEEPINTVL -> {
                if (v < 1) return Errno.EINVAL.number();
                if (name == Sys.TCP_KEEPIDLE) keepIdleNanos = v * 1_000_000_000L;
                else keepIntervalNanos = v * 1_000_000_000L;
            }
            case Sys.TCP_KEEPCNT -> {
                if (v < 1) return Errno.EINVAL.number();
                keepCount = v;
            }
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    @Override
    public int getopt(int level, int name, ByteBuffer out) {
        if (level == Sys.IPPROTO_IPV6 && v6) {
            return jrump.net.netinet.InOptions.getIp6(level, name, out, hops >= 0 ? hops : tcp.inet().tunables().hopLimit, tclass, v6only);
        }
        if (level != Sys.IPPROTO_TCP) return jrump.net.netinet.InOptions.getIp(level, name, out, ttl, tos);
        if (out.remaining() < 4) return Errno.EINVAL.number();
        out.order(ByteOrder.nativeOrder());
        switch (name) {
            case Sys.TCP_NODELAY -> out.putInt(nodelay ? 1 : 0);
            case Sys.TCP_MAXSEG -> out.putInt(mss > 0 ? mss : (userMss > 0 ? userMss : tcp.tunables().defaultMss));
            case Sys.TCP_KEEPIDLE -> out.putInt((int) (keepIdle() / 1_000_000_000L));
            case Sys.TCP_KEEPINTVL -> out.putInt((int) (keepInterval() / 1_000_000_000L));
            case Sys.TCP_KEEPCNT -> out.putInt(keepCountLimit());
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "tcpcb " + laddr + ":" + lport + " -> " + faddr + ":" + fport + " " + state;
    }
}
