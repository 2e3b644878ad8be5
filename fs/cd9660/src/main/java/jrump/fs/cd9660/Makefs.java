package jrump.fs.cd9660;

import java.io.IOException;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree.Dir;

/**
 * Builds an ISO 9660 image of a tree (NetBSD's makefs -t cd9660): the primary hierarchy with interchange
 * level 2 identifiers, Rock Ridge (RRIP 1.12 over SUSP) and a Joliet hierarchy on request, files past
 * 4 GiB as several extents (level 3), and optionally an El Torito no-emulation boot entry. No kernel is
 * involved: the caller hands over the tree and where the bytes go, and {@code jrump makefs -t cd9660}
 * feeds it from a host directory.
 *
 * <p>Directories deeper than ECMA-119's eight levels are written where they are, as xorriso does by
 * default (no rr_moved relocation).
 */
public final class Makefs {
    /** The largest extent: a multiple of the block size below 4 GiB (the 32-bit data length). */
    static final long MAX_EXTENT = 0xFFFFF800L;

    private Makefs() {
    }

    /**
     * What to write. {@code label}: the volume identifier (null: "CDROM"); {@code bootImage}: the path in
     * the tree of an El Torito no-emulation boot image (null: none); {@code timestamp}: the volume's
     * creation time, nanoseconds since the epoch.
     */
    public record Options(boolean rockRidge, boolean joliet, String label, String bootImage, long timestamp) {
    }

    /** The image made: its size in 2048-byte sectors and what it holds. */
    public record Result(long sectors, int directories, int files) {
        public long bytes() {
            return sectors * VolumeDescriptor.SECTOR;
        }
    }

    /** Lays out and writes the image of {@code root}. */
    public static Result build(Dir root, Options o, ImageWriter out) throws IOException {
        return build(root, o, out, MAX_EXTENT);
    }

    /** As {@link #build(Dir, Options, ImageWriter)} with extents of at most {@code maxExtent} bytes (tests: small ones). */
    static Result build(Dir root, Options o, ImageWriter out, long maxExtent) throws IOException {
        if (maxExtent <= 0 || maxExtent > MAX_EXTENT || maxExtent % VolumeDescriptor.SECTOR != 0) {
            throw new IllegalArgumentException("extents of " + maxExtent + " bytes");
        }
        return new MakefsLayout(root, o, maxExtent).write(out);
    }
}
