package jrump.dev.cgd;

import java.util.ArrayList;
import java.util.List;

/**
 * A cgdconfig(8) parameters file: what a cgd needs besides the passphrase. {@link #parse} checks it all, so a
 * file it accepts configures a disk; {@link #format} writes the layout cgdconfig -g writes.
 *
 * @param algorithm    "aes-xts" or "aes-cbc"
 * @param keyLength    bits: aes-xts 256 or 512, aes-cbc 128, 192 or 256
 */
public record CgdParams(String algorithm, IvMethod ivMethod, int keyLength, VerifyMethod verifyMethod, List<Keygen> keygens) {
    public CgdParams {
        keygens = List.copyOf(keygens);
    }

    /** cgd(4)'s algorithms that jrump has, with their key lengths (the first is cgdconfig's default). */
    static int[] keyLengths(String algorithm) {
        return switch (algorithm) {
            case "aes-xts" -> new int[] {256, 512};
            case "aes-cbc" -> new int[] {128, 192, 256};
            default -> null;
        };
    }

    /** Parses a parameters file's text; {@code source} names it in messages. */
    public static CgdParams parse(String text, String source) throws ParamsException {
        return new ParamsParser(text, source).parse();
    }

    /** The file's text, as cgdconfig writes it (base64 wrapped at column 50). */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append("algorithm ").append(algorithm).append(";\n");
        s.append("iv-method ").append(ivMethod.keyword).append(";\n");
        s.append("keylength ").append(keyLength).append(";\n");
        s.append("verify_method ").append(verifyMethod.keyword).append(";\n");
        for (Keygen k : keygens) {
            s.append("keygen ").append(k.method().keyword);
            switch (k.method()) {
                case PKCS5_PBKDF2_SHA1, PKCS5_PBKDF2 -> {
                    s.append(" {\n        iterations ").append(k.iterations()).append(";\n");
                    wrapped(s, 8, "salt", Bits.encode(k.salt(), k.saltBits()));
                    s.append("};\n");
                }
                case STOREDKEY -> {
                    s.append(' ');
                    wrapped(s, 0, "key", Bits.encode(k.storedKey(), keyLength));
                }
                case RANDOMKEY, URANDOMKEY -> s.append(";\n");
            }
        }
        return s.toString();
    }

    /** cgdconfig's print_kvpair_b64: long values go on continuation lines ending in a backslash. */
    private static void wrapped(StringBuilder s, int indent, String key, String value) {
        s.append(" ".repeat(indent)).append(key).append(' ');
        int col = indent + key.length() + 1;
        int start = col;
        for (int i = 0; i < value.length(); i++, col++) {
            if (col > 50) {
                s.append(" \\\n").append(" ".repeat(start));
                col = start;
            }
            s.append(value.charAt(i));
        }
        s.append(";\n");
    }

    /** Whether some keygen asks for a passphrase. */
    public boolean needsPassphrase() {
        return keygens.stream().anyMatch(k -> k.method().usesPassphrase());
    }

    /**
     * The disk's key: the exclusive-or of every keygen's share (cgdconfig's getkey). {@code random} gives
     * randomkey's bytes.
     */
    public byte[] key(byte[] passphrase, java.util.function.IntFunction<byte[]> random) throws ParamsException {
        byte[] key = new byte[(keyLength + 7) / 8];
        List<byte[]> shares = new ArrayList<>();
        try {
            for (Keygen k : keygens) {
                byte[] share = k.share(passphrase, keyLength, random);
                shares.add(share);
                for (int i = 0; i < key.length; i++) key[i] ^= share[i];
            }
        } finally {
            for (byte[] s : shares) java.util.Arrays.fill(s, (byte) 0);
        }
        return key;
    }
}
