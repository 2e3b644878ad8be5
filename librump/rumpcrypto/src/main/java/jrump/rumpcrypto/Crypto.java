package jrump.rumpcrypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;

/**
 * The algorithms, by name (as cgd(4) and opencrypto name them): a session holds one algorithm with its key.
 * An unknown name or a key of the wrong length is a {@link CryptoException} saying what would do.
 */
public final class Crypto {
    /** Our names → the JCA's standard names (Java Security Standard Algorithm Names). */
    private static final Map<String, String> DIGESTS = Map.of(
            "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    private Crypto() {
    }

    /** The cipher names: "aes-xts", "aes-cbc", "aes-ecb". */
    public static List<String> ciphers() {
        return List.of("aes-xts", "aes-cbc", "aes-ecb");
    }

    /** The digest names; MACs are "hmac-" and one of these. */
    public static List<String> digests() {
        return DIGESTS.keySet().stream().sorted().toList();
    }

    /** A cipher session over a copy of {@code key} (the caller may wipe its own). */
    public static CipherSession newCipher(String name, byte[] key) throws CryptoException {
        return switch (name) {
            case "aes-xts" -> new AesXts(name, key);
            case "aes-cbc" -> new AesCbc(name, true, key);
            case "aes-ecb" -> new AesCbc(name, false, key);
            default -> throw new CryptoException("unknown cipher \"" + name + "\" (" + String.join(", ", ciphers()) + ")");
        };
    }

    public static DigestSession newDigest(String name) throws CryptoException {
        String jca = DIGESTS.get(name);
        if (jca == null) throw new CryptoException("unknown digest \"" + name + "\" (" + String.join(", ", digests()) + ")");
        try {
            return new DigestSession(name, MessageDigest.getInstance(jca), null, null);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(name + ": not in this JDK: " + e.getMessage());
        }
    }

    /** HMAC (RFC 2104) with the digest named after "hmac-": "hmac-sha1", "hmac-sha256"... */
    public static DigestSession newMac(String name, byte[] key) throws CryptoException {
        Mac mac = mac(name, key);
        return new DigestSession(name, null, mac, null);
    }

    /** The JCA Mac for "hmac-DIGEST" keyed with {@code key} (which may be empty). */
    static Mac mac(String name, byte[] key) throws CryptoException {
        String digest = name.startsWith("hmac-") ? DIGESTS.get(name.substring(5)) : null;
        if (digest == null) throw new CryptoException("unknown MAC \"" + name + "\" (hmac- and one of " + String.join(", ", digests()) + ")");
        try {
            Mac mac = Mac.getInstance("Hmac" + digest.replace("-", ""));
            mac.init(new HmacKey(key));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new CryptoException(name + ": not in this JDK: " + e.getMessage());
        }
    }

    /**
     * An HMAC key that may be empty (RFC 2104 allows it; SecretKeySpec refuses it). The JDK's HMAC copies
     * the encoding and pads it to the block size, so the copy here is wiped with the session.
     */
    private static final class HmacKey implements javax.crypto.SecretKey {
        private final byte[] key;

        HmacKey(byte[] key) {
            this.key = key;
        }

        @Override
        public String getAlgorithm() {
            return "HMAC";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return key.clone();
        }
    }

}
