package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * Checksum offload (InTunables.checksumOffload): TCP segments go without a checksum only straight over a
 * link that cannot corrupt them, and a segment with a wrong checksum is still dropped on a link that can.
 */
class ChecksumOffloadTest {
    static final int A = SockaddrIn.parse("10.0.0.1");
    static final int B = SockaddrIn.parse("10.0.0.2");

    /** 256 KiB from a to b's port 80 over whatever links and routes the stacks have; returns what b read. */
    static byte[] transfer(SimNet net, Inet a, Inet b, int to, long seed) {
        int size = 256 * 1024;
        SimSocket listener = SimSocket.tcp(b, 64 * 1024);
        assertThat(listener.pcb.bind(new SockaddrIn(to, 80))).isZero();
        assertThat(listener.pcb.listen(5)).isZero();
        SimSocket client = SimSocket.tcp(a, 64 * 1024);
        assertThat(client.pcb.connect(new SockaddrIn(to, 80))).isZero();
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer dst = ByteBuffer.allocate(size + 1);
        SimSocket[] server = new SimSocket[1];
        boolean[] shut = new boolean[1];
        net.runUntil(() -> server[0] != null && server[0].cantRcvMore && server[0].rcv.cc() == 0, () -> {
            if (client.connected && src.hasRemaining()) {
                int n = Math.min(client.pcb.sendSpace(), src.remaining());
                if (n > 0) client.pcb.send(Mbuf.copyFrom(src, n), null, 0);
            }
            if (!src.hasRemaining() && !shut[0]) {
                shut[0] = true;
                client.pcb.shutdownOutput();
            }
            if (server[0] == null) server[0] = listener.accept();
            if (server[0] != null && server[0].rcv.cc() > 0) {
                server[0].rcv.read(dst, Math.min(server[0].rcv.cc(), dst.remaining()), false);
                server[0].pcb.rcvd();
            }
        }, 60_000_000_000L);
        assertThat(dst.position()).isEqualTo(size);
        assertThat(java.util.Arrays.equals(dst.array(), 0, size, data, 0, size)).as("every byte").isTrue();
        return data;
    }

    /** The IPv4 TCP segments (with data) among the captured Ethernet frames, as {frame bytes}. */
    static List<byte[]> dataSegments(SimNet net) {
        List<byte[]> out = new ArrayList<>();
        for (SimNet.Frame f : net.captured) {
            byte[] b = f.bytes();
            if (b.length < 14 + 40 || (b[12] & 0xff) != 0x08 || b[13] != 0 || b[14 + 9] != Sys.IPPROTO_TCP) continue;
            int ihl = (b[14] & 0xf) * 4;
            int total = ((b[16] & 0xff) << 8) | (b[17] & 0xff);
            int off = ((b[14 + ihl + 12] & 0xff) >>> 4) * 4;
            if (total - ihl - off > 0) out.add(b);
        }
        return out;
    }

    /** Whether the TCP checksum of an IPv4 frame is right (RFC 9293 3.1 with the pseudo-header). */
    static boolean checksumRight(byte[] b) {
        Mbuf m = Mbuf.wrap(b);
        int ihl = (b[14] & 0xf) * 4;
        int total = m.u16(16);
        int tlen = total - ihl;
        long sum = InPorts.pseudoSum(m.i32(14 + 12), m.i32(14 + 16), Sys.IPPROTO_TCP, tlen);
        return InCksum.fold(InCksum.add(sum, m, 14 + ihl, tlen)) == 0;
    }

    static int checksumField(byte[] b) {
        int ihl = (b[14] & 0xf) * 4;
        return Mbuf.wrap(b).u16(14 + ihl + 16);
    }

    @Test
    void overATrustedLink_dataSegmentsCarryNoChecksum_andArriveWhole() {
        SimNet net = new SimNet(1);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link(a, A, b, B, 24);
        ifs[0].setChecksumTrusted(true);
        ifs[1].setChecksumTrusted(true);
        net.capture = true;
        transfer(net, a, b, B, 11);
        List<byte[]> segs = dataSegments(net);
        assertThat(segs).hasSizeGreaterThan(100);
        assertThat(segs).allMatch(s -> checksumField(s) == 0);
        assertThat(b.tcp().badSegments).isZero();
    }

    @Test
    void withOffloadOff_aTrustedLinkCarriesChecksums() {
        SimNet net = new SimNet(2);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link(a, A, b, B, 24);
        ifs[0].setChecksumTrusted(true);
        ifs[1].setChecksumTrusted(true);
        a.tunables().checksumOffload = false;
        b.tunables().checksumOffload = false;
        net.capture = true;
        transfer(net, a, b, B, 12);
        assertThat(dataSegments(net)).isNotEmpty().allMatch(ChecksumOffloadTest::checksumRight);
    }

    @Test
    void onALinkThatNeedsChecksums_everySegmentIsSummed_andACorruptedOneIsDropped() {
        SimNet net = new SimNet(3);
        Inet a = net.stack();
        Inet b = net.stack();
        SimNet.SimIf[] ifs = net.link(a, A, b, B, 24);
        net.capture = true;
        transfer(net, a, b, B, 13); // offload on (the default): this link is not trusted
        List<byte[]> segs = dataSegments(net);
        assertThat(segs).isNotEmpty().allMatch(ChecksumOffloadTest::checksumRight);
        // a data segment with one payload bit flipped: dropped by TCP, whatever the tunable says
        byte[] bad = segs.get(segs.size() / 2).clone();
        bad[bad.length - 1] ^= 0x10;
        long before = b.tcp().badSegments;
        long received = b.tcp().segmentsReceived;
        ifs[1].deliver(Mbuf.wrap(bad));
        b.drain();
        assertThat(b.tcp().segmentsReceived).isEqualTo(received + 1);
        assertThat(b.tcp().badSegments).isEqualTo(before + 1);
    }

    @Test
    void throughARouter_segmentsAreSummedEvenOverATrustedFirstHop() {
        // a --trusted-- r --needs checksums-- b: a router could not know to add a checksum, so a sends one
        SimNet net = new SimNet(4);
        Inet a = net.stack();
        Inet r = net.stack();
        Inet b = net.stack();
        int ra = SockaddrIn.parse("10.0.0.254");
        int rb = SockaddrIn.parse("10.1.0.254");
        int bb = SockaddrIn.parse("10.1.0.2");
        SimNet.SimIf[] first = net.link(a, A, r, ra, 24);
        first[0].setChecksumTrusted(true);
        first[1].setChecksumTrusted(true);
        net.link(r, rb, b, bb, 24);
        r.tunables().forwarding = true;
        assertThat(a.addRoute(SockaddrIn.parse("10.1.0.0"), 24, ra, 0)).isZero();
        assertThat(b.addRoute(SockaddrIn.parse("10.0.0.0"), 24, rb, 0)).isZero();
        net.capture = true;
        transfer(net, a, b, bb, 14);
        assertThat(b.tcp().badSegments).isZero();
        assertThat(dataSegments(net)).isNotEmpty().allMatch(ChecksumOffloadTest::checksumRight);
    }
}
