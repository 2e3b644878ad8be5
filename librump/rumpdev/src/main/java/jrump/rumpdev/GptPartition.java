package jrump.rumpdev;

import java.util.UUID;

/**
 * A partition of a GUID partition table (UEFI Specification 2.10, section 5.3.3, "GPT Partition Entry
 * Array").
 *
 * @param type       the partition type GUID (e.g. 0fc63daf-8483-4772-8e79-3d69d8477de4, Linux data)
 * @param uuid       the unique partition GUID
 * @param name       the partition name (at most 36 UTF-16 code units; empty when unnamed)
 * @param attributes the 64 attribute bits
 */
public record GptPartition(int number, long offset, long size, UUID type, UUID uuid, String name, long attributes)
        implements Partition {
    /** UEFI 2.10 section 5.3.3, attribute bit 0: the platform needs this partition to function. */
    public static final long ATTR_REQUIRED_PARTITION = 1L << 0;
    /** Attribute bit 1: firmware must not produce an EFI_BLOCK_IO_PROTOCOL for this partition. */
    public static final long ATTR_NO_BLOCK_IO_PROTOCOL = 1L << 1;
    /** Attribute bit 2: legacy BIOS bootable (what a "boot" flag of an MBR becomes). */
    public static final long ATTR_LEGACY_BIOS_BOOTABLE = 1L << 2;
    /** Bits 48-63 belong to the partition type; their meaning is the type owner's. */
    public static final int TYPE_SPECIFIC_SHIFT = 48;

    public boolean hasAttribute(long bit) {
        return (attributes & bit) != 0;
    }

    /** The sixteen type-specific attribute bits (48-63), shifted down. */
    public int typeSpecificAttributes() {
        return (int) (attributes >>> TYPE_SPECIFIC_SHIFT);
    }
}
