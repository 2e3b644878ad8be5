package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

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

    /** Permission bits (07777), owner and times in nanoseconds since the epoch. */
    public record Attrs(int perm, int uid, int gid, long atime, long mtime, long ctime) {
    }

    /** A file's content: reads at {@code offset} into {@code dst}, returning the count or -1 at the end. */
    @FunctionalInterface
    public interface Content {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** A node of the tree; the same File object under two names is a hard link. */
    public sealed interface Node permits Dir, File, Symlink, Special {
        Attrs attrs();
    }

    public record Dir(Attrs attrs, List<Map.Entry<String, Node>> entries) implements Node {
    }

    public record File(Attrs attrs, long size, Content content) implements Node {
    }

    public record Symlink(Attrs attrs, String target) implements Node {
    }

    /** A device, FIFO or socket: {@code type} is its S_IFMT bits (S_IFCHR 0020000, S_IFBLK, S_IFIFO, S_IFSOCK). */
    public record Special(Attrs attrs, int type, int major, int minor) implements Node {
    }

    /** Where the image's bytes go; bytes never written must read as zeros. */
    @FunctionalInterface
    public interface Sink {
        void write(long offset, ByteBuffer data) throws IOException;
    }

    /** The image made: its size in 2048-byte sectors and what it holds. */
    public record Result(long sectors, int directories, int files) {
        public long bytes() {
            return sectors * VolumeDescriptor.SECTOR;
        }
    }

    /** Lays out and writes the image of {@code root}. */
    public static Result build(Dir root, Options o, Sink out) throws IOException {
        return build(root, o, out, MAX_EXTENT);
    }

    /** As {@link #build(Dir, Options, Sink)} with extents of at most {@code maxExtent} bytes (tests: small ones). */
    static Result build(Dir root, Options o, Sink out, long maxExtent) throws IOException {
        if (maxExtent <= 0 || maxExtent > MAX_EXTENT || maxExtent % VolumeDescriptor.SECTOR != 0) {
            throw new IllegalArgumentException("extents of " + maxExtent + " bytes");
        }
        return new MakefsLayout(root, o, maxExtent).write(out);
    }
}
