package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * El Torito ("Bootable CD-ROM Format Specification" 1.0, Phoenix/IBM 1995): a boot record volume
 * descriptor (§2.0) pointing at a boot catalogue (§2.1-2.5) of 32-byte entries: a validation entry, the
 * initial/default entry, then section headers with their entries. Read here for {@code jrump info}, and
 * written by {@link Makefs} (one no-emulation x86 entry).
 */
public final class ElTorito {
    /** §2.0: the boot record's system identifier. */
    static final String BOOT_SYSTEM_ID = "EL TORITO SPECIFICATION";
    /** §2.0: the catalogue's sector, little-endian, at 0x47 of the boot record. */
    static final int CATALOG_POINTER = 0x47;
    static final int ENTRY = 32;
    /** §2.1 validation entry: header id 1, key bytes 55 AA. */
    static final int VALIDATION_HEADER = 1;
    static final int KEY1 = 0x55;
    static final int KEY2 = 0xAA;
    /** §2.2 boot indicator. */
    static final int BOOTABLE = 0x88;
    /** §2.4 section header indicators: more headers follow, the last one. */
    static final int SECTION_MORE = 0x90;
    static final int SECTION_LAST = 0x91;
    /** Bounds for a damaged catalogue: it lies in one sector's worth of entries per section, few sections. */
    static final int MAX_ENTRIES = 64 * 4;

    private ElTorito() {
    }

    /** Reads bytes of an image at an offset, as FileChannel.read(ByteBuffer, long) does. */
    @FunctionalInterface
    public interface ReadAt {
        int read(ByteBuffer dst, long offset) throws IOException;
    }

    /** One bootable image (§2.2 initial/default entry, §2.5 section entries). */
    public record BootEntry(boolean bootable, int mediaType, int loadSegment, int systemType, int sectorCount, long loadRba) {
        /** §2.2 boot media type names. */
        public String media() {
            return switch (mediaType & 0x0f) {
                case 0 -> "no emulation";
                case 1 -> "1.2M diskette";
                case 2 -> "1.44M diskette";
                case 3 -> "2.88M diskette";
                case 4 -> "hard disk";
                default -> "media type " + mediaType;
            };
        }
    }

    /** The catalogue: its sector, the platform (0 x86, 1 PowerPC, 2 Mac, 0xEF EFI), its id string and entries. */
    public record Catalog(long sector, int platformId, String id, List<BootEntry> entries) {
    }

    /** The boot catalogue of the image {@code img}, if its first session's descriptor set has a boot record. */
    public static Optional<Catalog> read(ReadAt img) throws IOException {
        Device dev = (off, len) -> {
            ByteBuffer b = ByteBuffer.allocate(len);
            try {
                while (b.hasRemaining()) {
                    if (img.read(b, off + b.position()) < 0) throw Cd9660Error.corrupt("the image ends at byte " + (off + b.position()));
                }
            } catch (IOException e) {
                throw new Cd9660Error(jrump.rumpkern.Errno.EIO, e.getMessage());
            }
            return b.array();
        };
        try {
            for (VolumeDescriptor vd : VolumeDescriptor.readSet(dev, 0)) {
                if (vd.type() != VolumeDescriptor.BOOT_RECORD) continue;
                String sys = new String(vd.raw(), 7, 32, StandardCharsets.US_ASCII).replace("\0", "").strip();
                if (!sys.equals(BOOT_SYSTEM_ID)) continue;
                return Optional.of(catalog(dev, IsoNumbers.n731(vd.raw(), CATALOG_POINTER)));
            }
            return Optional.empty();
        } catch (Cd9660Error e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Catalog catalog(Device dev, long sector) throws Cd9660Error {
        byte[] s = dev.read(sector * VolumeDescriptor.SECTOR, VolumeDescriptor.SECTOR);
        if (s[0] != VALIDATION_HEADER || (s[30] & 0xff) != KEY1 || (s[31] & 0xff) != KEY2) {
            throw Cd9660Error.corrupt("El Torito: no validation entry at sector " + sector);
        }
        int sum = 0;
        for (int i = 0; i < ENTRY; i += 2) sum += IsoNumbers.n721(s, i);
        if ((sum & 0xffff) != 0) throw Cd9660Error.corrupt("El Torito: validation entry checksum");
        String id = new String(s, 4, 24, StandardCharsets.US_ASCII).replace("\0", "").strip();
        List<BootEntry> entries = new ArrayList<>();
        entries.add(entry(s, ENTRY));
        int off = 2 * ENTRY;
        // §2.4: section headers, each followed by its entries; the last header is 0x91
        while (off + ENTRY <= s.length && entries.size() < MAX_ENTRIES) {
            int indicator = s[off] & 0xff;
            if (indicator != SECTION_MORE && indicator != SECTION_LAST) break;
            int count = IsoNumbers.n721(s, off + 2);
            off += ENTRY;
            for (int i = 0; i < count && off + ENTRY <= s.length; i++, off += ENTRY) entries.add(entry(s, off));
            if (indicator == SECTION_LAST) break;
        }
        return new Catalog(sector, s[1] & 0xff, id, entries);
    }

    private static BootEntry entry(byte[] s, int off) {
        return new BootEntry((s[off] & 0xff) == BOOTABLE, s[off + 1] & 0xff, IsoNumbers.n721(s, off + 2), s[off + 4] & 0xff,
                IsoNumbers.n721(s, off + 6), IsoNumbers.n731(s, off + 8));
    }

    /** §2.0 boot record volume descriptor pointing at {@code catalogSector}. */
    static byte[] bootRecord(long catalogSector) {
        byte[] vd = new byte[VolumeDescriptor.SECTOR];
        vd[0] = VolumeDescriptor.BOOT_RECORD;
        System.arraycopy(VolumeDescriptor.CD001, 0, vd, 1, 5);
        vd[6] = 1;
        byte[] id = BOOT_SYSTEM_ID.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, vd, 7, id.length);
        IsoNumbers.put731(vd, CATALOG_POINTER, catalogSector);
        return vd;
    }

    /** A catalogue with one bootable no-emulation x86 entry loading {@code sectors} 512-byte sectors from {@code rba}. */
    static byte[] catalog(long rba, int sectors) {
        byte[] s = new byte[VolumeDescriptor.SECTOR];
        s[0] = VALIDATION_HEADER;
        s[1] = 0; // x86
        byte[] id = "JRUMP".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, s, 4, id.length);
        s[30] = (byte) KEY1;
        s[31] = (byte) KEY2;
        int sum = 0;
        for (int i = 0; i < ENTRY; i += 2) sum += IsoNumbers.n721(s, i);
        IsoNumbers.put721(s, 28, (-sum) & 0xffff);
        s[ENTRY] = (byte) BOOTABLE;
        s[ENTRY + 1] = 0; // no emulation
        IsoNumbers.put721(s, ENTRY + 6, sectors);
        IsoNumbers.put731(s, ENTRY + 8, rba);
        return Arrays.copyOf(s, s.length);
    }
}
