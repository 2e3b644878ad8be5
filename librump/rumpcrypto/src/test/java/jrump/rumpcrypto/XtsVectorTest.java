package jrump.rumpcrypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** XTS-AES against the test vectors of IEEE Std 1619-2007 Annex B. */
class XtsVectorTest {
    private static final String SEQ_256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f"
            + "505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
            + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
            + "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
            + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

    static Stream<Arguments> vectors() {
        return Stream.of(
                // Vector 1: both keys zero, data unit 0
                Arguments.of("1", "00000000000000000000000000000000" + "00000000000000000000000000000000", "00",
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e"),
                // Vector 2
                Arguments.of("2", "11111111111111111111111111111111" + "22222222222222222222222222222222", "3333333333",
                        "4444444444444444444444444444444444444444444444444444444444444444",
                        "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0"),
                // Vector 3
                Arguments.of("3", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0" + "22222222222222222222222222222222", "3333333333",
                        "4444444444444444444444444444444444444444444444444444444444444444",
                        "af85336b597afc1a900b2eb21ec949d292df4c047e0b21532186a5971a227a89"),
                // Vector 4: a 512-byte data unit, as a disk sector
                Arguments.of("4", "27182818284590452353602874713526" + "31415926535897932384626433832795", "00",
                        SEQ_256 + SEQ_256,
                        "27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89cc78cf7f5e543445f8333d8fa7f560000"
                                + "05279fa5d8b5e4ad40e736ddb4d35412328063fd2aab53e5ea1e0a9f332500a5df9487d07a5c92cc512c8866c7e860ce"
                                + "93fdf166a24912b422976146ae20ce846bb7dc9ba94a767aaef20c0d61ad02655ea92dc4c4e41a8952c651d33174be51"
                                + "a10c421110e6d81588ede82103a252d8a750e8768defffed9122810aaeb99f9172af82b604dc4b8e51bcb08235a6f434"
                                + "1332e4ca60482a4ba1a03b3e65008fc5da76b70bf1690db4eae29c5f1badd03c5ccf2a55d705ddcd86d449511ceb7ec3"
                                + "0bf12b1fa35b913f9f747a8afd1b130e94bff94effd01a91735ca1726acd0b197c4e5b03393697e126826fb6bbde8ecc"
                                + "1e08298516e2c9ed03ff3c1b7860f6de76d4cecd94c8119855ef5297ca67e9f3e7ff72b1e99785ca0a7e7720c5b36dc6"
                                + "d72cac9574c8cbbc2f801e23e56fd344b07f22154beba0f08ce8891e643ed995c94d9a69c9f1b5f499027a78572aeebd"
                                + "74d20cc39881c213ee770b1010e4bea718846977ae119f7a023ab58cca0ad752afe656bb3c17256a9f6e9bf19fdd5a38"
                                + "fc82bbe872c5539edb609ef4f79c203ebb140f2e583cb2ad15b4aa5b655016a8449277dbd477ef2c8d6c017db738b18d"
                                + "eb4a427d1923ce3ff262735779a418f20a282df920147beabe421ee5319d0568"),
                // Vector 15: 17 bytes, ciphertext stealing
                Arguments.of("15", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0" + "bfbebdbcbbbab9b8b7b6b5b4b3b2b1b0", "123456789a",
                        "000102030405060708090a0b0c0d0e0f10", "6c1625db4671522d3d7599601de7ca09ed"));
    }

    /** The data unit sequence number as the vectors write it (a number, most significant digit first) → the 16-byte IV. */
    static byte[] iv(String seqHex) {
        byte[] be = Hex.b(seqHex);
        byte[] iv = new byte[16];
        for (int i = 0; i < be.length; i++) iv[i] = be[be.length - 1 - i];
        return iv;
    }

    @ParameterizedTest(name = "vector {0}")
    @MethodSource("vectors")
    void encryptsAndDecryptsTheVector(String number, String key, String seq, String ptx, String ctx) throws Exception {
        try (CipherSession s = Crypto.newCipher("aes-xts", Hex.b(key))) {
            byte[] buf = Hex.b(ptx);
            s.encrypt(iv(seq), buf, 0, buf.length);
            assertThat(Hex.s(buf)).isEqualTo(ctx);
            s.decrypt(iv(seq), buf, 0, buf.length);
            assertThat(Hex.s(buf)).isEqualTo(ptx);
        }
    }

    /** The bulk path (many sectors, their tweaks in one call) gives what the unit-at-a-time path gives. */
    @Test
    void unitsInBulk_matchOneByOne() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = new byte[64];
        r.nextBytes(key);
        byte[] data = new byte[512 * 37];
        r.nextBytes(data);
        byte[] ivs = new byte[16 * 37];
        for (int u = 0; u < 37; u++) Blocks.LE.set(ivs, u * 16, 1_000_000L + u);
        try (CipherSession s = Crypto.newCipher("aes-xts", key)) {
            byte[] bulk = data.clone();
            s.encryptUnits(ivs, bulk, 0, bulk.length, 512);
            byte[] single = data.clone();
            for (int u = 0; u < 37; u++) {
                byte[] iv = java.util.Arrays.copyOfRange(ivs, u * 16, u * 16 + 16);
                s.encrypt(iv, single, u * 512, 512);
            }
            assertThat(bulk).as("seed %d", seed).isEqualTo(single);
            s.decryptUnits(ivs, bulk, 0, bulk.length, 512);
            assertThat(bulk).as("seed %d", seed).isEqualTo(data);
        }
    }

    @Test
    void close_wipesTheKey_andRefusesUse() throws Exception {
        AesXts s = (AesXts) Crypto.newCipher("aes-xts", Hex.b("27182818284590452353602874713526" + "31415926535897932384626433832795"));
        assertThat(s.keyWiped()).isFalse();
        s.close();
        assertThat(s.keyWiped()).isTrue();
        assertThatThrownBy(() -> s.encrypt(new byte[16], new byte[32], 0, 32)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badKeysAndUnits_areClearErrors() throws Exception {
        assertThatThrownBy(() -> Crypto.newCipher("aes-xts", new byte[24])).isInstanceOf(CryptoException.class)
                .hasMessageContaining("256 or 512 bits, not 192");
        assertThatThrownBy(() -> Crypto.newCipher("twofish-xts", new byte[32])).isInstanceOf(CryptoException.class)
                .hasMessageContaining("unknown cipher");
        try (CipherSession s = Crypto.newCipher("aes-xts", new byte[32])) {
            assertThatThrownBy(() -> s.encrypt(new byte[16], new byte[15], 0, 15)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
