package jrump.rumpvfs.tool;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a host-side tool (newfs, makefs) puts an image's bytes: the caller owns the image file (or a cgd
 * in front of it) and the tool only says what goes where. Bytes never written must read as zeros, so a
 * tool may skip holes.
 */
@FunctionalInterface
public interface ImageWriter {
    /** Writes all of {@code data}'s remaining bytes, the one at its position going to byte {@code offset}. */
    void write(long offset, ByteBuffer data) throws IOException;
}
