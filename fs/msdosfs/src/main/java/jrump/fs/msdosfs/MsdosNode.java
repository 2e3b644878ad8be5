package jrump.fs.msdosfs;

import jrump.rumpvfs.vnode.Vnode;

/**
 * What a vnode of msdosfs holds (NetBSD's denode): the file's directory entry as it is now, where that
 * entry lives on the device, and the file's clusters once walked. FAT has no inodes: the entry is the
 * inode, so a rename moves it; the vnode cache key stays the one the file was loaded with.
 *
 * <p>Locking: fields change under the mount's lock.
 */
final class MsdosNode {
    /** entryPos of the root, which has no entry, and of a file whose entry is gone (unlinked, still open). */
    static final long NO_ENTRY = -1;
    /** entryPos of a directory loaded through "..": found in its parent when first needed. */
    static final long UNKNOWN_ENTRY = -2;

    final long key;
    final boolean isDir;
    final boolean isRoot;
    final DirEntry entry;
    /** Absolute byte offset of the short entry on the device, or NO_ENTRY / UNKNOWN_ENTRY. */
    long entryPos;
    /** The position the vnode key follows (Msdosfs's idPos), -1 for the root. */
    long idPos = -1;
    /** First cluster of the directory holding the entry (0: the root, as ".." entries say). */
    long parentCluster;
    /** Walked on first use. */
    FatChain chain;
    /** A directory's names, built on first use and kept in step with every change. */
    DirIndex index;
    /** Unlinked (a file: its clusters go at the last close) or removed (a directory: already freed). */
    boolean removed;
    Vnode vnode;

    MsdosNode(long key, boolean isDir, boolean isRoot, DirEntry entry, long entryPos, long parentCluster) {
        this.key = key;
        this.isDir = isDir;
        this.isRoot = isRoot;
        this.entry = entry;
        this.entryPos = entryPos;
        this.parentCluster = parentCluster;
    }

    /** The first cluster of a directory as ".." entries of its children name it (0 for the root). */
    long clusterAsParent() {
        return isRoot ? 0 : entry.firstCluster;
    }

    @Override
    public String toString() {
        return "msdosfs node " + Long.toHexString(key) + (isDir ? " (directory)" : "");
    }
}
