package jrump.fs.ext2fs;

/** What a vnode of ext2fs holds: its inode as read from the disk. */
final class Ext2Node {
    final Inode inode;

    Ext2Node(Inode inode) {
        this.inode = inode;
    }

    @Override
    public String toString() {
        return "ext2fs inode " + inode.ino;
    }
}
