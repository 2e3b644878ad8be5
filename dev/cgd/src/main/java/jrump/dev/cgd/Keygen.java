package jrump.dev.cgd;

import java.util.Arrays;

import jrump.rumpcrypto.CryptoException;
import jrump.rumpcrypto.Pbkdf2;

/**
 * One key generation method of a parameters file (cgdconfig(8) "keygen"). A file may hold several; the
 * disk's key is the exclusive-or of what each gives.
 *
 * @param salt       pkcs5_pbkdf2*: the salt's bytes (its length in bits is saltBits)
 * @param storedKey  storedkey: the key itself
 */
public record Keygen(Method method, int iterations, byte[] salt, int saltBits, byte[] storedKey) {
    public enum Method {
        /** PBKDF2 with HMAC-SHA1 (RFC 8018), over the passphrase. */
        PKCS5_PBKDF2_SHA1("pkcs5_pbkdf2/sha1"),
        /** The original, with its blocks numbered from 0 ({@link Pbkdf2#deriveCgdCompat}); kept to read old files. */
        PKCS5_PBKDF2("pkcs5_pbkdf2"),
        /** The key is in the file. */
        STOREDKEY("storedkey"),
        /** A fresh random key at each configuration (swap, scratch space): nothing survives it. */
        RANDOMKEY("randomkey"),
        URANDOMKEY("urandomkey");

        final String keyword;

        Method(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        static Method of(String word) throws ParamsException {
            for (Method m : values()) if (m.keyword.equals(word)) return m;
            if (word.equals("shell_cmd") || word.equals("argon2id")) throw new ParamsException("keygen " + word + ": not supported by jrump");
            throw new ParamsException("keygen " + word + ": unknown (pkcs5_pbkdf2/sha1, pkcs5_pbkdf2, storedkey, randomkey, urandomkey)");
        }

        /** Whether it asks for a passphrase. */
        public boolean usesPassphrase() {
            return this == PKCS5_PBKDF2_SHA1 || this == PKCS5_PBKDF2;
        }
    }

    /** A new pkcs5_pbkdf2/sha1 keygen (what cgdconfig -g writes). */
    public static Keygen pbkdf2(int iterations, byte[] salt) {
        return new Keygen(Method.PKCS5_PBKDF2_SHA1, iterations, salt.clone(), salt.length * 8, null);
    }

    /**
     * This method's share of a {@code keyBits}-bit key. {@code passphrase} is used by the pkcs5 methods;
     * {@code random} fills randomkey's.
     */
    byte[] share(byte[] passphrase, int keyBits, java.util.function.IntFunction<byte[]> random) throws ParamsException {
        int keyBytes = (keyBits + 7) / 8;
        try {
            return switch (method) {
                case PKCS5_PBKDF2_SHA1 -> Pbkdf2.derive("hmac-sha1", passphrase, salt, iterations, keyBytes);
                case PKCS5_PBKDF2 -> Pbkdf2.deriveCgdCompat(passphrase, salt, iterations, keyBytes);
                case STOREDKEY -> storedKey.clone();
                case RANDOMKEY, URANDOMKEY -> random.apply(keyBytes);
            };
        } catch (CryptoException e) {
            throw new ParamsException("keygen " + method.keyword + ": " + e.getMessage());
        }
    }

    /** Wipes the stored key and the salt (when the parameters are done with). */
    void wipe() {
        if (storedKey != null) Arrays.fill(storedKey, (byte) 0);
    }
}
