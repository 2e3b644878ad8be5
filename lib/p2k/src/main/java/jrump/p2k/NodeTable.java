package jrump.p2k;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * FUSE node ids and their lookup counts (the kernel's nlookup, fuse.h "FORGET"): a node lives from the first
 * reply that names it until FORGET brings its count back to zero. A directory's descriptor is closed only when
 * no node of the kernel's and no link of another node needs it any more. One inode is one node, so hard links
 * share a node id as they share an inode.
 *
 * <p>Locking: the table's monitor guards the inode map and every node's mutable fields; {@link #get} reads the
 * id map without it.
 */
final class NodeTable {
    private final Map<Long, Node> byId = new ConcurrentHashMap<>();
    private final Map<Long, Node> byIno = new HashMap<>();
    private final IntConsumer closeFd;
    private long nextId = Fuse.ROOT_ID + 1;
    /**
     * Nodes holding a descriptor opened for zero-message opens ({@link #borrowCachedFd}), least recently
     * used first; at most CACHED_FDS (the kernel may remember far more inodes than descriptors
     * should stay open).
     */
    private final java.util.LinkedHashMap<Node, Integer> cachedFds = new java.util.LinkedHashMap<>(64, 0.75f, true);
    /** -Djrump.p2k.cachedFds: how many such descriptors stay open (tests make it small to exercise closing). */
    private static final int CACHED_FDS = Math.max(1, Integer.getInteger("jrump.p2k.cachedFds", 4096));

    NodeTable(IntConsumer closeFd) {
        this.closeFd = closeFd;
    }

    /** Registers the root directory (id 1, never forgotten). */
    synchronized Node root(long ino, int fd) {
        Node n = new Node(Fuse.ROOT_ID, ino, jrump.rumpkern.Stat.S_IFDIR, fd);
        n.nlookup = 1;
        byId.put(n.id, n);
        byIno.put(ino, n);
        return n;
    }

    /** The node of a FUSE id, or null when the kernel names one it never got or already forgot. */
    Node get(long id) {
        return byId.get(id);
    }

    /** The live node of an inode, or null: a directory found here needs no new descriptor. */
    synchronized Node byInode(long ino, int type) {
        Node n = byIno.get(ino);
        return n != null && n.type == type ? n : null;
    }

    /** Counts one lookup of a directory that already has a node (and so a descriptor); null when it has none. */
    synchronized Node lookedUpDirectory(long ino) {
        Node n = byIno.get(ino);
        if (n == null || !n.isDirectory()) return null;
        if (n.nlookup++ == 0) byId.put(n.id, n);
        return n;
    }

    /**
     * Counts one lookup of inode {@code ino} found as {@code name} in {@code dir}: the existing node (a
     * descriptor the caller opened for it, {@code dirFd}, is then closed as a duplicate) or a new one.
     */
    synchronized Node lookedUp(Node dir, String name, long ino, int type, int dirFd) {
        Node n = byIno.get(ino);
        if (n != null && n.type != type) {
            byIno.remove(ino); // the inode number was reused by a new file; the old node lives on by its id
            n = null;
        }
        if (n == null) {
            n = new Node(nextId++, ino, type, dirFd);
            byIno.put(ino, n);
        } else if (dirFd >= 0 && dirFd != n.dirFd) {
            closeFd.accept(dirFd);
        }
        if (n.nlookup++ == 0) byId.put(n.id, n);
        if (!n.isDirectory()) addLink(n, dir, name);
        return n;
    }

    /** Records that {@code n} is also {@code name} in {@code dir} (after LINK or RENAME). */
    synchronized void addLink(Node n, Node dir, String name) {
        for (Node.Link l : n.links) if (l.dir() == dir && l.name().equals(name)) return;
        n.links.add(new Node.Link(dir, name));
        dir.childLinks++;
    }

    /** Forgets that entry {@code name} of {@code dir} names {@code n} (after UNLINK, or a RENAME away). */
    synchronized void removeLink(Node n, Node dir, String name) {
        if (n.links.removeIf(l -> l.dir() == dir && l.name().equals(name))) {
            dir.childLinks--;
            maybeRelease(dir);
        }
    }

    /** A link of {@code n} to reach it through, or null when it has none left (unlinked). */
    synchronized Node.Link anyLink(Node n) {
        return n.links.isEmpty() ? null : n.links.get(0);
    }

    /**
     * Borrows one of the node's open descriptors (-1 when it has none): until {@link #giveBack}, a RELEASE of
     * it only marks it, so its number cannot be reused for another file while the borrower uses it.
     */
    synchronized int borrowOpenFd(Node n) {
        if (n.openFds.isEmpty()) return -1;
        n.borrows++;
        cachedFds.get(n); // a use: last to be closed
        return n.openFds.get(0);
    }

    /**
     * Keeps {@code fd}, just opened for {@code n}, as the node's descriptor and borrows it; when another thread
     * got there first, {@code fd} is closed and theirs is borrowed. Beyond CACHED_FDS the least
     * recently used node's descriptor is closed (once its borrowers are done).
     */
    synchronized int borrowCachedFd(Node n, int fd) {
        if (!n.openFds.isEmpty()) {
            closeFd.accept(fd);
            return borrowOpenFd(n);
        }
        n.openFds.add(fd);
        cachedFds.put(n, fd);
        if (cachedFds.size() > CACHED_FDS) {
            var eldest = cachedFds.entrySet().iterator().next();
            Node old = eldest.getKey();
            cachedFds.remove(old);
            release(old, eldest.getValue());
        }
        n.borrows++;
        return fd;
    }

    synchronized void giveBack(Node n) {
        if (--n.borrows > 0) return;
        for (int fd : n.closing) closeFd.accept(fd);
        n.closing.clear();
    }

    synchronized void opened(Node n, int fd) {
        n.openFds.add(fd);
    }

    /** RELEASE of an open file's descriptor: closed now, or when the last borrower gives it back. */
    synchronized void release(Node n, int fd) {
        n.openFds.remove(Integer.valueOf(fd));
        if (n.borrows > 0) n.closing.add(fd);
        else closeFd.accept(fd);
    }

    /** FORGET: the kernel drops {@code count} lookups of node {@code id}. */
    synchronized void forget(long id, long count) {
        Node n = byId.get(id);
        if (n == null || n.id == Fuse.ROOT_ID) return;
        n.nlookup = Math.max(0, n.nlookup - count);
        if (n.nlookup > 0) return;
        byId.remove(id);
        Integer cached = cachedFds.remove(n);
        if (cached != null) release(n, cached);
        if (!n.isDirectory()) {
            for (Node.Link l : n.links) {
                l.dir().childLinks--;
                maybeRelease(l.dir());
            }
            n.links.clear();
            if (byIno.get(n.ino) == n) byIno.remove(n.ino);
        } else {
            maybeRelease(n);
        }
    }

    /** Closes a directory's descriptor once neither the kernel nor a link of another node needs it. */
    private void maybeRelease(Node dir) {
        if (dir.nlookup > 0 || dir.childLinks > 0 || dir.id == Fuse.ROOT_ID) return;
        if (byIno.get(dir.ino) == dir) byIno.remove(dir.ino);
        if (dir.dirFd >= 0) closeFd.accept(dir.dirFd);
    }

    /** Closes every descriptor the nodes hold (after the connection is gone). */
    synchronized void closeAll() {
        java.util.Set<Node> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.addAll(byId.values());
        all.addAll(byIno.values());
        for (Node n : all) {
            for (int fd : n.openFds) closeFd.accept(fd);
            n.openFds.clear();
            if (n.dirFd >= 0) closeFd.accept(n.dirFd);
        }
        byId.clear();
        byIno.clear();
        cachedFds.clear();
    }

    /** Live node ids (for tests and statistics). */
    int size() {
        return byId.size();
    }
}
