package jrump.rumpcrypto;

/**
 * A cipher with its key (opencrypto's session): encrypts and decrypts data units in place. An IV is one
 * cipher block (16 bytes for AES): for CBC the chaining value, for XTS the data unit's number as IEEE 1619
 * encodes it (128 bits, little-endian). Sessions are safe to share between threads (calls are serialized);
 * {@link #close()} wipes the key, after which every call throws IllegalStateException.
 */
public interface CipherSession extends AutoCloseable {
    /** The name it was looked up by ("aes-xts"). */
    String name();

    /** The key's length in bits (for XTS both AES keys together, as cgd counts). */
    int keyBits();

    /** Bytes per cipher block, and per IV. */
    int blockSize();

    /** Encrypts {@code buf[off, off + len)} in place as one data unit. */
    void encrypt(byte[] iv, byte[] buf, int off, int len);

    void decrypt(byte[] iv, byte[] buf, int off, int len);

    /**
     * Encrypts {@code len / unitSize} consecutive data units of {@code buf} in place, unit i with the IV at
     * {@code ivs[i * blockSize()]}. Modes that can batch (XTS) do all units in a few calls.
     */
    default void encryptUnits(byte[] ivs, byte[] buf, int off, int len, int unitSize) {
        byte[] iv = new byte[blockSize()];
        for (int u = 0; u < len / unitSize; u++) {
            System.arraycopy(ivs, u * iv.length, iv, 0, iv.length);
            encrypt(iv, buf, off + u * unitSize, unitSize);
        }
    }

    default void decryptUnits(byte[] ivs, byte[] buf, int off, int len, int unitSize) {
        byte[] iv = new byte[blockSize()];
        for (int u = 0; u < len / unitSize; u++) {
            System.arraycopy(ivs, u * iv.length, iv, 0, iv.length);
            decrypt(iv, buf, off + u * unitSize, unitSize);
        }
    }

    /** Wipes the key material this session holds. Closing twice does nothing. */
    @Override
    void close();
}
