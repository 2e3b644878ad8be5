package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.net.netinet.tcp.SynCacheStats;
import jrump.net.netinet.tcp.TcpState;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * The SYN cache and SYN cookies at the packet level (RFC 4987 3.3 and 3.6; NetBSD's syn_cache): crafted
 * segments in through a tap, what the stack answers checked.
 */
class TcpSynCacheTest {
    static final int US = SockaddrIn.parse("10.1.0.1");
    static final int PEER = SockaddrIn.parse("10.1.0.2");
    static final int PORT = 80;
    static final int SYN = TcpHeader.SYN;
    static final int ACK = TcpHeader.ACK_FLAG;

    /** A segment the stack sent: flags, numbers, the options that matter here and the raw packet. */
    record Seg(int flags, int seq, int ack, int mss, int wscale, boolean sackOk, int tsVal, int tsEcr, int dataLen, byte[] raw) {
        boolean has(int f) {
            return (flags & f) != 0;
        }
    }

    SimNet net;
    Inet inet;
    TcpRfc9293Test.TapIf tap;
    int peerPort = 40000;

    @BeforeEach
    void setUp() {
        net = new SimNet(7);
        inet = net.stack();
        tap = new TcpRfc9293Test.TapIf();
        inet.attach(tap);
        inet.addAddress(tap, US, 24);
    }

    SimSocket listen() {
        SimSocket l = SimSocket.tcp(inet, 65535);
        l.pcb.bind(new SockaddrIn(US, PORT));
        l.pcb.listen(5);
        return l;
    }

    /** A segment from {@code src}:{@code sport}; options MSS (if > 0), window scale (if >= 0), SACK-permitted, timestamps (if tsVal != 0). */
    List<Seg> inject(int src, int sport, int flags, int seq, int ack, int mss, int wscale, boolean sackOk, int tsVal, int tsEcr, int dataLen) {
        int opt = (mss > 0 ? 4 : 0) + (wscale >= 0 ? 4 : 0) + (sackOk ? 4 : 0) + (tsVal != 0 ? 12 : 0);
        int tlen = 20 + opt + dataLen;
        byte[] p = new byte[20 + tlen];
        Mbuf m = Mbuf.wrap(p);
        m.put8(0, 0x45);
        m.put16(2, p.length);
        m.put8(8, 64);
        m.put8(9, Sys.IPPROTO_TCP);
        m.put32(12, src);
        m.put32(16, US);
        m.put16(10, InCksum.of(m, 0, 20));
        m.put16(20, sport);
        m.put16(22, PORT);
        m.put32(24, seq);
        m.put32(28, ack);
        m.put8(32, ((20 + opt) / 4) << 4);
        m.put8(33, flags);
        m.put16(34, 65535);
        int o = 40;
        if (mss > 0) {
            m.put8(o, TcpHeader.OPT_MSS);
            m.put8(o + 1, 4);
            m.put16(o + 2, mss);
            o += 4;
        }
        if (wscale >= 0) {
            m.put8(o, TcpHeader.OPT_NOP);
            m.put8(o + 1, TcpHeader.OPT_WSCALE);
            m.put8(o + 2, 3);
            m.put8(o + 3, wscale);
            o += 4;
        }
        if (sackOk) {
            m.put8(o, TcpHeader.OPT_NOP);
            m.put8(o + 1, TcpHeader.OPT_NOP);
            m.put8(o + 2, TcpHeader.OPT_SACK_PERMITTED);
            m.put8(o + 3, 2);
            o += 4;
        }
        if (tsVal != 0) {
            m.put8(o, TcpHeader.OPT_NOP);
            m.put8(o + 1, TcpHeader.OPT_NOP);
            m.put8(o + 2, TcpHeader.OPT_TIMESTAMP);
            m.put8(o + 3, 10);
            m.put32(o + 4, tsVal);
            m.put32(o + 8, tsEcr);
        }
        long sum = InPorts.pseudoSum(src, US, Sys.IPPROTO_TCP, tlen);
        m.put16(36, InCksum.fold(InCksum.add(sum, m, 20, tlen)));
        tap.sent.clear();
        tap.deliver(Mbuf.wrap(p));
        inet.drain();
        return sent();
    }

    List<Seg> syn(int seq, int mss) {
        return inject(PEER, peerPort, SYN, seq, 0, mss, -1, false, 0, 0, 0);
    }

    List<Seg> ack(int seq, int ack) {
        return inject(PEER, peerPort, ACK, seq, ack, 0, -1, false, 0, 0, 0);
    }

    List<Seg> sent() {
        List<Seg> out = new ArrayList<>();
        for (byte[] b : tap.sent) {
            Mbuf m = Mbuf.wrap(b);
            int ihl = (m.u8(0) & 0xf) * 4;
            if (m.u8(9) != Sys.IPPROTO_TCP) continue;
            int off = (m.u8(ihl + 12) >>> 4) * 4;
            int mss = -1;
            int ws = -1;
            boolean sackOk = false;
            int tsVal = 0;
            int tsEcr = 0;
            for (int i = ihl + 20; i < ihl + off; ) {
                int kind = m.u8(i);
                if (kind == 0) break;
                if (kind == 1) {
                    i++;
                    continue;
                }
                if (kind == TcpHeader.OPT_MSS) mss = m.u16(i + 2);
                if (kind == TcpHeader.OPT_WSCALE) ws = m.u8(i + 2);
                if (kind == TcpHeader.OPT_SACK_PERMITTED) sackOk = true;
                if (kind == TcpHeader.OPT_TIMESTAMP) {
                    tsVal = m.i32(i + 2);
                    tsEcr = m.i32(i + 6);
                }
                i += m.u8(i + 1);
            }
            assertThat(InCksum.fold(InCksum.add(InPorts.pseudoSum(m.i32(12), m.i32(16), Sys.IPPROTO_TCP, b.length - ihl),
                    m, ihl, b.length - ihl))).as("checksum of what the stack sent").isZero();
            out.add(new Seg(m.u8(ihl + 13), m.i32(ihl + 4), m.i32(ihl + 8), mss, ws, sackOk, tsVal, tsEcr,
                    b.length - ihl - off, b));
        }
        tap.sent.clear();
        return out;
    }

    SynCacheStats stats() {
        return inet.tcp().synCacheStats();
    }

    @Test
    void syn_getsSynAckFromTheCache_ackCompletesIt() {
        SimSocket l = listen();
        List<Seg> r = syn(1000, 1400);
        assertThat(r).hasSize(1);
        Seg sa = r.getFirst();
        assertThat(sa.flags()).isEqualTo(SYN | ACK);
        assertThat(sa.ack()).isEqualTo(1001);
        assertThat(sa.mss()).isEqualTo(1460);
        assertThat(stats().size()).isEqualTo(1);
        assertThat(inet.tcp().connectionCount()).as("no connection block for a half-open connection").isEqualTo(1);
        assertThat(syn(1000, 1400)).as("a retransmitted SYN gets the same SYN-ACK again")
                .singleElement().satisfies(x -> assertThat(x.seq()).isEqualTo(sa.seq()));
        assertThat(stats().size()).isEqualTo(1);
        assertThat(ack(1001, sa.seq() + 1)).isEmpty();
        assertThat(l.accept()).isNotNull();
        assertThat(inet.tcp().count(TcpState.ESTABLISHED)).isEqualTo(1);
        assertThat(stats().size()).isZero();
        assertThat(stats().completed()).isEqualTo(1);
    }

    @Test
    void handshakeAckLost_laterDataSegmentsCompleteIt() { // RFC 9293 3.10.7.4: acceptable, not exactly RCV.NXT
        SimSocket l = listen();
        Seg sa = syn(1000, 1400).getFirst();
        // the pure ACK and the first 100-byte segment are lost: the second segment arrives first
        List<Seg> r = inject(PEER, peerPort, ACK, 1101, sa.seq() + 1, 0, -1, false, 0, 0, 100);
        assertThat(r).as("no reset").noneMatch(x -> x.has(TcpHeader.RST));
        assertThat(r).as("a duplicate ACK for the hole").anySatisfy(x -> assertThat(x.ack()).isEqualTo(1001));
        assertThat(inet.tcp().count(TcpState.ESTABLISHED)).isEqualTo(1);
        assertThat(stats().completed()).isEqualTo(1);
        assertThat(inject(PEER, peerPort, ACK, 1001, sa.seq() + 1, 0, -1, false, 0, 0, 100))
                .anySatisfy(x -> assertThat(x.ack()).isEqualTo(1201));
        assertThat(l.accept()).isNotNull();
    }

    @Test
    void handshakeAck_outsideTheWindow_restatesTheSynAck_withoutReset() {
        listen();
        Seg sa = syn(1000, 1400).getFirst();
        List<Seg> r = inject(PEER, peerPort, ACK, 1001 + 70_000, sa.seq() + 1, 0, -1, false, 0, 0, 10);
        assertThat(r).singleElement().satisfies(x -> assertThat(x.flags()).isEqualTo(SYN | ACK));
        assertThat(stats().size()).isEqualTo(1);
        assertThat(ack(1001, sa.seq() + 1)).noneMatch(x -> x.has(TcpHeader.RST));
        assertThat(inet.tcp().count(TcpState.ESTABLISHED)).isEqualTo(1);
    }

    @Test
    void ackNotForOurSynAck_isReset_andTheEntryStays() { // RFC 9293 3.10.7.2
        listen();
        Seg sa = syn(1000, 1400).getFirst();
        List<Seg> r = ack(1001, sa.seq() + 5);
        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.flags()).isEqualTo(TcpHeader.RST);
            assertThat(x.seq()).isEqualTo(sa.seq() + 5);
        });
        assertThat(stats().size()).isEqualTo(1);
    }

    @Test
    void synAck_isRetransmittedWithBackoff_thenTheEntryExpires() { // RFC 6298 5.5
        listen();
        syn(1000, 1400);
        List<Long> times = new ArrayList<>();
        long start = net.now();
        while (net.now() - start < 30_000_000_000L) {
            net.advance(10_000_000L);
            for (Seg s : sent()) {
                assertThat(s.flags()).isEqualTo(SYN | ACK);
                times.add(net.now() - start);
            }
        }
        int n = inet.tcp().tunables().synCacheRetransmits;
        assertThat(times).hasSize(n);
        for (int i = 0; i < n; i++) {
            long expected = ((1L << (i + 1)) - 1) * 1_000_000_000L; // 1, 3, 7 s
            assertThat(times.get(i)).isBetween(expected, expected + 20_000_000L);
        }
        assertThat(stats().size()).isZero();
        assertThat(stats().timedOut()).isEqualTo(1);
        assertThat(inet.tcp().connectionCount()).isEqualTo(1);
    }

    @Test
    void rst_removesTheEntry_onlyAtExactlyRcvNxt() { // RFC 5961 3.2
        SimSocket l = listen();
        Seg sa = syn(1000, 1400).getFirst();
        assertThat(inject(PEER, peerPort, TcpHeader.RST, 1500, 0, 0, -1, false, 0, 0, 0)).isEmpty();
        assertThat(stats().size()).as("a RST off RCV.NXT changes nothing").isEqualTo(1);
        assertThat(inject(PEER, peerPort, TcpHeader.RST, 1001, 0, 0, -1, false, 0, 0, 0)).isEmpty();
        assertThat(stats().size()).isZero();
        assertThat(stats().reset()).isEqualTo(1);
        assertThat(ack(1001, sa.seq() + 1)).as("the handshake is gone: the ACK is reset").singleElement()
                .satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
        assertThat(l.accept()).isNull();
    }

    /** An ICMP port unreachable from the peer quoting our SYN-ACK. */
    void icmpUnreachableFor(Seg synAck) {
        byte[] quoted = synAck.raw();
        int ql = 20 + 8;
        byte[] p = new byte[20 + 8 + ql];
        Mbuf m = Mbuf.wrap(p);
        m.put8(0, 0x45);
        m.put16(2, p.length);
        m.put8(8, 64);
        m.put8(9, Sys.IPPROTO_ICMP);
        m.put32(12, PEER);
        m.put32(16, US);
        m.put16(10, InCksum.of(m, 0, 20));
        m.put8(20, 3); // RFC 792: destination unreachable
        m.put8(21, 3); // port unreachable
        System.arraycopy(quoted, 0, p, 28, ql);
        m.put16(22, InCksum.of(m, 20, 8 + ql));
        tap.deliver(Mbuf.wrap(p));
        inet.drain();
    }

    @Test
    void icmpUnreachable_dropsTheEntryOnlyAfterARetransmission() {
        listen();
        Seg sa = syn(1000, 1400).getFirst();
        icmpUnreachableFor(sa);
        assertThat(stats().size()).as("one (perhaps forged) ICMP error does not kill a fresh handshake").isEqualTo(1);
        net.advance(1_100_000_000L);
        Seg again = sent().getFirst();
        assertThat(again.seq()).isEqualTo(sa.seq());
        icmpUnreachableFor(again);
        assertThat(stats().size()).isZero();
        assertThat(stats().unreach()).isEqualTo(1);
    }

    @Test
    void icmpUnreachable_forAnotherSequenceNumber_isIgnored() {
        listen();
        Seg sa = syn(1000, 1400).getFirst();
        net.advance(1_100_000_000L);
        byte[] forged = sa.raw().clone();
        Mbuf.wrap(forged).put32(24, sa.seq() + 1);
        icmpUnreachableFor(new Seg(sa.flags(), sa.seq() + 1, sa.ack(), -1, -1, false, 0, 0, 0, forged));
        assertThat(stats().size()).isEqualTo(1);
    }

    @Test
    void cacheFull_synGetsACookie_whoseAckRebuildsTheConnection_withItsOptions() { // RFC 4987 3.6
        SimSocket l = listen();
        inet.tcp().tunables().synCacheListenerLimit = 0;
        Seg sa = inject(PEER, peerPort, SYN, 5000, 0, 1400, 7, true, 12345, 0, 0).getFirst();
        assertThat(sa.flags()).isEqualTo(SYN | ACK);
        assertThat(sa.wscale()).isGreaterThanOrEqualTo(0);
        assertThat(sa.sackOk()).isTrue();
        assertThat(sa.tsEcr()).isEqualTo(12345);
        assertThat(stats().size()).as("a cookie keeps no state").isZero();
        assertThat(stats().cookiesSent()).isEqualTo(1);
        assertThat(inet.tcp().connectionCount()).isEqualTo(1);
        net.advance(50_000_000L);
        assertThat(inject(PEER, peerPort, ACK, 5001, sa.seq() + 1, 0, -1, false, 12400, sa.tsVal(), 0)).isEmpty();
        SimSocket conn = l.accept();
        assertThat(conn).isNotNull();
        assertThat(stats().cookiesReceived()).isEqualTo(1);
        assertThat(inet.tcp().count(TcpState.ESTABLISHED)).isEqualTo(1);
        // the MSS came back from the cookie (1400 -> 1360 of the table) less the timestamp option
        conn.pcb.send(Mbuf.wrap(new byte[3000]), null, 0);
        List<Seg> data = sent();
        assertThat(data).isNotEmpty();
        assertThat(data.getFirst().dataLen()).isEqualTo(1360 - 12);
        assertThat(data.getFirst().tsEcr()).as("timestamps on: the ACK's TSval echoed").isEqualTo(12400);
        assertThat(data.getFirst().seq()).isEqualTo(sa.seq() + 1);
    }

    @Test
    void cookieWithoutTimestamps_rebuildsWithTheMssOnly() {
        SimSocket l = listen();
        inet.tcp().tunables().synCacheListenerLimit = 0;
        Seg sa = syn(9000, 1000).getFirst();
        assertThat(ack(9001, sa.seq() + 1)).isEmpty();
        SimSocket conn = l.accept();
        assertThat(conn).isNotNull();
        conn.pcb.send(Mbuf.wrap(new byte[3000]), null, 0);
        assertThat(sent().getFirst().dataLen()).as("1000 -> 536 of the table").isEqualTo(536);
    }

    @Test
    void stackLimit_boundsTheCache_beyondItCookies() {
        listen();
        inet.tcp().tunables().synCacheLimit = 2;
        for (int i = 0; i < 5; i++) {
            peerPort++;
            assertThat(syn(1000 * i, 1400)).singleElement().satisfies(x -> assertThat(x.flags()).isEqualTo(SYN | ACK));
        }
        assertThat(stats().size()).isEqualTo(2);
        assertThat(stats().highWater()).isEqualTo(2);
        assertThat(stats().cookiesSent()).isEqualTo(3);
    }

    @Test
    void acceptQueueFull_synGetsACookie() {
        SimSocket l = listen();
        l.backlog = -1;
        syn(1000, 1400);
        assertThat(stats().cookiesSent()).isEqualTo(1);
        assertThat(stats().size()).isZero();
    }

    @Test
    void forgedCookieAcks_areRejected() {
        SimSocket l = listen();
        inet.tcp().tunables().synCacheListenerLimit = 0;
        Seg sa = syn(5000, 1400).getFirst();
        assertThat(ack(5001, sa.seq() + 2)).as("a cookie off by one").singleElement()
                .satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
        assertThat(ack(5002, sa.seq() + 1)).as("the cookie with another peer ISS").singleElement()
                .satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
        peerPort++;
        assertThat(ack(5001, sa.seq() + 1)).as("the cookie from another port").singleElement()
                .satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
        peerPort--;
        java.util.SplittableRandom r = new java.util.SplittableRandom(99);
        for (int i = 0; i < 2000; i++) ack(r.nextInt(), r.nextInt());
        assertThat(l.accept()).as("no forged ACK became a connection").isNull();
        assertThat(inet.tcp().connectionCount()).isEqualTo(1);
        assertThat(stats().cookiesInvalid()).isEqualTo(2003);
        assertThat(stats().cookiesReceived()).isZero();
    }

    @Test
    void cookie_expiresAfterTwoSecretPeriods() {
        SimSocket l = listen();
        inet.tcp().tunables().synCacheListenerLimit = 0;
        Seg sa = syn(5000, 1400).getFirst();
        net.advance(2 * inet.tcp().tunables().synCookiePeriodNanos);
        assertThat(ack(5001, sa.seq() + 1)).singleElement().satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
        assertThat(l.accept()).isNull();
    }

    @Test
    void cookiesOff_fullCacheEvictsTheOldest() {
        listen();
        inet.tcp().tunables().synCookies = false;
        inet.tcp().tunables().synCacheListenerLimit = 2;
        Seg first = syn(100, 1400).getFirst();
        peerPort++;
        syn(200, 1400);
        peerPort++;
        syn(300, 1400);
        assertThat(stats().size()).isEqualTo(2);
        assertThat(stats().overflowed()).isEqualTo(1);
        assertThat(stats().cookiesSent()).isZero();
        peerPort = 40000;
        assertThat(ack(101, first.seq() + 1)).as("the oldest was evicted").singleElement()
                .satisfies(x -> assertThat(x.flags()).isEqualTo(TcpHeader.RST));
    }

    @Test
    void closingTheListener_forgetsItsHalfOpenConnections() {
        SimSocket l = listen();
        for (int i = 0; i < 10; i++) {
            peerPort++;
            syn(100 * i, 1400);
        }
        assertThat(stats().size()).isEqualTo(10);
        l.pcb.detach();
        assertThat(stats().size()).isZero();
        net.advance(30_000_000_000L);
        assertThat(tap.sent).as("no SYN-ACK retransmitted for a closed listener").isEmpty();
    }
}
