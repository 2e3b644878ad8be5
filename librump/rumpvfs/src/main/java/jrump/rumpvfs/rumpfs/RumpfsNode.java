package jrump.rumpvfs.rumpfs;

import java.util.LinkedHashMap;
import java.util.Map;

import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vnode;

/** A file of rumpfs: attributes, and its content by type (bytes, directory entries, link target). */
final class RumpfsNode {
    final long ino;
    VType type;
    int mode;
    int uid;
    int gid;
    int nlink;
    long rdev;
    long atime;
    long mtime;
    long ctime;
    final long birthtime;
    /** VREG: the content, in pages; {@code size} is the file's length (holes read as zeros). */
    final SparseBytes content = new SparseBytes();
    long size;
    /** Extended attributes, by "namespace:name". */
    final Map<String, byte[]> xattrs = new LinkedHashMap<>();
    /** Open files of this node: its content outlives its last name while one is open. */
    int opens;
    /** VDIR: the entries by name, and the parent (".."). */
    final Map<String, RumpfsNode> entries;
    /**
     * VDIR: each entry's readdir cookie, stable for the entry's life, so that a getdents offset stays
     * valid when entries before it go away (rm -r reads and unlinks in turns). Cookies 0 and 1 are "."
     * and ".."; entries count from 2.
     */
    final java.util.TreeMap<Long, String> byCookie;
    final Map<String, Long> cookieOf;
    long nextCookie = 2;
    RumpfsNode parent;
    /** VLNK: the target. */
    String target;
    /** The node's one vnode, made with the node. */
    Vnode vnode;

    RumpfsNode(long ino, VType type, int mode, int uid, int gid, long now) {
        this.ino = ino;
        this.type = type;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.nlink = type == VType.VDIR ? 2 : 1;
        this.atime = this.mtime = this.ctime = this.birthtime = now;
        this.entries = type == VType.VDIR ? new LinkedHashMap<>() : null;
        this.byCookie = type == VType.VDIR ? new java.util.TreeMap<>() : null;
        this.cookieOf = type == VType.VDIR ? new java.util.HashMap<>() : null;
    }

    void addEntry(String name, RumpfsNode n) {
        entries.put(name, n);
        long c = nextCookie++;
        byCookie.put(c, name);
        cookieOf.put(name, c);
    }

    RumpfsNode removeEntry(String name) {
        Long c = cookieOf.remove(name);
        if (c != null) byCookie.remove(c);
        return entries.remove(name);
    }

    @Override
    public String toString() {
        return "rumpfs#" + ino;
    }
}
