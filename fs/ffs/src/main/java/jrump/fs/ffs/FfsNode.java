package jrump.fs.ffs;

import java.util.Map;

import jrump.rumpvfs.vnode.VType;

/**
 * What a vnode of ffs holds (NetBSD's struct inode): the inode number and the decoded on-disk inode, which
 * a read-write mount changes in place and writes back with {@link Ffs#writeInode}. Locking: the fields
 * change under the vnode's exclusive lock.
 */
final class FfsNode {
    final long ino;
    final Dinode din;
    /** A directory's names to entry offsets, built by the first lookup in a directory of more than one block. */
    Map<String, Long> names;
    /** A directory's first chunk that may have room for a new entry (ufs's i_diroff). */
    long freeHint;

    FfsNode(long ino, Dinode din) {
        this.ino = ino;
        this.din = din;
    }

    VType vtype() {
        return switch (din.type()) {
            case Dinode.IFDIR -> VType.VDIR;
            case Dinode.IFLNK -> VType.VLNK;
            case Dinode.IFCHR -> VType.VCHR;
            case Dinode.IFBLK -> VType.VBLK;
            case Dinode.IFIFO -> VType.VFIFO;
            case Dinode.IFSOCK -> VType.VSOCK;
            default -> VType.VREG;
        };
    }

    boolean isDir() {
        return din.isDir();
    }

    @Override
    public String toString() {
        return "ffs inode " + ino;
    }
}
