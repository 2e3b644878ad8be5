package jrump.dev.cgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parameters files in cgdconfig(8)'s grammar: what it writes parses, everything malformed is a clear error. */
class ParamsTest {
    /** The layout cgdconfig -g writes (a 128-bit salt, its base64 wrapped with a backslash). */
    static final String GENERATED = """
            algorithm aes-xts;
            iv-method encblkno1;
            keylength 256;
            verify_method none;
            keygen pkcs5_pbkdf2/sha1 {
                    iterations 1000;
                    salt AAAAgAECAwQFBgcICQoLDA0ODxA= \\
                         ;
            };
            """;

    @Test
    void parsesWhatCgdconfigWrites() throws Exception {
        CgdParams p = CgdParams.parse(GENERATED, "wd0e");
        assertThat(p.algorithm()).isEqualTo("aes-xts");
        assertThat(p.ivMethod()).isEqualTo(IvMethod.ENCBLKNO1);
        assertThat(p.keyLength()).isEqualTo(256);
        assertThat(p.verifyMethod()).isEqualTo(VerifyMethod.NONE);
        assertThat(p.keygens()).hasSize(1);
        Keygen k = p.keygens().getFirst();
        assertThat(k.method()).isEqualTo(Keygen.Method.PKCS5_PBKDF2_SHA1);
        assertThat(k.iterations()).isEqualTo(1000);
        assertThat(HexFormat.of().formatHex(k.salt())).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(k.saltBits()).isEqualTo(128);
    }

    @Test
    void formatThenParse_givesTheSameParametersAndKey() throws Exception {
        byte[] salt = new byte[16];
        for (int i = 0; i < 16; i++) salt[i] = (byte) (i * 37);
        byte[] stored = new byte[64];
        for (int i = 0; i < 64; i++) stored[i] = (byte) (255 - i);
        CgdParams p = new CgdParams("aes-xts", IvMethod.ENCBLKNO1, 512, VerifyMethod.FFS,
                List.of(Keygen.pbkdf2(10, salt), new Keygen(Keygen.Method.STOREDKEY, 0, null, 0, stored)));
        String text = p.format();
        assertThat(text).contains("verify_method ffs;").contains("keygen pkcs5_pbkdf2/sha1 {").contains("keygen storedkey key ");
        assertThat(text.lines().mapToInt(String::length).max().orElseThrow()).isLessThan(80); // wrapped as cgdconfig wraps
        CgdParams back = CgdParams.parse(text, "t");
        byte[] pass = "correct horse".getBytes(StandardCharsets.UTF_8);
        assertThat(back.key(pass, n -> new byte[n])).isEqualTo(p.key(pass, n -> new byte[n]));
        assertThat(back.keyLength()).isEqualTo(512);
        assertThat(back.verifyMethod()).isEqualTo(VerifyMethod.FFS);
    }

    /** Two keygens: the key is the XOR of both (a stored key XOR the passphrase's PBKDF2). */
    @Test
    void keyIsTheXorOfTheKeygens() throws Exception {
        byte[] salt = new byte[16];
        byte[] stored = new byte[32];
        stored[0] = (byte) 0xff;
        CgdParams both = new CgdParams("aes-xts", IvMethod.ENCBLKNO1, 256, VerifyMethod.NONE,
                List.of(Keygen.pbkdf2(3, salt), new Keygen(Keygen.Method.STOREDKEY, 0, null, 0, stored)));
        CgdParams one = new CgdParams("aes-xts", IvMethod.ENCBLKNO1, 256, VerifyMethod.NONE, List.of(Keygen.pbkdf2(3, salt)));
        byte[] a = both.key("pw".getBytes(), n -> null);
        byte[] b = one.key("pw".getBytes(), n -> null);
        assertThat(a[0]).isEqualTo((byte) (b[0] ^ 0xff));
        assertThat(java.util.Arrays.copyOfRange(a, 1, 32)).isEqualTo(java.util.Arrays.copyOfRange(b, 1, 32));
    }

    @Test
    void oldKeygenAndIvMethodNames() throws Exception {
        CgdParams p = CgdParams.parse("algorithm aes-cbc; iv-method encblkno; keylength 192; keygen pkcs5_pbkdf2 { iterations 5; salt AAAAgAECAwQFBgcICQoLDA0ODxA=; };", "t");
        assertThat(p.ivMethod()).isEqualTo(IvMethod.ENCBLKNO8);
        assertThat(p.keygens().getFirst().method()).isEqualTo(Keygen.Method.PKCS5_PBKDF2);
        CgdParams r = CgdParams.parse("algorithm aes-cbc;\nkeygen randomkey;\n# a comment\n", "t");
        assertThat(r.keyLength()).isEqualTo(128);
        assertThat(r.keygens().getFirst().method()).isEqualTo(Keygen.Method.RANDOMKEY);
        assertThat(r.needsPassphrase()).isFalse();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "algorithm twofish-xts; keygen randomkey;|algorithm twofish-xts: unknown",
        "algorithm blowfish-cbc; keygen randomkey;|not supported by jrump",
        "algorithm aes-xts; keylength 128; keygen randomkey;|keylength 128: aes-xts takes [256, 512]",
        "algorithm aes-xts; algorithm aes-cbc; keygen randomkey;|line 1: algorithm given twice",
        "algorithm aes-xts;|no keygen statement",
        "keygen randomkey;|no algorithm statement",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations 5; };|has no salt",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { salt AAAAgAECAwQFBgcICQoLDA0ODxA=; };|has no iterations",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations -3; salt AAAAgAECAwQFBgcICQoLDA0ODxA=; };|iterations -3: must be 1 to",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations many; salt AAAAgAECAwQFBgcICQoLDA0ODxA=; };|not a number",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations 5; salt AAAAgAECAwQ!; };|salt: not base64",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations 5; salt AAABAAECAwQFBgcICQoLDA0ODxA=; };|says 256 bits but holds 16 bytes",
        "algorithm aes-xts; keygen shell_cmd { cmd x; };|keygen shell_cmd: not supported",
        "algorithm aes-xts; keygen magic;|keygen magic: unknown",
        "algorithm aes-xts; keygen storedkey key AAAAgAECAwQFBgcICQoLDA0ODxA=;|the key has 128 bits, keylength is 256",
        "algorithm aes-xts; verify_method telepathy; keygen randomkey;|verify_method telepathy: unknown",
        "algorithm aes-xts; iv-method encblkno2; keygen randomkey;|iv-method encblkno2: unknown",
        "algorithm aes-xts; colour blue; keygen randomkey;|unknown statement colour",
        "algorithm aes-xts; keygen pkcs5_pbkdf2/sha1 { iterations 5;|unexpected end of file",
        "algorithm aes-xts|unexpected end of file, expecting ';' after algorithm"})
    void malformed_isAClearError(String text, String message) {
        assertThatThrownBy(() -> CgdParams.parse(text, "params")).isInstanceOf(ParamsException.class)
                .hasMessageStartingWith("params").hasMessageContaining(message);
    }

    @Test
    void binaryGarbage_isAnErrorNotACrash() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            String text = (r.nextBoolean() ? GENERATED.substring(0, r.nextInt(GENERATED.length())) : "") + new String(b, StandardCharsets.ISO_8859_1);
            try {
                CgdParams.parse(text, "fuzz");
            } catch (ParamsException expected) {
                // the only failure allowed
            }
        }
    }
}
