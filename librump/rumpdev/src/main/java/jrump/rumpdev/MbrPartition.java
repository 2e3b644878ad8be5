package jrump.rumpdev;

/**
 * A partition of a master boot record: a primary entry of the MBR, the extended partition that holds the
 * chain of EBRs, or a logical partition described by one EBR.
 *
 * @param type     the one-byte system id (0x83 Linux, 0x0c FAT32 LBA, 0xa9 NetBSD, 0x05 extended...)
 * @param bootable the boot indicator is 0x80 (sfdisk's "bootable")
 */
public record MbrPartition(int number, long offset, long size, int type, boolean bootable, Kind kind) implements Partition {
    /** Where the entry came from. */
    public enum Kind { PRIMARY, EXTENDED, LOGICAL }

    /** The system ids of extended partitions: CHS (0x05), LBA (0x0f, Windows 95) and Linux's (0x85). */
    public static boolean isExtendedType(int type) {
        return type == 0x05 || type == 0x0f || type == 0x85;
    }
}
