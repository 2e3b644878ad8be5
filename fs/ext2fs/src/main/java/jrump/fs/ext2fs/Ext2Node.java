package jrump.fs.ext2fs;

import java.util.Map;

/** What a vnode of ext2fs holds: its inode as read from the disk, and for a directory its names once read. */
final class Ext2Node {
    final Inode inode;
    /**
     * A directory's names to inode numbers, built by the first lookup that has to read more than one block:
     * then every later lookup is a hash probe instead of a walk of the whole directory. A read-write mount
     * keeps it current as names come and go.
     */
    volatile Map<String, Long> names;
    /** A read-write mount's first directory block worth trying for a new name (blocks before it were full). */
    long insertHint;

    Ext2Node(Inode inode) {
        this.inode = inode;
    }

    @Override
    public String toString() {
        return "ext2fs inode " + inode.ino;
    }
}
