package jrump.rumpcrypto;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** The JCA's AES as the modes here use it: raw block transforms (ECB, no padding) and key checks. */
final class Aes {
    /** FIPS 197: 128-bit blocks. */
    static final int BLOCK = 16;

    private Aes() {
    }

    /** FIPS 197 §5: AES keys are 128, 192 or 256 bits. */
    static boolean validKeyBytes(int n) {
        return n == 16 || n == 24 || n == 32;
    }

    /** AES/ECB/NoPadding over {@code key[off, off + len)}, for {@code mode} Cipher.ENCRYPT_MODE or DECRYPT_MODE. */
    static Cipher ecb(int mode, byte[] key, int off, int len) {
        return cipher("AES/ECB/NoPadding", mode, key, off, len);
    }

    static Cipher cipher(String transformation, int mode, byte[] key, int off, int len) {
        try {
            Cipher c = Cipher.getInstance(transformation);
            if (transformation.contains("ECB")) c.init(mode, new SecretKeySpec(key, off, len, "AES"));
            else c.init(mode, new SecretKeySpec(key, off, len, "AES"), new javax.crypto.spec.IvParameterSpec(new byte[BLOCK]));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + transformation + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops a cipher's key schedule by re-keying it with zeros: what of the old schedule the JDK keeps is
     * then unreachable (the JCA offers no way to zero its internal copy).
     */
    static void forget(Cipher c) {
        if (c == null) return;
        try {
            if (c.getIV() != null) {
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[BLOCK], "AES"), new javax.crypto.spec.IvParameterSpec(new byte[BLOCK]));
            } else {
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[BLOCK], "AES"));
            }
        } catch (GeneralSecurityException e) {
            // nothing more can be done from outside the provider
        }
    }
}
