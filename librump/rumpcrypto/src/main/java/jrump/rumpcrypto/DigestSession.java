package jrump.rumpcrypto;

import java.security.MessageDigest;

/** A hash (SHA-1, SHA-2) or a keyed MAC (HMAC) over the bytes given to {@link #update}. Not thread-safe. */
public final class DigestSession implements AutoCloseable {
    private final String name;
    private final MessageDigest digest;
    private final javax.crypto.Mac mac;
    private final byte[] key;

    DigestSession(String name, MessageDigest digest, javax.crypto.Mac mac, byte[] key) {
        this.name = name;
        this.digest = digest;
        this.mac = mac;
        this.key = key;
    }

    public String name() {
        return name;
    }

    /** Bytes of output. */
    public int length() {
        return digest != null ? digest.getDigestLength() : mac.getMacLength();
    }

    public DigestSession update(byte[] b, int off, int len) {
        if (digest != null) digest.update(b, off, len);
        else mac.update(b, off, len);
        return this;
    }

    public DigestSession update(byte[] b) {
        return update(b, 0, b.length);
    }

    /** The result; the session starts over for the next message. */
    public byte[] doFinal() {
        return digest != null ? digest.digest() : mac.doFinal();
    }

    /** Wipes the MAC key this session copied. */
    @Override
    public void close() {
        if (key != null) java.util.Arrays.fill(key, (byte) 0);
        if (digest != null) digest.reset();
        else mac.reset();
    }
}
