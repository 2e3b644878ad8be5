package jrump.rumpdev.wedge;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A 512-byte boot record, MBR or EBR (UEFI Specification 2.10, section 5.2.1 "Legacy Master Boot Record
 * (MBR)"): boot code, four 16-byte partition records at byte 446, the signature 0x55 0xAA at byte 510.
 */
record BootRecord(List<Entry> entries) {
    /** Byte offset of the first partition record. */
    static final int PARTITION_RECORDS_OFFSET = 446;
    static final int PARTITION_RECORD_SIZE = 16;
    static final int PARTITION_RECORDS = 4;
    /** Byte offset of the two-byte signature 0x55, 0xAA (0xAA55 read little-endian). */
    static final int SIGNATURE_OFFSET = 510;
    static final int SIGNATURE = 0xAA55;
    /** BootIndicator: 0x80 marks the legacy bootable partition, 0x00 any other; other values are invalid. */
    static final int BOOT_INDICATOR_ACTIVE = 0x80;
    /** UEFI 2.10 section 5.2.3 "Protective MBR": OSType 0xEE, "GPT Protective", covers the GPT disk. */
    static final int OS_TYPE_GPT_PROTECTIVE = 0xEE;

    /**
     * One partition record. Offsets within it: 0 BootIndicator, 1-3 StartingCHS (ignored: LBAs rule),
     * 4 OSType, 5-7 EndingCHS, 8 StartingLBA (u32), 12 SizeInLBA (u32).
     *
     * @param slot 1-4
     */
    record Entry(int slot, int bootIndicator, int type, long startingLba, long sizeInLba) {
        /** Type 0 marks an unused record; a record of no sectors describes nothing either. */
        boolean isEmpty() {
            return type == 0 || sizeInLba == 0;
        }
    }

    /** The record in {@code sector}, or null when it has no 0x55AA signature. */
    static BootRecord parse(ByteBuffer sector) {
        if (Short.toUnsignedInt(sector.getShort(SIGNATURE_OFFSET)) != SIGNATURE) return null;
        List<Entry> entries = new ArrayList<>(PARTITION_RECORDS);
        for (int i = 0; i < PARTITION_RECORDS; i++) {
            int at = PARTITION_RECORDS_OFFSET + i * PARTITION_RECORD_SIZE;
            entries.add(new Entry(i + 1, Byte.toUnsignedInt(sector.get(at)), Byte.toUnsignedInt(sector.get(at + 4)),
                    Integer.toUnsignedLong(sector.getInt(at + 8)), Integer.toUnsignedLong(sector.getInt(at + 12))));
        }
        return new BootRecord(List.copyOf(entries));
    }

    /**
     * Whether the records can be a partition table: every boot indicator is 0x00 or 0x80. A FAT or NTFS
     * boot sector also ends in 0x55AA, and its code there rarely passes this.
     */
    boolean plausiblePartitionTable() {
        return entries.stream().allMatch(e -> e.bootIndicator() == 0 || e.bootIndicator() == BOOT_INDICATOR_ACTIVE);
    }

    /** A GPT disk's MBR: some record is of type 0xEE (a hybrid MBR has others beside it; the GPT rules). */
    boolean isProtective() {
        return entries.stream().anyMatch(e -> !e.isEmpty() && e.type() == OS_TYPE_GPT_PROTECTIVE);
    }
}
