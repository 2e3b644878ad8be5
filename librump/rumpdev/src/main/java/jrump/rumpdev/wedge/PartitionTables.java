package jrump.rumpdev.wedge;

import java.util.List;

import jrump.rumpdev.DiskException;
import jrump.rumpdev.Partition;

/**
 * Finds a device's partitions (NetBSD's dkwedge discovery): sector 0 decides. No boot-record signature,
 * or boot indicators that are neither 0x00 nor 0x80 (the boot sector of a FAT file system on the whole
 * device), mean no partition table; a protective MBR means a GPT; anything else is an MBR.
 */
public final class PartitionTables {
    private PartitionTables() {
    }

    public static List<Partition> read(SectorReader disk) throws DiskException {
        if (disk.sectors() < 1) return List.of();
        BootRecord mbr = BootRecord.parse(disk.read(0, 1));
        if (mbr == null || !mbr.plausiblePartitionTable()) return List.of();
        if (mbr.isProtective()) return GptReader.read(disk);
        return List.copyOf(MbrReader.read(disk, mbr));
    }
}
