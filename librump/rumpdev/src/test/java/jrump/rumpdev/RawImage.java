package jrump.rumpdev;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** An image built or edited byte by byte: boot records, and GPT fields with their CRC32s made right again. */
final class RawImage {
    final ByteBuffer bytes;

    RawImage(int sectors) {
        bytes = ByteBuffer.allocate(sectors * 512).order(ByteOrder.LITTLE_ENDIAN);
    }

    RawImage(byte[] content) {
        bytes = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
    }

    static RawImage of(Path p) throws Exception {
        return new RawImage(Files.readAllBytes(p));
    }

    /** One 16-byte partition record (slot 1-4) of the boot record at {@code sector}, and its signature. */
    RawImage record(long sector, int slot, int type, long start, long count) {
        int at = (int) (sector * 512 + 446 + (slot - 1) * 16);
        bytes.put(at, (byte) 0);
        bytes.put(at + 4, (byte) type);
        bytes.putInt(at + 8, (int) start);
        bytes.putInt(at + 12, (int) count);
        return signature(sector);
    }

    RawImage signature(long sector) {
        bytes.putShort((int) (sector * 512 + 510), (short) 0xAA55);
        return this;
    }

    Path write(Path p) throws Exception {
        Files.write(p, bytes.array());
        return p;
    }

    // --- GPT ------------------------------------------------------------------------------------

    long lastLba() {
        return bytes.capacity() / 512 - 1;
    }

    int headerAt(long lba) {
        return (int) (lba * 512);
    }

    /** The entry array of the header at {@code lba}: its byte offset and length. */
    int arrayAt(long lba) {
        return (int) (bytes.getLong(headerAt(lba) + 72) * 512);
    }

    int arrayBytes(long lba) {
        return bytes.getInt(headerAt(lba) + 80) * bytes.getInt(headerAt(lba) + 84);
    }

    /** Recomputes the entry array's CRC32 into the header (when the array is where it says), then the header's. */
    RawImage fixCrcs(long lba) {
        int h = headerAt(lba);
        long arrayLba = bytes.getLong(h + 72);
        long length = Integer.toUnsignedLong(bytes.getInt(h + 80)) * Integer.toUnsignedLong(bytes.getInt(h + 84));
        if (arrayLba > 0 && arrayLba <= lastLba() && length <= (lastLba() + 1 - arrayLba) * 512) {
            bytes.putInt(h + 88, crc(arrayAt(lba), (int) length));
        }
        int headerSize = bytes.getInt(h + 12);
        if (headerSize >= 20 && headerSize <= 512) {
            bytes.putInt(h + 16, 0);
            bytes.putInt(h + 16, crc(h, headerSize));
        }
        return this;
    }

    /** Both tables: for changes that should make the whole GPT unusable. */
    RawImage fixCrcs() {
        return fixCrcs(1).fixCrcs(lastLba());
    }

    private int crc(int at, int length) {
        CRC32 c = new CRC32();
        c.update(bytes.array(), at, length);
        return (int) c.getValue();
    }
}
