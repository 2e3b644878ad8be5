package jrump.rumpcrypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AES-CBC (NIST SP 800-38A), SHA (FIPS 180 examples), HMAC (RFC 2202, RFC 4231), PBKDF2 (RFC 6070). */
class NistVectorTest {
    private static final String SP800_38A_PLAIN = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    @ParameterizedTest(name = "SP 800-38A {0}")
    @CsvSource({
        "F.2.1 CBC-AES128, 2b7e151628aed2a6abf7158809cf4f3c, "
                + "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
        "F.2.5 CBC-AES256, 603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4, "
                + "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"})
    void aesCbc(String name, String key, String ctx) throws Exception {
        byte[] iv = Hex.b("000102030405060708090a0b0c0d0e0f");
        try (CipherSession s = Crypto.newCipher("aes-cbc", Hex.b(key))) {
            byte[] buf = Hex.b(SP800_38A_PLAIN);
            s.encrypt(iv, buf, 0, buf.length);
            assertThat(Hex.s(buf)).isEqualTo(ctx);
            s.decrypt(iv, buf, 0, buf.length);
            assertThat(Hex.s(buf)).isEqualTo(SP800_38A_PLAIN);
        }
    }

    @Test
    void aesEcb_fips197AppendixC3() throws Exception {
        try (CipherSession s = Crypto.newCipher("aes-ecb", Hex.b("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))) {
            byte[] buf = Hex.b("00112233445566778899aabbccddeeff");
            s.encrypt(null, buf, 0, 16);
            assertThat(Hex.s(buf)).isEqualTo("8ea2b7ca516745bfeafc49904b496089");
        }
    }

    @ParameterizedTest(name = "{0}(\"abc\")")
    @CsvSource({
        "sha1, a9993e364706816aba3e25717850c26c9cd0d89d",
        "sha256, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha512, ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"})
    void sha(String name, String expected) throws Exception {
        try (DigestSession d = Crypto.newDigest(name)) {
            assertThat(Hex.s(d.update("abc".getBytes(StandardCharsets.US_ASCII)).doFinal())).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} test case 1")
    @CsvSource({
        "hmac-sha1, b617318655057264e28bc0b6fb378c8ef146be00",
        "hmac-sha256, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"})
    void hmac(String name, String expected) throws Exception {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        try (DigestSession m = Crypto.newMac(name, key)) {
            assertThat(Hex.s(m.update("Hi There".getBytes(StandardCharsets.US_ASCII)).doFinal())).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "RFC 6070: {0}, {1}, c={2}")
    @CsvSource({
        "password, salt, 1, 20, 0c60c80f961f0e71f3a9b524af6012062fe037a6",
        "password, salt, 2, 20, ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
        "password, salt, 4096, 20, 4b007901b765489abead49d926f721d065a429c1",
        "passwordPASSWORDpassword, saltSALTsaltSALTsaltSALTsaltSALTsalt, 4096, 25, 3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"})
    void pbkdf2(String password, String salt, int c, int len, String expected) throws Exception {
        byte[] dk = Pbkdf2.derive("hmac-sha1", password.getBytes(StandardCharsets.US_ASCII), salt.getBytes(StandardCharsets.US_ASCII), c, len);
        assertThat(Hex.s(dk)).isEqualTo(expected);
    }

    @Test
    void pbkdf2_nulBytes() throws Exception {
        byte[] dk = Pbkdf2.derive("hmac-sha1", "pass\0word".getBytes(StandardCharsets.US_ASCII), "sa\0lt".getBytes(StandardCharsets.US_ASCII), 4096, 16);
        assertThat(Hex.s(dk)).isEqualTo("56fa6aa75548099dcc37d7f03425e0c3");
    }

    /**
     * cgdconfig's old "pkcs5_pbkdf2" numbers blocks from 0, so its second block is the standard's first:
     * RFC 6070's vector checks it.
     */
    @Test
    void cgdCompat_isTheStandardShiftedByOneBlock() throws Exception {
        byte[] p = "password".getBytes(StandardCharsets.US_ASCII);
        byte[] s = "salt".getBytes(StandardCharsets.US_ASCII);
        byte[] compat = Pbkdf2.deriveCgdCompat(p, s, 1, 40);
        assertThat(Hex.s(Arrays.copyOfRange(compat, 20, 40))).isEqualTo("0c60c80f961f0e71f3a9b524af6012062fe037a6");
        assertThat(Arrays.copyOf(compat, 20)).isNotEqualTo(Pbkdf2.derive("hmac-sha1", p, s, 1, 20));
    }

    @Test
    void pbkdf2_badArguments() {
        assertThatThrownBy(() -> Pbkdf2.derive("hmac-sha1", new byte[1], new byte[1], 0, 16)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Pbkdf2.derive("hmac-md4", new byte[1], new byte[1], 1, 16)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("unknown MAC");
    }

    @Test
    void constantTimeEquals() {
        assertThat(ConstantTime.equals(Hex.b("0102"), Hex.b("0102"))).isTrue();
        assertThat(ConstantTime.equals(Hex.b("0102"), Hex.b("0103"))).isFalse();
        assertThat(ConstantTime.equals(Hex.b("0102"), Hex.b("01"))).isFalse();
    }
}
