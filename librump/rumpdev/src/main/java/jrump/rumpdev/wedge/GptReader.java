package jrump.rumpdev.wedge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import jrump.rumpdev.DiskException;
import jrump.rumpdev.GptPartition;
import jrump.rumpdev.Partition;
import jrump.rumpkern.Errno;

/**
 * The partitions of a GPT disk (UEFI Specification 2.10, section 5.3). The primary table (header at LBA 1)
 * is used when it is sound; when it is not, the backup whose header is at the disk's last LBA, as section
 * 5.3.2 says software must. Sound means: the header passes {@link GptHeader}'s checks, the entry array's
 * CRC32 matches, and every used entry lies in the usable LBAs without overlapping another. When both
 * tables fail, the error gives both reasons. Nothing is written back: repairing is the user's tool's job.
 */
final class GptReader {
    /** The primary GPT header's LBA (section 5.3.1). */
    static final long PRIMARY_HEADER_LBA = 1;
    /** Offsets within a partition entry (section 5.3.3). */
    static final int OFF_PARTITION_TYPE_GUID = 0;
    static final int OFF_UNIQUE_PARTITION_GUID = 16;
    static final int OFF_STARTING_LBA = 32;
    static final int OFF_ENDING_LBA = 40;
    static final int OFF_ATTRIBUTES = 48;
    static final int OFF_PARTITION_NAME = 56;
    /** PartitionName: 36 UTF-16LE code units, ended by a NUL when shorter. */
    static final int PARTITION_NAME_BYTES = 72;

    private GptReader() {
    }

    static List<Partition> read(SectorReader disk) throws DiskException {
        long sectors = disk.sectors();
        // a protective MBR, two headers and at least one usable LBA between them
        if (sectors < 4) throw damaged(disk.name() + ": a protective MBR on a disk of " + sectors + " sectors, too small for a GPT");
        long backupLba = sectors - 1;
        String primaryProblem;
        try {
            return table(disk, PRIMARY_HEADER_LBA);
        } catch (GptHeader.Damaged e) {
            primaryProblem = e.getMessage();
        }
        try {
            return table(disk, backupLba);
        } catch (GptHeader.Damaged e) {
            throw damaged(disk.name() + ": GPT: the primary table at LBA 1 is damaged (" + primaryProblem
                    + ") and so is the backup at LBA " + backupLba + " (" + e.getMessage() + ")");
        }
    }

    /** The partitions of the table whose header is at {@code headerLba}. */
    private static List<Partition> table(SectorReader disk, long headerLba) throws DiskException, GptHeader.Damaged {
        GptHeader h = GptHeader.parse(disk.read(headerLba, 1), headerLba, disk.sectors());
        if (h.entryArrayBytes() == 0) return List.of();
        ByteBuffer array = disk.read(h.partitionEntryLba(), h.entryArraySectors());
        CRC32 crc = new CRC32();
        crc.update(array.slice(0, h.entryArrayBytes()));
        if ((int) crc.getValue() != h.partitionEntryArrayCrc32()) {
            throw new GptHeader.Damaged(String.format("entry array CRC32 is %08x, the header says %08x",
                    (int) crc.getValue(), h.partitionEntryArrayCrc32()));
        }
        List<Partition> parts = new ArrayList<>();
        List<Extent> extents = new ArrayList<>();
        for (int i = 0; i < h.numberOfPartitionEntries(); i++) {
            int at = i * h.sizeOfPartitionEntry();
            if (Guids.isZero(array, at + OFF_PARTITION_TYPE_GUID)) continue; // an unused entry
            String name = name(array, at + OFF_PARTITION_NAME);
            String label = "entry " + (i + 1) + " (\"" + name + "\")";
            long first = array.getLong(at + OFF_STARTING_LBA);
            long last = array.getLong(at + OFF_ENDING_LBA);
            // unsigned LBAs past 2^63 read negative: outside the usable range like any other too large
            if (first < h.firstUsableLba() || last > h.lastUsableLba() || last < first) {
                throw new GptHeader.Damaged(label + " (LBAs " + Long.toUnsignedString(first) + "-" + Long.toUnsignedString(last)
                        + ") is not a range within the usable LBAs " + h.firstUsableLba() + "-" + h.lastUsableLba());
            }
            extents.add(new Extent(label, first, last));
            parts.add(new GptPartition(i + 1, first * SectorReader.SECTOR_SIZE, (last - first + 1) * SectorReader.SECTOR_SIZE,
                    Guids.read(array, at + OFF_PARTITION_TYPE_GUID), Guids.read(array, at + OFF_UNIQUE_PARTITION_GUID),
                    name, array.getLong(at + OFF_ATTRIBUTES)));
        }
        try {
            Extent.requireDisjoint("entries", extents);
        } catch (DiskException overlap) {
            throw new GptHeader.Damaged(overlap.getMessage());
        }
        return List.copyOf(parts);
    }

    private static String name(ByteBuffer array, int at) {
        int length = 0;
        while (length < PARTITION_NAME_BYTES && array.getChar(at + length) != 0) length += 2;
        byte[] utf16 = new byte[length];
        array.get(at, utf16);
        return new String(utf16, StandardCharsets.UTF_16LE);
    }

    private static DiskException damaged(String message) {
        return new DiskException(Errno.EFTYPE.number(), message);
    }
}
