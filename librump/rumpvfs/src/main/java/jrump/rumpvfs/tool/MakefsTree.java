package jrump.rumpvfs.tool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The tree a makefs writes into a new image (NetBSD makefs' fsnode tree), the same for every file system
 * type: the caller builds it (from a host directory, or by hand in a test) and hands its root to the
 * type's Makefs with an {@link ImageWriter}. A type keeps what it can hold of it: ext2fs and cd9660 with
 * Rock Ridge everything, FAT only directories, regular files and modification times.
 */
public final class MakefsTree {
    private MakefsTree() {
    }

    /**
     * A node's ownership and times: {@code perm} the permission bits (07777, without the S_IFMT type),
     * {@code uid}/{@code gid} numeric owner and group, {@code atime}/{@code mtime}/{@code ctime} access,
     * modification and status-change times in nanoseconds since 1970-01-01 UTC (each type keeps the
     * precision it has: ext2fs nanoseconds, ISO 9660 seconds, FAT two seconds).
     */
    public record Attrs(int perm, int uid, int gid, long atime, long mtime, long ctime) {
    }

    /**
     * A regular file's bytes: reads at byte {@code offset} of the file into {@code dst} (up to its
     * remaining bytes), returning how many it read, or -1 past the end. A Makefs reads each file in order,
     * from offset 0 to its size, once per node (a node under two names is read once where the type
     * stores it once).
     */
    @FunctionalInterface
    public interface Content {
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** A node of the tree; the same object under two names is one file with two links (a hard link). */
    public sealed interface Node permits Dir, File, Symlink, Special {
        Attrs attrs();
    }

    /** A directory and its entries in the order given (names without '/'; "." and ".." are the Makefs' own). */
    public record Dir(Attrs attrs, List<Map.Entry<String, Node>> entries) implements Node {
    }

    /** A regular file of {@code size} bytes read from {@code content}. */
    public record File(Attrs attrs, long size, Content content) implements Node {
    }

    /** A symbolic link to {@code target}, stored as given (not resolved). */
    public record Symlink(Attrs attrs, String target) implements Node {
    }

    /**
     * A FIFO, socket or device: {@code type} its S_IFMT bits (S_IFIFO 0010000, S_IFCHR 0020000, S_IFBLK
     * 0060000, S_IFSOCK 0140000), {@code major}/{@code minor} the device number of a device, else 0.
     */
    public record Special(Attrs attrs, int type, int major, int minor) implements Node {
    }
}
