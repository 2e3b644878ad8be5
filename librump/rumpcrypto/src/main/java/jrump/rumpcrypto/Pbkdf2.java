package jrump.rumpcrypto;

import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * PBKDF2 (RFC 8018 §5.2, formerly RFC 2898): DK = T_1 || T_2 || ..., T_i = F(P, S, c, i),
 * F = U_1 xor ... xor U_c, U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_(j-1)), with INT(i) four bytes
 * big-endian and i counting from 1.
 *
 * <p>cgdconfig(8) has two key generators over it. "pkcs5_pbkdf2/sha1" is the standard one with HMAC-SHA1.
 * "pkcs5_pbkdf2", the original, numbered the blocks from 0 (its T_1 is F(..., 0), its T_2 is the
 * standard's T_1, and so on): {@link #deriveCgdCompat} reproduces it so that old parameters files still
 * give their keys.
 */
public final class Pbkdf2 {
    private Pbkdf2() {
    }

    /** Standard PBKDF2 with {@code prf} ("hmac-sha1", "hmac-sha256"...). */
    public static byte[] derive(String prf, byte[] password, byte[] salt, int iterations, int length) throws CryptoException {
        return derive(prf, password, salt, iterations, length, 1);
    }

    /** cgdconfig's historical "pkcs5_pbkdf2": HMAC-SHA1, blocks numbered from 0. */
    public static byte[] deriveCgdCompat(byte[] password, byte[] salt, int iterations, int length) throws CryptoException {
        return derive("hmac-sha1", password, salt, iterations, length, 0);
    }

    private static byte[] derive(String prf, byte[] password, byte[] salt, int iterations, int length, int firstIndex)
            throws CryptoException {
        if (iterations < 1) throw new CryptoException("pbkdf2: iterations must be at least 1, not " + iterations);
        if (length < 1) throw new CryptoException("pbkdf2: key length must be at least 1 byte");
        Mac mac = Crypto.mac(prf, password);
        int hLen = mac.getMacLength();
        int blocks = (length + hLen - 1) / hLen; // RFC 8018 §5.2 step 2
        byte[] dk = new byte[blocks * hLen];
        byte[] u = new byte[hLen];
        byte[] t = new byte[hLen];
        byte[] index = new byte[4];
        try {
            for (int b = 0; b < blocks; b++) {
                int i = firstIndex + b;
                index[0] = (byte) (i >>> 24);
                index[1] = (byte) (i >>> 16);
                index[2] = (byte) (i >>> 8);
                index[3] = (byte) i;
                mac.update(salt);
                mac.update(index);
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int c = 1; c < iterations; c++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    Blocks.xor(t, 0, u, 0, hLen);
                }
                System.arraycopy(t, 0, dk, b * hLen, hLen);
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            mac.reset();
        }
        byte[] out = Arrays.copyOf(dk, length);
        Arrays.fill(dk, (byte) 0);
        return out;
    }
}
