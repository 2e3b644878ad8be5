package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jrump.rumpnet.mbuf.Mbuf;

/**
 * Bad input: IPv6 frames of a real exchange (ND, ICMPv6, fragments, TCP) mutated at random on a fixed seed
 * and fed to a stack must neither throw nor hang it; afterwards it still answers a ping and its
 * reassembly holds no more than its caps.
 */
class Inet6FuzzTest {
    @Test
    void mutatedFrames_neverThrow_andTheStackStillWorks() {
        long seed = 0x6f0220L;
        SimNet net = new SimNet(seed);
        net.capture = true;
        SimNet.Faults f = SimNet.Faults.lossy(0.0);
        Inet6NetsimTest.transfer6(net, seed, f, 64 * 1024);
        Inet a = net.stacks.get(0);
        Inet b = net.stacks.get(1);
        a.icmp6().echo(IpAddr.parse6(Inet6NetsimTest.B6), 1, 1, new byte[3000]); // fragments too
        net.advance(100_000_000L);
        List<byte[]> corpus = net.captured.stream().filter(x -> x.from().equals("sim0") && x.bytes().length > 14 && x.bytes()[12] == (byte) 0x86)
                .map(SimNet.Frame::bytes).toList();
        assertThat(corpus).hasSizeGreaterThan(50);
        net.capture = false;
        SimNet.SimIf ifB = (SimNet.SimIf) b.interfaces().get(1);
        SplittableRandom r = new SplittableRandom(seed);
        long received = b.ip6().received;
        for (int i = 0; i < 30_000; i++) {
            byte[] frame = corpus.get(r.nextInt(corpus.size())).clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                // mostly within the IPv6 header and the first headers after it, where the parsing is
                int at = 14 + Math.min(frame.length - 15, r.nextInt(r.nextBoolean() ? 48 : frame.length));
                frame[at] = (byte) r.nextInt(256);
            }
            if (r.nextInt(8) == 0) frame = java.util.Arrays.copyOf(frame, 14 + r.nextInt(frame.length - 13));
            try {
                ifB.deliver(Mbuf.wrap(frame));
                if (i % 100 == 0) net.advance(10_000_000L);
            } catch (RuntimeException e) {
                throw new AssertionError("frame " + i + " (seed " + seed + ") threw", e);
            }
        }
        assertThat(b.ip6().received - received).as("the frames reached IPv6 input").isGreaterThan(25_000);
        assertThat(b.ip6().badHeader).isPositive();
        net.advance(120_000_000_000L); // reassembly timeouts, ND timers
        assertThat(b.ip6().frag6().queueCount()).isZero();
        assertThat(b.ip6().frag6().heldBytes()).isZero();
        int[] replies = new int[1];
        a.icmp6().setEchoListener((from, id, seq, len, hops) -> replies[0]++);
        assertThat(a.icmp6().echo(IpAddr.parse6(Inet6NetsimTest.B6), 2, 1, new byte[8])).isZero();
        net.advance(3_000_000_000L);
        assertThat(replies[0]).isEqualTo(1);
        assertThat(b.isLocalAddress(IpAddr.parse6(Inet6NetsimTest.B6))).isTrue();
    }
}
