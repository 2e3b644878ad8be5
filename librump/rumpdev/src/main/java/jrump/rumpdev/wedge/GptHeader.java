package jrump.rumpdev.wedge;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A GPT header (UEFI Specification 2.10, section 5.3.2 "GPT Header"), parsed and checked as that section
 * asks before it is trusted: signature, header size, header CRC32, MyLBA, and usable and entry-array
 * ranges that lie on the disk and apart from each other. The entry array's own CRC32 is checked by
 * {@link GptReader} once the array is read.
 */
record GptHeader(long myLba, long firstUsableLba, long lastUsableLba, long partitionEntryLba,
        int numberOfPartitionEntries, int sizeOfPartitionEntry, int partitionEntryArrayCrc32) {
    /** "EFI PART" as the little-endian 64-bit Signature field. */
    static final long SIGNATURE = 0x5452415020494645L;
    /** Field offsets of section 5.3.2's table. */
    static final int OFF_SIGNATURE = 0;
    static final int OFF_HEADER_SIZE = 12;
    static final int OFF_HEADER_CRC32 = 16;
    static final int OFF_MY_LBA = 24;
    static final int OFF_FIRST_USABLE_LBA = 40;
    static final int OFF_LAST_USABLE_LBA = 48;
    static final int OFF_PARTITION_ENTRY_LBA = 72;
    static final int OFF_NUMBER_OF_PARTITION_ENTRIES = 80;
    static final int OFF_SIZE_OF_PARTITION_ENTRY = 84;
    static final int OFF_PARTITION_ENTRY_ARRAY_CRC32 = 88;
    /** The fields end at 92; HeaderSize must be at least that and at most the logical block size. */
    static final int MIN_HEADER_SIZE = 92;
    /** SizeOfPartitionEntry is 128 x 2^n. */
    static final int MIN_PARTITION_ENTRY_SIZE = 128;
    /**
     * The largest entry array read (the spec's minimum is 16 KiB: 128 entries of 128 bytes). A bound, so
     * that a hostile header cannot make us allocate what it likes.
     */
    static final int MAX_ENTRY_ARRAY_BYTES = 1 << 20;

    /** The array's length in bytes (at most {@link #MAX_ENTRY_ARRAY_BYTES}). */
    int entryArrayBytes() {
        return numberOfPartitionEntries * sizeOfPartitionEntry;
    }

    /** Sectors the array occupies. */
    int entryArraySectors() {
        return (entryArrayBytes() + SectorReader.SECTOR_SIZE - 1) / SectorReader.SECTOR_SIZE;
    }

    /**
     * The header in {@code sector}, read from {@code lba} of a disk of {@code sectors} sectors.
     *
     * @throws Damaged saying what is wrong with it
     */
    static GptHeader parse(ByteBuffer sector, long lba, long sectors) throws Damaged {
        if (sector.getLong(OFF_SIGNATURE) != SIGNATURE) throw new Damaged("no \"EFI PART\" signature");
        long headerSize = Integer.toUnsignedLong(sector.getInt(OFF_HEADER_SIZE));
        if (headerSize < MIN_HEADER_SIZE || headerSize > SectorReader.SECTOR_SIZE) {
            throw new Damaged("header size " + headerSize + " is not in " + MIN_HEADER_SIZE + "-" + SectorReader.SECTOR_SIZE);
        }
        int stored = sector.getInt(OFF_HEADER_CRC32);
        int computed = crc32WithoutField(sector, (int) headerSize);
        if (stored != computed) throw new Damaged(String.format("header CRC32 is %08x, computed %08x", stored, computed));

        GptHeader h = new GptHeader(sector.getLong(OFF_MY_LBA), sector.getLong(OFF_FIRST_USABLE_LBA),
                sector.getLong(OFF_LAST_USABLE_LBA), sector.getLong(OFF_PARTITION_ENTRY_LBA),
                sector.getInt(OFF_NUMBER_OF_PARTITION_ENTRIES), sector.getInt(OFF_SIZE_OF_PARTITION_ENTRY),
                sector.getInt(OFF_PARTITION_ENTRY_ARRAY_CRC32));
        h.check(lba, sectors);
        return h;
    }

    /** LBAs are unsigned 64-bit; one with the top bit set is past any disk, as a negative long here. */
    private void check(long lba, long sectors) throws Damaged {
        long lastLba = sectors - 1;
        if (myLba != lba) throw new Damaged("MyLBA is " + Long.toUnsignedString(myLba) + ", not " + lba);
        // LBA 0 holds the protective MBR, LBA 1 the primary header, the last LBA the backup header
        if (firstUsableLba < 2 || lastUsableLba < firstUsableLba || lastUsableLba >= lastLba) {
            throw new Damaged("usable LBAs " + Long.toUnsignedString(firstUsableLba) + "-" + Long.toUnsignedString(lastUsableLba)
                    + " are not within 2-" + (lastLba - 1) + " of a disk of " + sectors + " sectors");
        }
        long entrySize = Integer.toUnsignedLong(sizeOfPartitionEntry);
        if (entrySize < MIN_PARTITION_ENTRY_SIZE || entrySize % MIN_PARTITION_ENTRY_SIZE != 0
                || Long.bitCount(entrySize / MIN_PARTITION_ENTRY_SIZE) != 1) {
            throw new Damaged("partition entry size " + entrySize + " is not 128 x 2^n");
        }
        long arrayBytes = Integer.toUnsignedLong(numberOfPartitionEntries) * entrySize;
        if (arrayBytes > MAX_ENTRY_ARRAY_BYTES) {
            throw new Damaged(Integer.toUnsignedString(numberOfPartitionEntries) + " entries of " + entrySize
                    + " bytes exceed the " + MAX_ENTRY_ARRAY_BYTES + "-byte bound on entry arrays");
        }
        if (arrayBytes == 0) return;
        long arrayLast = partitionEntryLba + entryArraySectors() - 1;
        boolean onDisk = partitionEntryLba >= 2 && partitionEntryLba <= lastLba && arrayLast <= lastLba;
        boolean apart = (arrayLast < firstUsableLba || partitionEntryLba > lastUsableLba)
                && (myLba < partitionEntryLba || myLba > arrayLast);
        if (!onDisk || !apart) {
            throw new Damaged("entry array at LBAs " + Long.toUnsignedString(partitionEntryLba) + "-" + Long.toUnsignedString(arrayLast)
                    + " is not on the disk apart from the header and the usable LBAs " + firstUsableLba + "-" + lastUsableLba);
        }
    }

    /** CRC32 of the first {@code length} bytes with the HeaderCRC32 field taken as zero, as the spec computes it. */
    private static int crc32WithoutField(ByteBuffer sector, int length) {
        byte[] bytes = new byte[length];
        sector.get(0, bytes);
        for (int i = 0; i < 4; i++) bytes[OFF_HEADER_CRC32 + i] = 0;
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Why a GPT header or its entry array cannot be used. */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String reason) {
            super(reason, null, false, false);
        }
    }
}
