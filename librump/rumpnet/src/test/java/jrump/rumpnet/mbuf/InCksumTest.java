package jrump.rumpnet.mbuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The Internet checksum: RFC 1071's example, and the wide loop against a word-by-word sum on random chains. */
class InCksumTest {
    @Test
    void rfc1071_section3_example() {
        // RFC 1071 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (before the complement)
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(InCksum.of(Mbuf.wrap(b), 0, b.length)).isEqualTo(~0xddf2 & 0xffff);
    }

    /** RFC 1071's definition, one 16-bit word at a time over the bytes laid end to end. */
    private static int reference(byte[] all, int off, int n) {
        long sum = 0;
        for (int i = 0; i < n; i += 2) {
            int hi = all[off + i] & 0xff;
            int lo = i + 1 < n ? all[off + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    @Test
    void randomChains_withOddNodes_matchTheWordByWordSum() {
        long seed = 1071;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 2000; round++) {
            int total = rnd.nextInt(1, 70_000);
            byte[] all = new byte[total];
            rnd.nextBytes(all);
            if (round % 7 == 0) java.util.Arrays.fill(all, (byte) 0xff); // sums that wrap a lot
            // cut it into nodes of random (often odd) lengths, each in an array of its own at a random offset
            Mbuf head = null;
            Mbuf tail = null;
            for (int at = 0; at < total; ) {
                int len = Math.min(total - at, rnd.nextInt(1, round % 2 == 0 ? 40 : 20_000));
                int pad = rnd.nextInt(0, 9);
                byte[] store = new byte[pad + len + 3];
                System.arraycopy(all, at, store, pad, len);
                Mbuf node = new Mbuf(store, pad, len);
                if (head == null) head = node;
                else tail.next = node;
                tail = node;
                at += len;
            }
            int off = rnd.nextInt(0, Math.max(1, total / 4));
            int n = rnd.nextInt(0, total - off + 1);
            assertThat(InCksum.of(head, off, n)).as("seed %d round %d", seed, round).isEqualTo(reference(all, off, n));
        }
    }
}
