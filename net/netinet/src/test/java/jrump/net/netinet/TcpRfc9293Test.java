package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.net.netinet.tcp.TcpState;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.Errno;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;

/**
 * TCP at the packet level: segments crafted by hand go into a stack through a tap interface and what it
 * sends back is checked against RFC 9293 (section and requirement named in each test) and RFC 5961.
 */
class TcpRfc9293Test {
    static final int US = SockaddrIn.parse("10.1.0.1");
    static final int PEER = SockaddrIn.parse("10.1.0.2");
    static final int PORT = 80;
    static final int PEER_PORT = 40000;

    /** What the stack sent, parsed. */
    record Seg(int flags, int seq, int ack, int window, int dataLen, int mss) {
        boolean has(int f) {
            return (flags & f) != 0;
        }
    }

    /** An interface without a link header whose output the test reads and whose input the test writes. */
    static final class TapIf extends Ifnet {
        final List<byte[]> sent = new ArrayList<>();

        TapIf() {
            super("tap0", LinkType.LOOPBACK, 1500, IFF_UP | IFF_RUNNING, null);
        }

        @Override
        protected void transmit(Mbuf frame) {
            sent.add(Mbuf.toArray(frame));
        }
    }

    SimNet net;
    Inet inet;
    TapIf tap;

    @BeforeEach
    void setUp() {
        net = new SimNet(42);
        inet = net.stack();
        tap = new TapIf();
        inet.attach(tap);
        inet.addAddress(tap, US, 24);
        inet.tcp().tunables().timestamps = false; // plain segments keep the crafted ones short
        inet.tcp().tunables().windowScaling = false;
    }

    /** Sends a segment from the peer; returns what the stack answered (possibly nothing). */
    List<Seg> inject(int flags, int seq, int ack, int window, byte[] data, int mss) {
        int opt = mss > 0 ? 4 : 0;
        int tlen = 20 + opt + data.length;
        byte[] p = new byte[20 + tlen];
        Mbuf m = Mbuf.wrap(p);
        m.put8(0, 0x45);
        m.put16(2, p.length);
        m.put8(8, 64);
        m.put8(9, Sys.IPPROTO_TCP);
        m.put32(12, PEER);
        m.put32(16, US);
        m.put16(10, InCksum.of(m, 0, 20));
        m.put16(20, PEER_PORT);
        m.put16(22, PORT);
        m.put32(24, seq);
        m.put32(28, ack);
        m.put8(32, ((20 + opt) / 4) << 4);
        m.put8(33, flags);
        m.put16(34, window);
        if (mss > 0) {
            m.put8(40, TcpHeader.OPT_MSS);
            m.put8(41, 4);
            m.put16(42, mss);
        }
        System.arraycopy(data, 0, p, 20 + 20 + opt, data.length);
        long sum = InPorts.pseudoSum(PEER, US, Sys.IPPROTO_TCP, tlen);
        m.put16(36, InCksum.fold(InCksum.add(sum, m, 20, tlen)));
        tap.sent.clear();
        tap.deliver(Mbuf.wrap(p));
        inet.drain();
        return sent();
    }

    List<Seg> sent() {
        List<Seg> out = new ArrayList<>();
        for (byte[] b : tap.sent) {
            Mbuf m = Mbuf.wrap(b);
            int ihl = (m.u8(0) & 0xf) * 4;
            int off = (m.u8(ihl + 12) >>> 4) * 4;
            int mss = -1;
            for (int i = ihl + 20; i < ihl + off; ) {
                int kind = m.u8(i);
                if (kind == 0) break;
                if (kind == 1) {
                    i++;
                    continue;
                }
                if (kind == TcpHeader.OPT_MSS) mss = m.u16(i + 2);
                i += m.u8(i + 1);
            }
            assertThat(InCksum.fold(InCksum.add(InPorts.pseudoSum(m.i32(12), m.i32(16), Sys.IPPROTO_TCP, b.length - ihl),
                    m, ihl, b.length - ihl))).as("checksum of what the stack sent").isZero();
            out.add(new Seg(m.u8(ihl + 13), m.i32(ihl + 4), m.i32(ihl + 8), m.u16(ihl + 14), b.length - ihl - off, mss));
        }
        tap.sent.clear();
        return out;
    }

    SimSocket listen() {
        SimSocket l = SimSocket.tcp(inet, 65535);
        l.pcb.bind(new SockaddrIn(US, PORT));
        l.pcb.listen(5);
        return l;
    }

    /** Completes a passive open; returns our ISS. */
    int handshake(SimSocket l, int peerIss) {
        Seg synAck = inject(TcpHeader.SYN, peerIss, 0, 65535, new byte[0], 1460).getFirst();
        inject(TcpHeader.ACK_FLAG, peerIss + 1, synAck.seq() + 1, 65535, new byte[0], 0);
        return synAck.seq();
    }

    @Test
    void closed_synIsAnsweredWithRstAck_ackingTheSyn() { // RFC 9293 3.10.7.1
        List<Seg> r = inject(TcpHeader.SYN, 1000, 0, 65535, new byte[0], 0);
        assertThat(r).hasSize(1);
        assertThat(r.getFirst().flags()).isEqualTo(TcpHeader.RST | TcpHeader.ACK_FLAG);
        assertThat(r.getFirst().seq()).isZero();
        assertThat(r.getFirst().ack()).isEqualTo(1001);
    }

    @Test
    void closed_ackIsAnsweredWithRst_seqFromTheAck() { // RFC 9293 3.10.7.1
        List<Seg> r = inject(TcpHeader.ACK_FLAG, 1000, 5555, 65535, new byte[0], 0);
        assertThat(r).containsExactly(new Seg(TcpHeader.RST, 5555, 0, 0, 0, -1));
        assertThat(inject(TcpHeader.RST, 1000, 0, 0, new byte[0], 0)).as("a RST is never answered").isEmpty();
    }

    @Test
    void listen_synGetsSynAck_withMssOption() { // RFC 9293 3.10.7.2 and 3.7.1 (MUST-14: send MSS on SYN)
        listen();
        List<Seg> r = inject(TcpHeader.SYN, 7000, 0, 65535, new byte[0], 1000);
        assertThat(r).hasSize(1);
        Seg s = r.getFirst();
        assertThat(s.flags()).isEqualTo(TcpHeader.SYN | TcpHeader.ACK_FLAG);
        assertThat(s.ack()).isEqualTo(7001);
        assertThat(s.mss()).isEqualTo(1460);
        assertThat(inject(TcpHeader.ACK_FLAG, 7001, s.seq() + 7, 65535, new byte[0], 0))
                .as("an ACK outside SND.UNA..SND.NXT in SYN-RECEIVED gets a reset").containsExactly(new Seg(TcpHeader.RST, s.seq() + 7, 0, 0, 0, -1));
    }

    @Test
    void established_smallWindowHoldsDataBack_overrideTimerSendsIt() { // RFC 1122 4.2.3.4, RFC 9293 3.8.6.2.1
        SimSocket l = listen();
        handshake(l, 100);
        SimSocket conn = l.accept();
        conn.pcb.send(Mbuf.wrap(new byte[20000]), null, 0);
        List<Seg> flight = sent();
        assertThat(flight).isNotEmpty();
        Seg last = flight.getLast();
        // everything acknowledged, but the window offered is small: sender SWS avoidance holds the data back
        assertThat(inject(TcpHeader.ACK_FLAG, 101, last.seq() + last.dataLen(), 200, new byte[0], 0)).isEmpty();
        // without the override timeout nothing would move again if the peer's window update were lost
        net.advance(2_000_000_000L);
        List<Seg> forced = sent();
        assertThat(forced).as("the override timeout sends what the window allows").isNotEmpty();
        assertThat(forced.getFirst().seq()).isEqualTo(last.seq() + last.dataLen());
        assertThat(forced.getFirst().dataLen()).isEqualTo(200);
    }

    @Test
    void established_inOrderData_isAckedDelayed_thenEverySecondSegment() { // RFC 9293 3.8.6.3, MUST-40 / SHLD-19
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        assertThat(conn).isNotNull();
        assertThat(inject(TcpHeader.ACK_FLAG | TcpHeader.PSH, 101, iss + 1, 65535, new byte[100], 0)).as("first segment: ACK delayed").isEmpty();
        net.advance(499_000_000L);
        List<Seg> delayed = sent();
        assertThat(delayed).hasSize(1);
        assertThat(delayed.getFirst().ack()).isEqualTo(201);
        inject(TcpHeader.ACK_FLAG, 201, iss + 1, 65535, new byte[100], 0);
        List<Seg> second = inject(TcpHeader.ACK_FLAG, 301, iss + 1, 65535, new byte[100], 0);
        assertThat(second).as("the second full segment is acknowledged at once").hasSize(1);
        assertThat(second.getFirst().ack()).isEqualTo(401);
        assertThat(conn.rcv.cc()).isEqualTo(300);
    }

    @Test
    void established_outOfWindowSegment_getsAnAckAndIsDropped() { // RFC 9293 3.10.7.4 first
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        List<Seg> r = inject(TcpHeader.ACK_FLAG, 101 + 200_000, iss + 1, 65535, new byte[10], 0);
        assertThat(r).hasSize(1);
        assertThat(r.getFirst().ack()).isEqualTo(101);
        assertThat(conn.rcv.cc()).isZero();
    }

    @Test
    void established_outOfOrderData_getsImmediateDuplicateAck_thenTheHoleIsFilled() { // RFC 9293 3.10.7.4 seventh, RFC 5681 4.2
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        List<Seg> dup = inject(TcpHeader.ACK_FLAG, 201, iss + 1, 65535, new byte[100], 0);
        assertThat(dup).hasSize(1);
        assertThat(dup.getFirst().ack()).isEqualTo(101);
        List<Seg> filled = inject(TcpHeader.ACK_FLAG, 101, iss + 1, 65535, new byte[100], 0);
        assertThat(filled.getLast().ack()).isEqualTo(301);
        assertThat(conn.rcv.cc()).isEqualTo(200);
    }

    @Test
    void established_rstNotAtRcvNxt_getsChallengeAck_exactRstResets() { // RFC 5961 3.2
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        List<Seg> r = inject(TcpHeader.RST, 150, 0, 0, new byte[0], 0);
        assertThat(r).hasSize(1);
        assertThat(r.getFirst().flags()).isEqualTo(TcpHeader.ACK_FLAG);
        assertThat(r.getFirst().ack()).isEqualTo(101);
        assertThat(conn.disconnected).isFalse();
        assertThat(inject(TcpHeader.RST, 101, 0, 0, new byte[0], 0)).isEmpty();
        assertThat(conn.error).isEqualTo(Errno.ECONNRESET.number());
        assertThat(inet.tcp().connectionCount()).isEqualTo(1); // only the listener
    }

    @Test
    void established_syn_getsChallengeAck() { // RFC 5961 4.2
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        List<Seg> r = inject(TcpHeader.SYN, 101, 0, 65535, new byte[0], 0);
        assertThat(r).hasSize(1);
        assertThat(r.getFirst().flags()).isEqualTo(TcpHeader.ACK_FLAG);
        assertThat(conn.disconnected).isFalse();
    }

    @Test
    void activeClose_timeWaitLastsTwoMsl() { // RFC 9293 3.10.8 / MUST-13
        SimSocket l = listen();
        int iss = handshake(l, 100);
        SimSocket conn = l.accept();
        conn.pcb.disconnect();
        List<Seg> fin = sent();
        assertThat(fin).hasSize(1);
        assertThat(fin.getFirst().has(TcpHeader.FIN)).isTrue();
        inject(TcpHeader.ACK_FLAG | TcpHeader.FIN, 101, iss + 2, 65535, new byte[0], 0);
        assertThat(inet.tcp().count(TcpState.TIME_WAIT)).isEqualTo(1);
        long msl = inet.tcp().tunables().mslNanos;
        net.advance(2 * msl - 1_000_000_000L);
        assertThat(inet.tcp().count(TcpState.TIME_WAIT)).as("still in TIME-WAIT before 2 MSL").isEqualTo(1);
        // a retransmitted FIN in TIME-WAIT is acknowledged again
        List<Seg> again = inject(TcpHeader.ACK_FLAG | TcpHeader.FIN, 101, iss + 2, 65535, new byte[0], 0);
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().ack()).isEqualTo(102);
        net.advance(2 * msl + 1_000_000_000L);
        assertThat(inet.tcp().count(TcpState.TIME_WAIT)).isZero();
    }

    @Test
    void retransmission_backsOffExponentially_andGivesUp() { // RFC 6298 (5.5), RFC 9293 3.8.3 R2
        SimSocket c = SimSocket.tcp(inet, 65535);
        inet.tcp().tunables().maxSynRetransmits = 3;
        c.pcb.connect(new SockaddrIn(PEER, PORT));
        List<Long> times = new ArrayList<>();
        times.add(net.now());
        assertThat(sent()).hasSize(1);
        for (int i = 0; i < 3; i++) {
            long before = net.now();
            while (tap.sent.isEmpty()) net.advance(10_000_000L);
            times.add(net.now());
            assertThat(sent().getFirst().has(TcpHeader.SYN)).isTrue();
            assertThat(net.now() - before).isGreaterThan(0);
        }
        long d1 = times.get(2) - times.get(1);
        long d0 = times.get(1) - times.get(0);
        assertThat(d1).as("the second wait is twice the first").isBetween(2 * d0 - 20_000_000L, 2 * d0 + 20_000_000L);
        net.advance(60_000_000_000L);
        assertThat(c.error).isEqualTo(Errno.ETIMEDOUT.number());
        assertThat(inet.tcp().connectionCount()).isZero();
    }
    @Test
    void synReceived_isASynCacheEntry_theSocketComesWithTheAck() { // RFC 4987 3.3: no connection block before the ACK
        SimSocket l = listen();
        Seg synAck = inject(TcpHeader.SYN, 500, 0, 65535, new byte[0], 1460).getFirst();
        assertThat(l.embryos).as("no embryonic socket for a half-open connection").isEmpty();
        assertThat(inet.tcp().connectionCount()).as("only the listener").isEqualTo(1);
        assertThat(inet.tcp().synCacheStats().size()).isEqualTo(1);
        assertThat(inject(TcpHeader.ACK_FLAG, 501, synAck.seq() + 1, 65535, new byte[0], 0)).isEmpty();
        SimSocket conn = l.accept();
        assertThat(conn).isNotNull();
        assertThat(inet.tcp().count(TcpState.ESTABLISHED)).isEqualTo(1);
        assertThat(inet.tcp().synCacheStats().size()).isZero();
        conn.pcb.disconnect();
        List<Seg> fin = sent();
        assertThat(fin).hasSize(1);
        assertThat(fin.getFirst().has(TcpHeader.FIN)).isTrue();
        assertThat(fin.getFirst().seq()).isEqualTo(synAck.seq() + 1);
    }
}
