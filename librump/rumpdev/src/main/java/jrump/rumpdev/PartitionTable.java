package jrump.rumpdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;

import jrump.rumpdev.wedge.PartitionTables;
import jrump.rumpdev.wedge.SectorReader;

/**
 * Reading an image's partition table from the host side, before any kernel exists: what ukfs(3)'s
 * partition probing needs to find the byte window it then gives the kernel. Same readers and the same
 * checks against hostile tables as {@link BlockDevice#partitions()}.
 */
public final class PartitionTable {
    private static final int ERRNO_EIO = 5;

    private PartitionTable() {
    }

    /** The partitions described by the image open as {@code image}; empty when it has no table. */
    public static List<Partition> read(FileChannel image, String name) throws DiskException {
        long sectors;
        try {
            sectors = image.size() / SectorReader.SECTOR_SIZE;
        } catch (IOException e) {
            throw new DiskException(ERRNO_EIO, name + ": " + e.getMessage(), e);
        }
        return PartitionTables.read(new SectorReader() {
            @Override
            public long sectors() {
                return sectors;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public ByteBuffer read(long lba, int count) throws DiskException {
                ByteBuffer b = ByteBuffer.allocate(count * SECTOR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                try {
                    long at = lba * SECTOR_SIZE;
                    while (b.hasRemaining()) {
                        int n = image.read(b, at + b.position());
                        if (n < 0) throw new DiskException(ERRNO_EIO, name + ": short read at sector " + lba);
                    }
                } catch (IOException e) {
                    throw new DiskException(ERRNO_EIO, name + ": " + e.getMessage(), e);
                }
                return b.flip();
            }
        });
    }
}
