package jrump.dev.cgd;

import jrump.rumpcrypto.CipherSession;
import jrump.rumpcrypto.Crypto;
import jrump.rumpcrypto.CryptoException;

/**
 * cgd(4)'s encryption of sectors: each 512-byte sector is one data unit whose IV comes from its number
 * (cgd_cipher: the number as 64 bits little-endian, zero-padded; XTS encrypts it under the tweak key as
 * IEEE 1619 does, CBC takes it through {@link IvMethod}). Sector numbers count from the start of the cgd
 * (of the partition it covers), in 512-byte units. Closing wipes the keys.
 */
public final class SectorCipher implements AutoCloseable {
    /** sys/param.h DEV_BSIZE: cgd's sector, the data unit. */
    public static final int SECTOR = 512;

    private final boolean xts;
    private final IvMethod ivMethod;
    private final CipherSession data;
    /** CBC only: the same key in ECB, to encrypt sector numbers into IVs. */
    private final CipherSession ivCipher;

    private SectorCipher(boolean xts, IvMethod ivMethod, CipherSession data, CipherSession ivCipher) {
        this.xts = xts;
        this.ivMethod = ivMethod;
        this.data = data;
        this.ivCipher = ivCipher;
    }

    /** The cipher of a disk with {@code params}, keyed with {@code key} (keylength bits; copied). */
    public static SectorCipher of(CgdParams params, byte[] key) throws ParamsException {
        if (key.length * 8 != params.keyLength()) {
            throw new ParamsException(params.algorithm() + ": a " + params.keyLength() + "-bit key, not " + key.length * 8);
        }
        try {
            boolean xts = params.algorithm().equals("aes-xts");
            CipherSession data = Crypto.newCipher(params.algorithm(), key);
            CipherSession iv = xts ? null : Crypto.newCipher("aes-ecb", key);
            return new SectorCipher(xts, params.ivMethod(), data, iv);
        } catch (CryptoException e) {
            throw new ParamsException(e.getMessage());
        }
    }

    /** Encrypts {@code len} bytes (whole sectors) of {@code buf} in place, the first being sector {@code sector}. */
    public void encrypt(long sector, byte[] buf, int off, int len) {
        data.encryptUnits(ivs(sector, units(len)), buf, off, len, SECTOR);
    }

    public void decrypt(long sector, byte[] buf, int off, int len) {
        data.decryptUnits(ivs(sector, units(len)), buf, off, len, SECTOR);
    }

    private static int units(int len) {
        if (len % SECTOR != 0) throw new IllegalArgumentException(len + " bytes are not whole sectors");
        return len / SECTOR;
    }

    /**
     * One IV per sector: cgd_cipher's blkno_buf, and for CBC its encryption (cgd_cipher_aes_cbc_prep). CBC
     * from a zero IV over the number followed by zero blocks is E(n), then E(E(n)), ...: the last block of
     * the 16- or 128-byte buffer is the number encrypted once or eight times, so all sectors' IVs are one
     * ECB call per round.
     */
    byte[] ivs(long first, int n) {
        byte[] ivs = new byte[n * 16];
        for (int u = 0; u < n; u++) putLittleEndian(ivs, u * 16, first + u);
        if (xts) return ivs;
        for (int round = 0; round < ivMethod.bufferBytes / 16; round++) ivCipher.encrypt(null, ivs, 0, ivs.length);
        return ivs;
    }

    private static void putLittleEndian(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    @Override
    public void close() {
        data.close();
        if (ivCipher != null) ivCipher.close();
    }
}
