package jrump.rumpvfs.tool;

import java.io.IOException;

/**
 * A file system type's newfs, found by ServiceLoader: what lets a user library (ukfs, the NIO provider)
 * make an empty file system of a type it names without depending on that file system's module. Like
 * NetBSD's newfs(8) it runs outside any kernel; the caller owns the image file and hands over a writer,
 * the time and the randomness (kernel-side modules touch no host resource themselves).
 */
public interface NewfsProvider {
    /** What to make: a file system of at most {@code sizeBytes}, labelled {@code label} when not null. */
    record Request(long sizeBytes, String label, long seed, long nowNanos) {
    }

    /** The type's name as mount takes it ("ext2fs", "msdos", "ffs"). */
    String type();

    /**
     * Writes an empty file system with the type's default layout through {@code out} and returns the
     * image's size in bytes (the caller sizes the file to it). IllegalArgumentException for a request the
     * type cannot meet (too small, a bad label).
     */
    long newfs(Request request, ImageWriter out) throws IOException;
}
