package jrump.fs.cd9660;

import java.util.Map;

import jrump.rumpvfs.vnode.VType;

/**
 * What a vnode of cd9660 holds: a file's attributes (Rock Ridge's, else ISO 9660's defaults), where its
 * data lies, and for a directory its extent. The key is the vnode cache's and the file id: a directory's
 * first byte, a file's directory record position (NetBSD's isodirino and record-address inode numbers), so
 * both are stable for the life of the image.
 *
 * <p>A file's data is one or more extents (multi-extent files, ECMA-119 §6.5.1, of any total size), each
 * possibly interleaved (§6.4.3: {@code unit} blocks recorded, {@code gap} blocks skipped, repeatedly).
 */
final class IsoNode {
    final long key;
    final VType type;
    final int perm;
    final long nlink;
    final long uid;
    final long gid;
    final long size;
    final long atime;
    final long mtime;
    final long ctime;
    final long birthtime;
    final long rdev;
    /** A symbolic link's target (Rock Ridge SL), else null. */
    final String link;
    /** Each extent's first byte on the image and its length in bytes. */
    final long[] extentStart;
    final long[] extentLength;
    final int unit;
    final int gap;
    /** A directory's parent directory key (".." or Rock Ridge PL); the root's is its own. */
    final long parentKey;
    /** A directory's names to record offsets, built by the first lookup that reads more than one sector. */
    volatile Map<String, Long> names;

    IsoNode(long key, VType type, int perm, long nlink, long uid, long gid, long size, long[] times, long rdev, String link,
            long[] extentStart, long[] extentLength, int unit, int gap, long parentKey) {
        this.key = key;
        this.type = type;
        this.perm = perm;
        this.nlink = nlink;
        this.uid = uid;
        this.gid = gid;
        this.size = size;
        this.atime = times[0];
        this.mtime = times[1];
        this.ctime = times[2];
        this.birthtime = times[3];
        this.rdev = rdev;
        this.link = link;
        this.extentStart = extentStart;
        this.extentLength = extentLength;
        this.unit = unit;
        this.gap = gap;
        this.parentKey = parentKey;
    }

    boolean isDir() {
        return type == VType.VDIR;
    }

    @Override
    public String toString() {
        return "cd9660 file " + key;
    }
}
