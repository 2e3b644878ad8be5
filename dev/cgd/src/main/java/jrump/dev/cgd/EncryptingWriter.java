package jrump.dev.cgd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a cgd image from outside a kernel (newfs and makefs into an encrypted image): bytes at any offset
 * are encrypted sector by sector on their way to the raw image; a sector written in part is decrypted,
 * merged and encrypted again. {@link #finish} fills every sector never written with encrypted zeros, since
 * a zero sector of the raw image would decrypt to noise where the file system expects zeros.
 */
public final class EncryptingWriter {
    /** The raw image: positional writes and reads of ciphertext. */
    public interface Raw {
        void write(long offset, ByteBuffer data) throws IOException;

        /** Fills dst from offset; returns the count (fewer only at the end). */
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    static final int SECTOR = SectorCipher.SECTOR;
    private static final int FILL_CHUNK = 1 << 20;

    private final SectorCipher cipher;
    private final Raw raw;
    /** Runs of sectors written so far: first sector → end (exclusive), disjoint and not touching. */
    private final TreeMap<Long, Long> written = new TreeMap<>();

    public EncryptingWriter(SectorCipher cipher, Raw raw) {
        this.cipher = cipher;
        this.raw = raw;
    }

    /** Writes all of {@code data}'s remaining bytes at {@code offset} of the decrypted disk. */
    public void write(long offset, ByteBuffer data) throws IOException {
        int len = data.remaining();
        if (len == 0) return;
        long first = offset / SECTOR;
        long end = (offset + len + SECTOR - 1) / SECTOR;
        int head = (int) (offset % SECTOR);
        for (long s = first; s < end;) {
            int n = (int) Math.min(end - s, FILL_CHUNK / SECTOR);
            byte[] buf = new byte[n * SECTOR];
            long at = s * SECTOR;
            // sectors only partly covered keep what they held
            if (s == first && head != 0 || s + n == end && (offset + len) % SECTOR != 0) {
                if (isWritten(s)) readSector(s, buf, 0);
                if (n > 1 && isWritten(s + n - 1)) readSector(s + n - 1, buf, (n - 1) * SECTOR);
            }
            long from = Math.max(at, offset);
            long to = Math.min(at + buf.length, offset + len);
            data.get(data.position() + (int) (from - offset), buf, (int) (from - at), (int) (to - from));
            cipher.encrypt(s, buf, 0, buf.length);
            raw.write(at, ByteBuffer.wrap(buf));
            mark(s, s + n);
            s += n;
        }
        data.position(data.position() + len);
    }

    private void readSector(long s, byte[] buf, int off) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, SECTOR);
        raw.read(s * SECTOR, b);
        cipher.decrypt(s, buf, off, SECTOR);
    }

    private boolean isWritten(long s) {
        Map.Entry<Long, Long> e = written.floorEntry(s);
        return e != null && s < e.getValue();
    }

    private void mark(long from, long to) {
        Map.Entry<Long, Long> before = written.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = written.ceilingEntry(from)) != null && next.getKey() <= to) {
            to = Math.max(to, next.getValue());
            written.remove(next.getKey());
        }
        written.put(from, to);
    }

    /** Encrypted zeros into every sector below {@code size} bytes never written. */
    public void finish(long size) throws IOException {
        long sectors = size / SECTOR;
        long s = 0;
        while (s < sectors) {
            Map.Entry<Long, Long> e = written.floorEntry(s);
            if (e != null && s < e.getValue()) {
                s = e.getValue();
                continue;
            }
            Long nextStart = written.ceilingKey(s);
            long gapEnd = Math.min(sectors, nextStart == null ? sectors : nextStart);
            while (s < gapEnd) {
                int n = (int) Math.min(gapEnd - s, FILL_CHUNK / SECTOR);
                byte[] buf = new byte[n * SECTOR];
                cipher.encrypt(s, buf, 0, buf.length);
                raw.write(s * SECTOR, ByteBuffer.wrap(buf));
                mark(s, s + n);
                s += n;
            }
        }
    }
}
