package jrump.dev.cgd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Writes at any offsets and lengths land as a plain image would hold them, once decrypted; the rest reads as zeros. */
class EncryptingWriterTest {
    @Test
    void unalignedWrites_decryptToWhatWasWritten_andHolesToZeros() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        int size = 256 * 512;
        byte[] model = new byte[size];
        byte[] raw = new byte[size];
        CgdParams p = CgdImages.params("aes-cbc", IvMethod.ENCBLKNO1, 128, VerifyMethod.NONE);
        try (SectorCipher c = SectorCipher.of(p, CgdImages.key(p, "w"))) {
            EncryptingWriter w = new EncryptingWriter(c, new EncryptingWriter.Raw() {
                @Override
                public void write(long off, ByteBuffer data) {
                    data.get(raw, (int) off, data.remaining());
                }

                @Override
                public int read(long off, ByteBuffer dst) {
                    int n = dst.remaining();
                    dst.put(raw, (int) off, n);
                    return n;
                }
            });
            for (int i = 0; i < 200; i++) {
                int off = r.nextInt(size / 2); // the upper half stays a hole
                int len = 1 + r.nextInt(Math.min(3000, size / 2 - off));
                byte[] piece = new byte[len];
                r.nextBytes(piece);
                System.arraycopy(piece, 0, model, off, len);
                ByteBuffer b = ByteBuffer.allocate(len + 7).position(7).slice().put(piece).flip(); // not at position 0 of its array
                w.write(off, b);
                assertThat(b.hasRemaining()).isFalse();
            }
            w.finish(size);
            byte[] plain = raw.clone();
            c.decrypt(0, plain, 0, size);
            assertThat(plain).as("seed %d", seed).isEqualTo(model);
            assertThat(java.util.Arrays.copyOfRange(raw, size - 512, size)).as("holes are encrypted, not zero").isNotEqualTo(new byte[512]);
        }
    }
}
