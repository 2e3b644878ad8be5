package jrump.rumpdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import jrump.rumpdev.wedge.PartitionTables;
import jrump.rumpdev.wedge.SectorReader;

/**
 * Reading an image's partition table from the host side, before any kernel exists: what ukfs(3)'s
 * partition probing needs to find the byte window it then gives the kernel. The caller reads the image
 * (this module touches no host file); the same readers and checks against hostile tables as
 * {@link BlockDevice#partitions()}.
 */
public final class PartitionTable {
    private static final int ERRNO_EIO = 5;

    /** The image's bytes as the caller reads them: into {@code dst} from byte {@code offset}; -1 at the end. */
    @FunctionalInterface
    public interface Source {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    private PartitionTable() {
    }

    /** The partitions described by an image of {@code sizeBytes}; empty when it has no table. */
    public static List<Partition> read(long sizeBytes, String name, Source image) throws DiskException {
        long sectors = sizeBytes / SectorReader.SECTOR_SIZE;
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
                        if (image.read(at + b.position(), b) < 0) throw new DiskException(ERRNO_EIO, name + ": short read at sector " + lba);
                    }
                } catch (IOException e) {
                    throw new DiskException(ERRNO_EIO, name + ": " + e.getMessage(), e);
                }
                return b.flip();
            }
        });
    }
}
