package jrump.rumpdev.wedge;

import java.nio.ByteBuffer;

import jrump.rumpdev.DiskException;

/** The sectors of a device as the partition-table readers see them: 512 bytes each, numbered from 0. */
public interface SectorReader {
    /** The logical block size partition tables are read with (an LBA is this many bytes). */
    int SECTOR_SIZE = 512;

    /** Whole sectors of the device; a partial sector at the end does not count. */
    long sectors();

    /** The device's name, for messages. */
    String name();

    /**
     * Sectors [lba, lba + count) in a little-endian buffer positioned at 0; the caller has checked that
     * they lie on the device.
     */
    ByteBuffer read(long lba, int count) throws DiskException;
}
