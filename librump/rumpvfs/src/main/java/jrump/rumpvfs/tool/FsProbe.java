package jrump.rumpvfs.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SequencedMap;

/**
 * A file system type's self-description for host-side tools (`jrump info`, what dumpe2fs -h, fsck.fat -v
 * and isoinfo -d print): label, identifiers, sizes and features, read from the image's own structures
 * without mounting. Found by ServiceLoader; the caller reads the image.
 */
public interface FsProbe {
    /** The image's bytes as the caller reads them: into {@code dst} from byte {@code offset}; -1 at the end. */
    @FunctionalInterface
    interface ImageReader {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** The type's name as mount takes it. */
    String type();

    /**
     * "field: value" pairs in the order a user reads them ("type", "label", "UUID", "block size"...), for
     * the file system at the start of an image (or window) of {@code sizeBytes}; null when it does not
     * hold this type. A damaged structure is described as such, not thrown.
     */
    SequencedMap<String, String> describe(long sizeBytes, ImageReader image) throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset}; null when the image ends before. */
    static ByteBuffer readFully(ImageReader image, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (image.read(offset + b.position(), b) < 0) return null;
        }
        return b.flip();
    }
}
