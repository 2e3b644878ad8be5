package jrump.rumpcrypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in CBC mode (NIST SP 800-38A §6.2) or ECB (§6.1), no padding: data units are whole blocks. CBC takes
 * the unit's IV; ECB ignores it.
 */
final class AesCbc implements CipherSession {
    private final String name;
    private final boolean chained;
    private final byte[] key;
    private final SecretKeySpec spec;
    private final Cipher encrypt;
    private final Cipher decrypt;
    private boolean closed;
    /** The cipher's output before it goes back in place. Guarded by this. */
    private byte[] work = new byte[0];

    AesCbc(String name, boolean chained, byte[] key) throws CryptoException {
        if (!Aes.validKeyBytes(key.length)) throw new CryptoException(name + ": AES keys are 128, 192 or 256 bits, not " + key.length * 8);
        this.name = name;
        this.chained = chained;
        this.key = key.clone();
        this.spec = new SecretKeySpec(this.key, "AES");
        String t = chained ? "AES/CBC/NoPadding" : "AES/ECB/NoPadding";
        this.encrypt = Aes.cipher(t, Cipher.ENCRYPT_MODE, this.key, 0, this.key.length);
        this.decrypt = Aes.cipher(t, Cipher.DECRYPT_MODE, this.key, 0, this.key.length);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keyBits() {
        return key.length * 8;
    }

    @Override
    public int blockSize() {
        return Aes.BLOCK;
    }

    @Override
    public synchronized void encrypt(byte[] iv, byte[] buf, int off, int len) {
        run(encrypt, Cipher.ENCRYPT_MODE, iv, buf, off, len);
    }

    @Override
    public synchronized void decrypt(byte[] iv, byte[] buf, int off, int len) {
        run(decrypt, Cipher.DECRYPT_MODE, iv, buf, off, len);
    }

    private void run(Cipher c, int mode, byte[] iv, byte[] buf, int off, int len) {
        if (closed) throw new IllegalStateException(name + ": session closed");
        if (len % Aes.BLOCK != 0) throw new IllegalArgumentException(name + ": " + len + " bytes are not whole blocks");
        try {
            if (chained) c.init(mode, spec, new IvParameterSpec(iv, 0, Aes.BLOCK));
            if (work.length < len) work = new byte[len];
            int n = c.doFinal(buf, off, len, work, 0);
            System.arraycopy(work, 0, buf, off, n);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(work, (byte) 0);
        Aes.forget(encrypt);
        Aes.forget(decrypt);
    }
}
