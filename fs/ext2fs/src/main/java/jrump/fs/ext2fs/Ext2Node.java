package jrump.fs.ext2fs;

import java.util.Map;

/** What a vnode of ext2fs holds: its inode as read from the disk, and for a directory its names once read. */
final class Ext2Node {
    final Inode inode;
    /**
     * A directory's names to inode numbers, built by the first lookup that has to read more than one block:
     * then every later lookup is a hash probe instead of a walk of the whole directory. The mount is
     * read-only, so nothing changes it.
     */
    volatile Map<String, Long> names;

    Ext2Node(Inode inode) {
        this.inode = inode;
    }

    @Override
    public String toString() {
        return "ext2fs inode " + inode.ino;
    }
}
