package jrump.rumpdev.wedge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jrump.rumpdev.DiskException;
import jrump.rumpdev.MbrPartition;
import jrump.rumpkern.Errno;

/**
 * The partitions of an MBR disk: the four primary records, and in an extended partition the chain of EBRs
 * (the DOS 3.3 convention): each EBR's first record is a logical partition, its start relative to that
 * EBR; its second record, when used, links to the next EBR, its start relative to the extended
 * partition's start. Later records of an EBR are ignored.
 *
 * <p>Everything is checked before it is believed: partitions must lie on the disk (logical ones inside
 * the extended partition) and not overlap each other or an EBR; the chain must stay inside the extended
 * partition, visit no EBR twice (a loop) and hold at most {@link #MAX_LOGICAL_PARTITIONS} EBRs. A damaged
 * table is an EFTYPE that names the record at fault.
 */
final class MbrReader {
    /**
     * The most EBRs a chain may have: far more than any partitioning tool makes, and a bound on the sectors
     * a hostile chain can make us read.
     */
    static final int MAX_LOGICAL_PARTITIONS = 128;
    /** Linux and sfdisk number logical partitions after the four primary slots. */
    static final int FIRST_LOGICAL_NUMBER = 5;

    private MbrReader() {
    }

    static List<MbrPartition> read(SectorReader disk, BootRecord mbr) throws DiskException {
        String where = disk.name() + ": MBR";
        long sectors = disk.sectors();
        List<MbrPartition> parts = new ArrayList<>();
        List<Extent> primaries = new ArrayList<>();
        BootRecord.Entry extended = null;
        for (BootRecord.Entry e : mbr.entries()) {
            if (e.isEmpty()) continue;
            String label = "entry " + e.slot() + " (type 0x" + hex(e.type()) + ")";
            if (e.startingLba() == 0) throw damaged(where + ": " + label + " starts at sector 0, over the MBR itself");
            long end = e.startingLba() + e.sizeInLba(); // exclusive; both are u32, no overflow
            if (end > sectors) {
                throw damaged(where + ": " + label + " (sectors " + e.startingLba() + "-" + (end - 1)
                        + ") ends past the disk's last sector " + (sectors - 1));
            }
            boolean isExtended = MbrPartition.isExtendedType(e.type());
            if (isExtended && extended != null) {
                throw damaged(where + ": entry " + e.slot() + " is a second extended partition (entry " + extended.slot() + " is one)");
            }
            if (isExtended) extended = e;
            primaries.add(new Extent(label, e.startingLba(), end - 1));
            parts.add(new MbrPartition(e.slot(), e.startingLba() * SectorReader.SECTOR_SIZE, e.sizeInLba() * SectorReader.SECTOR_SIZE,
                    e.type(), e.bootIndicator() == BootRecord.BOOT_INDICATOR_ACTIVE,
                    isExtended ? MbrPartition.Kind.EXTENDED : MbrPartition.Kind.PRIMARY));
        }
        Extent.requireDisjoint(where, primaries);
        if (extended != null) parts.addAll(logicals(disk, extended));
        return parts;
    }

    /** Walks the EBR chain of {@code extended}. */
    private static List<MbrPartition> logicals(SectorReader disk, BootRecord.Entry extended) throws DiskException {
        long extFirst = extended.startingLba();
        long extEnd = extFirst + extended.sizeInLba(); // exclusive; inside the disk, checked by the caller
        List<MbrPartition> logicals = new ArrayList<>();
        List<Extent> claimed = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        int number = FIRST_LOGICAL_NUMBER;
        long ebr = extFirst;
        while (true) {
            String here = disk.name() + ": EBR at sector " + ebr;
            if (!visited.add(ebr)) throw damaged(here + " is reached a second time: the EBR chain loops");
            if (visited.size() > MAX_LOGICAL_PARTITIONS) {
                throw damaged(disk.name() + ": the EBR chain of the extended partition (entry " + extended.slot()
                        + ") goes on past " + MAX_LOGICAL_PARTITIONS + " EBRs");
            }
            BootRecord record = BootRecord.parse(disk.read(ebr, 1));
            if (record == null) throw damaged(here + " has no 0x55AA signature");
            claimed.add(new Extent("the EBR at sector " + ebr, ebr, ebr));
            BootRecord.Entry data = record.entries().get(0);
            BootRecord.Entry link = record.entries().get(1);
            if (!data.isEmpty()) {
                String label = "logical partition " + number + " (type 0x" + hex(data.type()) + ")";
                if (MbrPartition.isExtendedType(data.type())) throw damaged(here + ": its first entry, meant for a logical partition, is an extended link");
                if (data.startingLba() == 0) throw damaged(here + ": " + label + " starts on the EBR itself");
                long first = ebr + data.startingLba();
                long last = first + data.sizeInLba() - 1;
                if (last >= extEnd) {
                    throw damaged(here + ": " + label + " (sectors " + first + "-" + last
                            + ") ends past the extended partition (sectors " + extFirst + "-" + (extEnd - 1) + ")");
                }
                claimed.add(new Extent(label, first, last));
                logicals.add(new MbrPartition(number++, first * SectorReader.SECTOR_SIZE, data.sizeInLba() * SectorReader.SECTOR_SIZE,
                        data.type(), data.bootIndicator() == BootRecord.BOOT_INDICATOR_ACTIVE, MbrPartition.Kind.LOGICAL));
            }
            if (link.isEmpty()) break;
            if (!MbrPartition.isExtendedType(link.type())) {
                throw damaged(here + ": its second entry (type 0x" + hex(link.type()) + ") is no link to a next EBR");
            }
            long next = extFirst + link.startingLba();
            if (next >= extEnd) {
                throw damaged(here + " links to sector " + next + ", past the extended partition (sectors "
                        + extFirst + "-" + (extEnd - 1) + ")");
            }
            ebr = next;
        }
        Extent.requireDisjoint(disk.name() + ": extended partition", claimed);
        return logicals;
    }

    private static String hex(int type) {
        return String.format("%02x", type);
    }

    private static DiskException damaged(String message) {
        return new DiskException(Errno.EFTYPE.number(), message);
    }
}
