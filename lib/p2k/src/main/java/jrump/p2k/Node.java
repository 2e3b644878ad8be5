package jrump.p2k;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Stat;

/**
 * What a FUSE node id stands for: one file of the rump kernel, named by its inode number. A directory node
 * holds an open descriptor of the directory (the rump kernel's reference on its vnode), against which
 * every *at system call on its entries runs. Any other node is reached through the names the Linux kernel
 * knows it by — (directory node, name) pairs, each a directory entry whose directory is itself held open —
 * and through the descriptors its open FUSE file handles hold (so an unlinked open file stays reachable).
 *
 * <p>Locking: every mutable field is guarded by the {@link NodeTable}'s monitor.
 */
final class Node {
    /** One directory entry of a non-directory node. */
    record Link(Node dir, String name) {
    }

    final long id;
    final long ino;
    /** S_IFMT bits of the file's mode (the same on NetBSD and Linux). */
    final int type;
    /** The directory's descriptor in the rump kernel; -1 for anything else. */
    final int dirFd;
    /** FUSE's lookup count: LOOKUP, CREATE, MKNOD, MKDIR, SYMLINK, LINK and READDIRPLUS entries add one. */
    long nlookup;
    /** Non-directories: the entries the Linux kernel has looked it up by. */
    final List<Link> links = new ArrayList<>(1);
    /** Directories: how many links of other nodes name an entry in this directory (they need dirFd). */
    int childLinks;
    /** Descriptors of the node's open FUSE file handles. */
    final List<Integer> openFds = new ArrayList<>(1);
    /** Borrowers of an open descriptor (NodeTable.borrowOpenFd) and the released ones waiting for them. */
    int borrows;
    final List<Integer> closing = new ArrayList<>(0);

    Node(long id, long ino, int type, int dirFd) {
        this.id = id;
        this.ino = ino;
        this.type = type;
        this.dirFd = dirFd;
    }

    boolean isDirectory() {
        return type == Stat.S_IFDIR;
    }

    @Override
    public String toString() {
        return "node " + id + " (ino " + ino + ")";
    }
}
