package jrump.rumpvfs.rumpfs;

import java.util.Arrays;
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
    /** VREG: the content; {@code size} bytes of it are the file. */
    byte[] data = new byte[0];
    long size;
    /** VDIR: the entries, in creation order (readdir's order), and the parent (".."). */
    final Map<String, RumpfsNode> entries;
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
    }

    /** Makes room for {@code newSize} bytes, zero-filling; the content array grows geometrically. */
    void resize(long newSize) {
        if (newSize > data.length) {
            long cap = Math.max(newSize, Math.min((long) data.length * 2, Integer.MAX_VALUE - 8));
            data = Arrays.copyOf(data, (int) cap);
        } else if (newSize < size) {
            Arrays.fill(data, (int) newSize, (int) size, (byte) 0);
        }
        size = newSize;
    }

    @Override
    public String toString() {
        return "rumpfs#" + ino;
    }
}
