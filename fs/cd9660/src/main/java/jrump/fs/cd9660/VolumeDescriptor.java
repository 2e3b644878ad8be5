package jrump.fs.cd9660;

import static jrump.fs.cd9660.IsoNumbers.n711;
import static jrump.fs.cd9660.IsoNumbers.n723;
import static jrump.fs.cd9660.IsoNumbers.n733;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jrump.rumpkern.Errno;

/**
 * One volume descriptor (ECMA-119 §8): 2048 bytes from sector 16 of a session on, in a set ended by a
 * terminator. The ones that matter here: the primary (§8.4), supplementary ones (§8.5; Joliet's carries
 * an escape sequence for UCS-2), the enhanced one of ISO 9660:1999 (a supplementary descriptor of version
 * 2) and the boot record (§8.2, El Torito's).
 */
record VolumeDescriptor(int type, int version, int sector, String volumeId, long volumeSpaceSize, int logicalBlockSize,
        byte[] rootRecord, int jolietLevel, byte[] raw) {

    /** §8.1.1 volume descriptor types. */
    static final int BOOT_RECORD = 0;
    static final int PRIMARY = 1;
    static final int SUPPLEMENTARY = 2;
    static final int PARTITION = 3;
    static final int TERMINATOR = 255;

    /** §6.2.1: the system area is sectors 0-15; the descriptor set starts at 16. */
    static final int FIRST_SECTOR = 16;
    static final int SECTOR = 2048;
    /** §8.1.2 standard identifier. */
    static final byte[] CD001 = "CD001".getBytes(StandardCharsets.US_ASCII);
    /** No image needs more descriptors than this before its terminator: a bound for damaged sets. */
    static final int MAX_DESCRIPTORS = 64;

    /** §8.4 field offsets (the same places in §8.5). */
    static final int VOLUME_ID = 40;
    static final int VOLUME_SPACE_SIZE = 80;
    static final int ESCAPE_SEQUENCES = 88;
    static final int LOGICAL_BLOCK_SIZE = 128;
    static final int ROOT_RECORD = 156;
    static final int ROOT_RECORD_LEN = 34;

    boolean isJoliet() {
        return type == SUPPLEMENTARY && jolietLevel > 0;
    }

    /** ISO 9660:1999's enhanced volume descriptor: supplementary, version 2, file structure version 2. */
    boolean isEnhanced() {
        return type == SUPPLEMENTARY && version == 2;
    }

    /**
     * Parses the descriptor in {@code raw} (sector {@code sector}); null when the sector holds no descriptor
     * at all (no "CD001"). Checks what the mount relies on: the block size and the root record's shape.
     */
    static VolumeDescriptor parse(byte[] raw, int sector) throws Cd9660Error {
        if (!Arrays.equals(raw, 1, 6, CD001, 0, 5)) return null;
        int type = n711(raw, 0);
        int version = n711(raw, 6);
        if (type != PRIMARY && type != SUPPLEMENTARY) {
            return new VolumeDescriptor(type, version, sector, "", 0, 0, null, 0, raw);
        }
        int lbs = n723(raw, LOGICAL_BLOCK_SIZE);
        // §6.1.2: a power of two of at least 512, and not more than the sector size
        if (lbs < 512 || lbs > SECTOR || Integer.bitCount(lbs) != 1) {
            throw new Cd9660Error(Errno.EIO, "volume descriptor at sector " + sector + ": logical block size " + lbs);
        }
        long space = n733(raw, VOLUME_SPACE_SIZE);
        byte[] root = Arrays.copyOfRange(raw, ROOT_RECORD, ROOT_RECORD + ROOT_RECORD_LEN);
        if (n711(root, 0) != ROOT_RECORD_LEN) {
            throw new Cd9660Error(Errno.EIO, "volume descriptor at sector " + sector + ": root directory record of " + n711(root, 0) + " bytes");
        }
        int joliet = type == SUPPLEMENTARY ? jolietLevel(raw) : 0;
        String id = joliet > 0 ? Joliet.decode(raw, VOLUME_ID, 32) : new String(raw, VOLUME_ID, 32, StandardCharsets.ISO_8859_1);
        return new VolumeDescriptor(type, version, sector, id.strip(), space, lbs, root, joliet, raw);
    }

    /** Joliet: "%/@", "%/C" or "%/E" among the escape sequences (UCS-2 levels 1, 2 and 3), else 0. */
    private static int jolietLevel(byte[] raw) {
        for (int i = ESCAPE_SEQUENCES; i + 3 <= ESCAPE_SEQUENCES + 32; i++) {
            if (raw[i] != '%' || raw[i + 1] != '/') continue;
            switch (raw[i + 2]) {
                case '@': return 1;
                case 'C': return 2;
                case 'E': return 3;
                default: break;
            }
        }
        return 0;
    }

    /** The descriptors of the session starting at {@code sessionStart}, up to and without the terminator. */
    static java.util.List<VolumeDescriptor> readSet(Device dev, long sessionStart) throws Cd9660Error {
        java.util.List<VolumeDescriptor> set = new java.util.ArrayList<>();
        for (int i = 0; i < MAX_DESCRIPTORS; i++) {
            long sector = sessionStart + FIRST_SECTOR + i;
            VolumeDescriptor vd = parse(dev.read(sector * SECTOR, SECTOR), (int) sector);
            if (vd == null) {
                if (i == 0) throw new Cd9660Error(Errno.EFTYPE, "no ISO 9660 volume descriptor at sector " + sector);
                throw Cd9660Error.corrupt("volume descriptor set: sector " + sector + " is not a descriptor and no terminator came before it");
            }
            if (vd.type() == TERMINATOR) return set;
            set.add(vd);
        }
        throw Cd9660Error.corrupt("volume descriptor set: no terminator within " + MAX_DESCRIPTORS + " sectors");
    }
}
