package jrump.rumpcrypto;

import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * XTS-AES (IEEE Std 1619-2007), built on AES/ECB since the JDK has no XTS. The key is Key1 (the data key)
 * followed by Key2 (the tweak key), of equal lengths; the IV is the data unit's sequence number i as the
 * 128-bit little-endian value of §5.1. Data units of any length from one block up; a length that is not
 * whole blocks uses ciphertext stealing (§5.3.2, §5.4.2).
 *
 * <p>Whole-block units go in bulk (what cgd's sectors are): the tweaks of every unit are one ECB call
 * under Key2, and the data is one ECB call under Key1 between two passes that XOR the masks T·α^j in
 * (computed with long arithmetic as they go), so the AES work runs in the JDK's intrinsic loop (AES-NI,
 * VAES) rather than block by block. Work goes in batches of 16 KiB, which stay in the caches.
 */
final class AesXts implements CipherSession {
    static final int BLOCK = Aes.BLOCK;
    /** IEEE 1619-2007 §5.2: multiplying by α reduces modulo x^128 + x^7 + x^2 + x + 1, feeding back 0x87. */
    static final long GF_128_FEEDBACK = 0x87;
    /** Bulk work goes in pieces of this many bytes (32 sectors), small enough for the caches. */
    static final int BATCH_BYTES = 16 << 10;

    private final String name;
    private final byte[] key;
    private final Cipher dataEncrypt;
    private final Cipher dataDecrypt;
    private final Cipher tweakEncrypt;
    /** Scratch: the cipher's output, the units' first tweaks. Guarded by this. */
    private byte[] work = new byte[0];
    private byte[] tweaks = new byte[0];
    private boolean closed;

    AesXts(String name, byte[] key) throws CryptoException {
        if (key.length != 32 && key.length != 64) {
            throw new CryptoException(name + ": the key is two AES keys, 256 or 512 bits, not " + key.length * 8);
        }
        this.name = name;
        this.key = key.clone();
        int half = key.length / 2;
        this.dataEncrypt = Aes.ecb(Cipher.ENCRYPT_MODE, this.key, 0, half);
        this.dataDecrypt = Aes.ecb(Cipher.DECRYPT_MODE, this.key, 0, half);
        this.tweakEncrypt = Aes.ecb(Cipher.ENCRYPT_MODE, this.key, half, half);
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
        return BLOCK;
    }

    @Override
    public synchronized void encrypt(byte[] iv, byte[] buf, int off, int len) {
        unit(true, iv, 0, buf, off, len);
    }

    @Override
    public synchronized void decrypt(byte[] iv, byte[] buf, int off, int len) {
        unit(false, iv, 0, buf, off, len);
    }

    @Override
    public synchronized void encryptUnits(byte[] ivs, byte[] buf, int off, int len, int unitSize) {
        units(true, ivs, buf, off, len, unitSize);
    }

    @Override
    public synchronized void decryptUnits(byte[] ivs, byte[] buf, int off, int len, int unitSize) {
        units(false, ivs, buf, off, len, unitSize);
    }

    private void units(boolean encrypt, byte[] ivs, byte[] buf, int off, int len, int unitSize) {
        checkOpen();
        if (unitSize < BLOCK || len % unitSize != 0) throw new IllegalArgumentException(name + ": " + len + " bytes are not whole units of " + unitSize);
        if (unitSize % BLOCK != 0) {
            for (int u = 0; u < len / unitSize; u++) unit(encrypt, ivs, u * BLOCK, buf, off + u * unitSize, unitSize);
            return;
        }
        // in batches of about 16 KiB: data and cipher output stay in the core's caches between the passes
        int batch = Math.max(1, BATCH_BYTES / unitSize);
        for (int first = 0; first < len / unitSize; first += batch) {
            int n = Math.min(batch, len / unitSize - first);
            bulk(encrypt, ivs, first * BLOCK, buf, off + first * unitSize, n, unitSize);
        }
    }

    /** {@code n} whole-block units at {@code buf[off]}, their IVs at {@code ivs[ivOff]}. */
    private void bulk(boolean encrypt, byte[] ivs, int ivOff, byte[] buf, int off, int n, int unitSize) {
        int len = n * unitSize;
        if (work.length < len) work = new byte[len];
        if (tweaks.length < n * BLOCK) tweaks = new byte[n * BLOCK];
        ecb(tweakEncrypt, ivs, ivOff, n * BLOCK, tweaks, 0); // §5.3.1 step 1: T = E_Key2(i), for every unit
        maskWithTweaks(buf, off, buf, off, n, unitSize); // PP = P xor T
        ecb(encrypt ? dataEncrypt : dataDecrypt, buf, off, len, work, 0);
        maskWithTweaks(buf, off, work, 0, n, unitSize); // C = CC xor T
    }

    /**
     * {@code dst[d + p] = src[s + p] xor T_j} for every block j of the {@code n} units, T_0 of each unit
     * from {@link #tweaks} and T_(j+1) = T_j·α (§5.3.1 steps 2-4). The sequence is computed again for
     * each pass rather than stored: shifts are cheaper than another trip through memory.
     */
    private void maskWithTweaks(byte[] dst, int d, byte[] src, int s, int n, int unitSize) {
        int blocksPerUnit = unitSize / BLOCK;
        for (int u = 0; u < n; u++) {
            long lo = (long) Blocks.LE.get(tweaks, u * BLOCK);
            long hi = (long) Blocks.LE.get(tweaks, u * BLOCK + 8);
            int p = u * unitSize;
            for (int b = 0; b < blocksPerUnit; b++, p += BLOCK) {
                Blocks.LE.set(dst, d + p, (long) Blocks.LE.get(src, s + p) ^ lo);
                Blocks.LE.set(dst, d + p + 8, (long) Blocks.LE.get(src, s + p + 8) ^ hi);
                long carry = hi >> 63; // all ones when bit 127 is set
                hi = (hi << 1) | (lo >>> 63);
                lo = (lo << 1) ^ (carry & GF_128_FEEDBACK);
            }
        }
    }

    /** One data unit of any length ≥ one block (§5.3.2 and §5.4.2, with ciphertext stealing). */
    private void unit(boolean encrypt, byte[] iv, int ivOff, byte[] buf, int off, int len) {
        checkOpen();
        if (len < BLOCK) throw new IllegalArgumentException(name + ": a data unit is at least one block, not " + len + " bytes");
        byte[] t = new byte[BLOCK];
        ecb(tweakEncrypt, iv, ivOff, BLOCK, t, 0);
        int m = len / BLOCK;
        int r = len % BLOCK;
        Cipher c = encrypt ? dataEncrypt : dataDecrypt;
        int whole = r == 0 ? m : m - 1; // with stealing, the last whole block goes with the partial one
        for (int j = 0; j < whole; j++) {
            block(c, buf, off + j * BLOCK, t);
            timesAlpha(t);
        }
        if (r == 0) return;
        int last = off + (m - 1) * BLOCK;
        byte[] cc = new byte[BLOCK];
        System.arraycopy(buf, last, cc, 0, BLOCK);
        if (encrypt) {
            block(c, cc, 0, t); // CC = block m-1 under T_(m-1)
            timesAlpha(t);
            byte[] pp = cc.clone();
            System.arraycopy(buf, last + BLOCK, pp, 0, r); // PP = P_m || CC's tail
            System.arraycopy(cc, 0, buf, last + BLOCK, r); // C_m = CC's head
            block(c, pp, 0, t);
            System.arraycopy(pp, 0, buf, last, BLOCK);
        } else {
            byte[] tm1 = t.clone();
            timesAlpha(t); // T_m decrypts the stolen block first
            block(c, cc, 0, t);
            byte[] full = cc.clone();
            System.arraycopy(buf, last + BLOCK, full, 0, r); // CC = C_m || PP's tail
            System.arraycopy(cc, 0, buf, last + BLOCK, r); // P_m = PP's head
            block(c, full, 0, tm1);
            System.arraycopy(full, 0, buf, last, BLOCK);
        }
        Arrays.fill(t, (byte) 0);
    }

    /** One block in place: b = E(b xor t) xor t. */
    private void block(Cipher c, byte[] b, int off, byte[] t) {
        Blocks.xor(b, off, t, 0, BLOCK);
        byte[] out = new byte[BLOCK];
        ecb(c, b, off, BLOCK, out, 0);
        Blocks.xor(b, off, out, 0, t, 0, BLOCK);
    }

    /** §5.2: t = t ⊗ α, t as a 128-bit little-endian number. */
    static void timesAlpha(byte[] t) {
        long lo = (long) Blocks.LE.get(t, 0);
        long hi = (long) Blocks.LE.get(t, 8);
        long carry = hi >> 63;
        Blocks.LE.set(t, 8, (hi << 1) | (lo >>> 63));
        Blocks.LE.set(t, 0, (lo << 1) ^ (carry & GF_128_FEEDBACK));
    }

    private static void ecb(Cipher c, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            c.update(in, inOff, len, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(name + ": session closed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Arrays.fill(key, (byte) 0);
        Arrays.fill(work, (byte) 0);
        Arrays.fill(tweaks, (byte) 0);
        Aes.forget(dataEncrypt);
        Aes.forget(dataDecrypt);
        Aes.forget(tweakEncrypt);
    }

    /** For tests: whether the key material is all zeros (wiped). */
    boolean keyWiped() {
        for (byte b : key) if (b != 0) return false;
        return true;
    }
}
