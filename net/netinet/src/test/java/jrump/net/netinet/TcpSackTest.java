package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * SACK at the packet level: segments with options crafted by hand go into a stack and what it sends back is
 * checked against RFC 2018 (negotiation, the blocks a receiver reports) and RFC 6675 (the sender retransmits
 * only what the scoreboard says is missing).
 */
class TcpSackTest {
    static final int US = SockaddrIn.parse("10.1.0.1");
    static final int PEER = SockaddrIn.parse("10.1.0.2");
    static final int PORT = 80;
    static final int PEER_PORT = 40000;
    static final int PEER_MSS = 1000;

    /** A segment the stack sent: its fields, its options by kind, and its SACK blocks as (left, right) pairs. */
    record Seg(int flags, int seq, int ack, int dataLen, int headerLen, Map<Integer, byte[]> options, int[] sack) {
        boolean has(int f) {
            return (flags & f) != 0;
        }
    }

    SimNet net;
    Inet inet;
    TcpRfc9293Test.TapIf tap;

    @BeforeEach
    void setUp() {
        net = new SimNet(42);
        inet = net.stack();
        tap = new TcpRfc9293Test.TapIf();
        inet.attach(tap);
        inet.addAddress(tap, US, 24);
    }

    static byte[] mss(int v) {
        return new byte[] {TcpHeader.OPT_MSS, 4, (byte) (v >> 8), (byte) v};
    }

    static final byte[] SACK_PERMITTED = {TcpHeader.OPT_NOP, TcpHeader.OPT_NOP, TcpHeader.OPT_SACK_PERMITTED, 2};
    static final byte[] WSCALE = {TcpHeader.OPT_NOP, TcpHeader.OPT_WSCALE, 3, 0};
    static final byte[] TIMESTAMP = {TcpHeader.OPT_NOP, TcpHeader.OPT_NOP, TcpHeader.OPT_TIMESTAMP, 10, 0, 0, 0, 1, 0, 0, 0, 0};

    /** A SACK option (NOP, NOP, kind 5) with the given (left, right) pairs. */
    static byte[] sack(int... edges) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(TcpHeader.OPT_NOP);
        b.write(TcpHeader.OPT_NOP);
        b.write(TcpHeader.OPT_SACK);
        b.write(2 + 4 * edges.length);
        for (int e : edges) {
            b.write(e >>> 24);
            b.write(e >>> 16);
            b.write(e >>> 8);
            b.write(e);
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** Sends a segment from the peer with {@code options} (a multiple of 4 bytes); returns what the stack answered. */
    List<Seg> inject(int flags, int seq, int ack, byte[] data, byte[] options) {
        int tlen = 20 + options.length + data.length;
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
        m.put8(32, ((20 + options.length) / 4) << 4);
        m.put8(33, flags);
        m.put16(34, 65535);
        System.arraycopy(options, 0, p, 40, options.length);
        System.arraycopy(data, 0, p, 40 + options.length, data.length);
        m.put16(36, InCksum.fold(InCksum.add(InPorts.pseudoSum(PEER, US, Sys.IPPROTO_TCP, tlen), m, 20, tlen)));
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
            Map<Integer, byte[]> opts = new LinkedHashMap<>();
            int[] sack = new int[0];
            for (int i = ihl + 20; i < ihl + off; ) {
                int kind = m.u8(i);
                if (kind == TcpHeader.OPT_EOL) break;
                if (kind == TcpHeader.OPT_NOP) {
                    i++;
                    continue;
                }
                int len = m.u8(i + 1);
                byte[] v = new byte[len - 2];
                for (int j = 0; j < v.length; j++) v[j] = (byte) m.u8(i + 2 + j);
                opts.put(kind, v);
                if (kind == TcpHeader.OPT_SACK) {
                    sack = new int[(len - 2) / 4];
                    for (int j = 0; j < sack.length; j++) sack[j] = m.i32(i + 2 + 4 * j);
                }
                i += len;
            }
            assertThat(InCksum.fold(InCksum.add(InPorts.pseudoSum(m.i32(12), m.i32(16), Sys.IPPROTO_TCP, b.length - ihl),
                    m, ihl, b.length - ihl))).as("checksum of what the stack sent").isZero();
            out.add(new Seg(m.u8(ihl + 13), m.i32(ihl + 4), m.i32(ihl + 8), b.length - ihl - off, off, opts, sack));
        }
        tap.sent.clear();
        return out;
    }

    SimSocket listen() {
        SimSocket l = SimSocket.tcp(inet, 256 * 1024);
        l.pcb.bind(new SockaddrIn(US, PORT));
        l.pcb.listen(5);
        return l;
    }

    /** A passive open with the peer's SYN carrying {@code synOptions}; returns our SYN,ACK. */
    Seg handshake(int peerIss, byte[] synOptions) {
        List<Seg> r = inject(TcpHeader.SYN, peerIss, 0, new byte[0], synOptions);
        assertThat(r).hasSize(1);
        Seg synAck = r.getFirst();
        inject(TcpHeader.ACK_FLAG, peerIss + 1, synAck.seq() + 1, new byte[0], new byte[0]);
        return synAck;
    }

    @Test
    void synWithSackPermitted_isAnsweredWithSackPermitted_besideWindowScaleAndTimestamps() { // RFC 2018 s2, RFC 7323 s3
        listen();
        Seg synAck = inject(TcpHeader.SYN, 7000, 0, new byte[0], concat(mss(PEER_MSS), WSCALE, SACK_PERMITTED, TIMESTAMP)).getFirst();
        assertThat(synAck.flags()).isEqualTo(TcpHeader.SYN | TcpHeader.ACK_FLAG);
        assertThat(synAck.options()).containsKeys(TcpHeader.OPT_MSS, TcpHeader.OPT_WSCALE, TcpHeader.OPT_SACK_PERMITTED, TcpHeader.OPT_TIMESTAMP);
        assertThat(synAck.options().get(TcpHeader.OPT_SACK_PERMITTED)).as("SACK-permitted has length 2").isEmpty();
        assertThat(synAck.headerLen() - 20).as("options within 40 bytes, padded to 4").isLessThanOrEqualTo(TcpHeader.MAX_OPTION_SPACE)
                .isEqualTo(20);
    }

    @Test
    void synWithoutSackPermitted_getsNone_andNoBlocksAreEverSent() { // RFC 2018 s2: SACK only when permitted
        SimSocket l = listen();
        Seg synAck = handshake(100, mss(PEER_MSS));
        assertThat(synAck.options()).doesNotContainKey(TcpHeader.OPT_SACK_PERMITTED);
        assertThat(l.accept()).isNotNull();
        List<Seg> r = inject(TcpHeader.ACK_FLAG, 301, synAck.seq() + 1, new byte[100], new byte[0]);
        assertThat(r).as("out of order data: an immediate duplicate ACK").hasSize(1);
        assertThat(r.getFirst().ack()).isEqualTo(101);
        assertThat(r.getFirst().options()).doesNotContainKey(TcpHeader.OPT_SACK);
    }

    @Test
    void tunableOff_neitherOffersNorAccepts() { // the per-stack switch (NetBSD's net.inet.tcp.sack.enable)
        inet.tcp().tunables().sack = false;
        listen();
        Seg synAck = inject(TcpHeader.SYN, 7000, 0, new byte[0], concat(mss(PEER_MSS), SACK_PERMITTED)).getFirst();
        assertThat(synAck.options()).doesNotContainKey(TcpHeader.OPT_SACK_PERMITTED);
        SimSocket c = SimSocket.tcp(inet, 65536);
        c.pcb.connect(new SockaddrIn(PEER, 9));
        assertThat(sent().getFirst().options()).doesNotContainKey(TcpHeader.OPT_SACK_PERMITTED);
    }

    @Test
    void activeOpen_offersSackPermitted() { // RFC 2018 s2: SACK-permitted MAY be sent on a SYN; on by default here
        SimSocket c = SimSocket.tcp(inet, 65536);
        c.pcb.connect(new SockaddrIn(PEER, 9));
        Seg syn = sent().getFirst();
        assertThat(syn.has(TcpHeader.SYN)).isTrue();
        assertThat(syn.options()).containsKeys(TcpHeader.OPT_SACK_PERMITTED, TcpHeader.OPT_TIMESTAMP, TcpHeader.OPT_WSCALE);
        assertThat(syn.headerLen() - 20).isLessThanOrEqualTo(TcpHeader.MAX_OPTION_SPACE);
    }

    @Test
    void receiver_reportsHoles_mostRecentBlockFirst() { // RFC 2018 s4
        inet.tcp().tunables().timestamps = false;
        SimSocket l = listen();
        Seg synAck = handshake(100, concat(mss(PEER_MSS), SACK_PERMITTED));
        assertThat(synAck.options()).containsKey(TcpHeader.OPT_SACK_PERMITTED);
        assertThat(l.accept()).isNotNull();
        int ack = synAck.seq() + 1;
        // data 101.. : 101-200 is lost
        Seg a = inject(TcpHeader.ACK_FLAG, 201, ack, new byte[100], new byte[0]).getFirst();
        assertThat(a.ack()).isEqualTo(101);
        assertThat(a.sack()).containsExactly(201, 301);
        a = inject(TcpHeader.ACK_FLAG, 401, ack, new byte[100], new byte[0]).getFirst();
        assertThat(a.sack()).as("the block of the latest segment first, then the one reported before").containsExactly(401, 501, 201, 301);
        a = inject(TcpHeader.ACK_FLAG, 301, ack, new byte[100], new byte[0]).getFirst();
        assertThat(a.sack()).as("301-400 joins both blocks into one").containsExactly(201, 501);
        for (int s = 601; s <= 1401; s += 200) a = inject(TcpHeader.ACK_FLAG, s, ack, new byte[100], new byte[0]).getFirst();
        assertThat(a.sack()).as("at most 4 blocks without timestamps (RFC 2018 s3), most recent first")
                .containsExactly(1401, 1501, 1201, 1301, 1001, 1101, 801, 901);
        assertThat(a.headerLen() - 20).isEqualTo(36);
        a = inject(TcpHeader.ACK_FLAG, 101, ack, new byte[100], new byte[0]).getFirst();
        assertThat(a.ack()).as("the hole filled: the ACK covers 101-500").isEqualTo(501);
        assertThat(a.sack()).as("blocks the ACK covers are gone; the rest still reported")
                .containsExactly(1401, 1501, 1201, 1301, 1001, 1101, 801, 901);
        for (int s = 501; s <= 1301; s += 100) a = inject(TcpHeader.ACK_FLAG, s, ack, new byte[100], new byte[0]).getLast();
        assertThat(a.ack()).isEqualTo(1501);
        assertThat(a.options()).as("nothing out of order: no SACK option").doesNotContainKey(TcpHeader.OPT_SACK);
    }

    @Test
    void receiver_withTimestamps_reportsAtMostThreeBlocks() { // RFC 2018 s3: 10 + 2 bytes of timestamp leave room for 3
        SimSocket l = listen();
        Seg synAck = handshake(100, concat(mss(PEER_MSS), SACK_PERMITTED, TIMESTAMP));
        assertThat(synAck.options()).containsKeys(TcpHeader.OPT_SACK_PERMITTED, TcpHeader.OPT_TIMESTAMP);
        assertThat(l.accept()).isNotNull();
        Seg a = null;
        for (int s = 201; s <= 1001; s += 200) a = inject(TcpHeader.ACK_FLAG, s, synAck.seq() + 1, new byte[100], TIMESTAMP).getFirst();
        assertThat(a.options()).containsKey(TcpHeader.OPT_TIMESTAMP);
        assertThat(a.sack()).containsExactly(1001, 1101, 801, 901, 601, 701);
        assertThat(a.headerLen() - 20).isEqualTo(TcpHeader.MAX_OPTION_SPACE);
    }

    /** An established connection (SACK agreed, no timestamps) with {@code segments} full segments sent and unacknowledged. */
    record Sending(SimSocket conn, int peerSeq, List<Seg> flight) {
    }

    Sending sendFlight(int segments) {
        inet.tcp().tunables().timestamps = false;
        SimSocket l = listen();
        Seg synAck = handshake(100, concat(mss(PEER_MSS), SACK_PERMITTED));
        SimSocket conn = l.accept();
        conn.pcb.send(Mbuf.wrap(new byte[64 * PEER_MSS]), null, 0);
        List<Seg> flight = new ArrayList<>(sent());
        // acknowledge everything until the window holds the segments wanted (slow start)
        while (flight.size() < segments) {
            Seg last = flight.getLast();
            flight.clear();
            flight.addAll(inject(TcpHeader.ACK_FLAG, 101, last.seq() + last.dataLen(), new byte[0], new byte[0]));
        }
        assertThat(flight).allMatch(s -> s.dataLen() == PEER_MSS);
        return new Sending(conn, synAck.seq(), flight);
    }

    @Test
    void sender_retransmitsOnlyTheMissingSegments() { // RFC 6675 s5 (fast retransmit, NextSeg rule 1), RFC 2018 s1
        Sending s = sendFlight(8);
        List<Seg> f = s.flight();
        int una = f.getFirst().seq();
        // segments 1 and 4 (of 0..n) are lost: the peer acknowledges 0 and SACKs 2, 3, 5, ...
        int seg0End = una + PEER_MSS;
        int lost1 = seg0End;
        int lost4 = una + 4 * PEER_MSS;
        List<Seg> all = new ArrayList<>(f);
        List<Seg> out = new ArrayList<>(inject(TcpHeader.ACK_FLAG, 101, seg0End, new byte[0], new byte[0]));
        out.addAll(inject(TcpHeader.ACK_FLAG, 101, seg0End, new byte[0], sack(una + 2 * PEER_MSS, una + 3 * PEER_MSS)));
        out.addAll(inject(TcpHeader.ACK_FLAG, 101, seg0End, new byte[0], sack(una + 2 * PEER_MSS, una + 4 * PEER_MSS)));
        assertThat(out.stream().filter(x -> x.seq() == lost1 && x.dataLen() > 0)).as("two segments SACKed: not yet lost").isEmpty();
        out.addAll(inject(TcpHeader.ACK_FLAG, 101, seg0End, new byte[0],
                sack(una + 5 * PEER_MSS, una + 6 * PEER_MSS, una + 2 * PEER_MSS, una + 4 * PEER_MSS)));
        all.addAll(out);
        List<Seg> rexmit = out.stream().filter(x -> x.dataLen() > 0 && Integer.compareUnsigned(x.seq() - una, 8 * PEER_MSS) < 0).toList();
        assertThat(rexmit).as("the third duplicate ACK: segment 1 retransmitted, nothing SACKed").extracting(Seg::seq).containsExactly(lost1);
        assertThat(rexmit.getFirst().dataLen()).isEqualTo(PEER_MSS);
        assertThat(inet.tcp().fastRetransmits).isEqualTo(1);
        // more SACKs above segment 4, up to all that was sent (limited transmit sent more): it is lost too
        // (IsLost: more than 2 segments SACKed above it) and goes once cwnd - pipe allows (RFC 6675 s5 (C))
        long sentOff = 0;
        for (Seg x : all) sentOff = Math.max(sentOff, Integer.toUnsignedLong(x.seq() + x.dataLen() - una));
        int sentSegments = (int) (sentOff / PEER_MSS);
        assertThat(sentSegments).as("RFC 6675 (3.3): the first duplicate ACKs let new data out").isGreaterThan(10);
        out.clear();
        for (int k = 6; k < sentSegments; k++) {
            out.addAll(inject(TcpHeader.ACK_FLAG, 101, seg0End, new byte[0],
                    sack(una + 5 * PEER_MSS, una + (k + 1) * PEER_MSS, una + 2 * PEER_MSS, una + 4 * PEER_MSS)));
        }
        all.addAll(out);
        rexmit = out.stream().filter(x -> x.dataLen() > 0 && Integer.compareUnsigned(x.seq() - una, sentSegments * PEER_MSS) < 0).toList();
        assertThat(rexmit).as("only segment 4 of the old ones is sent again").extracting(Seg::seq).containsExactly(lost4);
        // the cumulative ACK of everything sent ends recovery; no segment was retransmitted twice
        long highOff = 0; // the end of everything sent, relative to the first segment
        for (Seg x : all) highOff = Math.max(highOff, Integer.toUnsignedLong(x.seq() + x.dataLen() - una));
        int high = una + (int) highOff;
        inject(TcpHeader.ACK_FLAG, 101, high, new byte[0], new byte[0]);
        assertThat(inet.tcp().retransmittedSegments).as("exactly the two lost segments").isEqualTo(2);
        assertThat(inet.tcp().rexmtTimeouts).isZero();
    }

    @Test
    void sender_withoutSack_fallsBackToNewReno() { // RFC 2018 s2: blocks from a peer that did not agree are ignored
        inet.tcp().tunables().sack = false;
        Sending s = sendFlight(8);
        int una = s.flight().getFirst().seq();
        List<Seg> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            out.addAll(inject(TcpHeader.ACK_FLAG, 101, una, new byte[0], sack(una + PEER_MSS, una + (k + 2) * PEER_MSS)));
        }
        assertThat(out.stream().filter(x -> x.dataLen() > 0).map(Seg::seq).toList())
                .as("the third duplicate ACK retransmits SND.UNA (RFC 6582)").containsExactly(una);
        assertThat(inet.tcp().fastRetransmits).isEqualTo(1);
    }
}
