package jrump.rumpvfs.newfs;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A file system type's newfs, found by ServiceLoader: what lets a user library (ukfs, the NIO provider)
 * make an empty file system of a type it names without depending on that file system's module. Runs on
 * the host side, like NetBSD's newfs(8), writing the image file directly.
 */
public interface NewfsProvider {
    /** The type's name as mount takes it ("ext2fs", "msdos", "ffs"). */
    String type();

    /**
     * Writes an empty file system of {@code sizeBytes} with the type's default layout into {@code image}
     * (opened for reading and writing; its old content is replaced), labelled {@code label} when not null.
     */
    void newfs(FileChannel image, long sizeBytes, String label) throws IOException;
}
