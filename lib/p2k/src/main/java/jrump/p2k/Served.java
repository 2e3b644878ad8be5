package jrump.p2k;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * What every operation works on: the rump kernel's system calls, the node table, the caching timeouts and
 * whether the mount is read-only; and the two ways to reach a node (its directory descriptor, or a link).
 */
final class Served {
    /** Linux errno values the operations answer themselves (asm-generic/errno*.h). */
    static final int ENOENT = 2, EIO = 5, ENXIO = 6, EBADF = 9, EACCES = 13, EEXIST = 17, EINVAL = 22,
            EROFS = 30, ERANGE = 34, ENOSYS = 38, ENODATA = 61, EOPNOTSUPP = 95, ESTALE = 116;

    final Syscalls sys;
    final NodeTable nodes;
    final Timeouts timeouts;
    final boolean readOnly;
    /**
     * Zero-message opens (read-only mounts): OPEN is answered ENOSYS, after which the Linux kernel opens
     * files without asking and sends no RELEASE (fs/fuse/file.c, fc->no_open); requests then carry file
     * handle 0 and the node's own cached descriptor serves them ({@link #withReadFd}). Two round trips
     * fewer per file read: what a tree copy out of the mount spends most of its time on.
     */
    final boolean zeroOpen;

    Served(Syscalls sys, NodeTable nodes, Timeouts timeouts, boolean readOnly) {
        this.sys = sys;
        this.nodes = nodes;
        this.timeouts = timeouts;
        this.readOnly = readOnly;
        this.zeroOpen = readOnly;
    }

    /** A failure answered with a Linux errno (thrown by the operations, caught by the dispatcher). */
    static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int linuxErrno;

        Fail(int linuxErrno) {
            super(null, null, false, false);
            this.linuxErrno = linuxErrno;
        }
    }

    /** The request's node; ESTALE for an id the kernel should not be using. */
    Node node(long id) {
        Node n = nodes.get(id);
        if (n == null) throw new Fail(ESTALE);
        return n;
    }

    Node dir(long id) {
        Node n = node(id);
        if (!n.isDirectory()) throw new Fail(20); // ENOTDIR
        return n;
    }

    void writable() {
        if (readOnly) throw new Fail(EROFS);
    }

    /**
     * The current attributes of a node: through its directory descriptor, an open descriptor, or a link
     * (checked to still name the same inode: ESTALE otherwise).
     */
    Stat stat(Node n) {
        if (n.isDirectory()) return sys.fstat(n.dirFd);
        Stat st = withOpenFd(n, sys::fstat);
        if (st != null) return st;
        Node.Link l = link(n);
        st = sys.fstatat(l.dir().dirFd, l.name(), Sys.AT_SYMLINK_NOFOLLOW);
        if (st.ino() != n.ino) throw new Fail(ESTALE);
        return st;
    }

    /** {@code call} on a borrowed open descriptor of the node; null when it has none open. */
    <T> T withOpenFd(Node n, java.util.function.IntFunction<T> call) {
        int fd = nodes.borrowOpenFd(n);
        if (fd < 0) return null;
        try {
            return call.apply(fd);
        } finally {
            nodes.giveBack(n);
        }
    }

    /**
     * {@code call} on a read-only descriptor of a regular file node: one it already has open (borrowed), or
     * one opened now through a link and kept for the next request (NodeTable keeps a bounded number).
     */
    <T> T withReadFd(Node n, java.util.function.IntFunction<T> call) {
        int fd = nodes.borrowOpenFd(n);
        if (fd < 0) {
            Node.Link l = link(n);
            int opened = sys.openat(l.dir().dirFd, l.name(), Sys.O_RDONLY | Sys.O_NOFOLLOW, 0);
            try {
                if (sys.fstat(opened).ino() != n.ino) throw new Fail(ESTALE);
            } catch (RuntimeException e) {
                sys.close(opened);
                throw e;
            }
            fd = nodes.borrowCachedFd(n, opened);
        }
        try {
            return call.apply(fd);
        } finally {
            nodes.giveBack(n);
        }
    }

    /** A link to reach a non-directory node by; ENOENT when it has none (it was unlinked). */
    Node.Link link(Node n) {
        Node.Link l = nodes.anyLink(n);
        if (l == null) throw new Fail(ENOENT);
        return l;
    }

    /**
     * LOOKUP's work: the entry {@code name} of {@code dir} counted as one more lookup of its node (directories
     * are opened on their first lookup). The attributes are those the lookup found.
     */
    Found lookup(Node dir, String name) {
        Stat st = sys.fstatat(dir.dirFd, name, Sys.AT_SYMLINK_NOFOLLOW);
        int type = st.mode() & Stat.S_IFMT;
        if (type != Stat.S_IFDIR) return new Found(nodes.lookedUp(dir, name, st.ino(), type, -1), st);
        Node known = nodes.lookedUpDirectory(st.ino());
        if (known != null) return new Found(known, st);
        int fd = sys.openat(dir.dirFd, name, Sys.O_RDONLY | Sys.O_DIRECTORY | Sys.O_NOFOLLOW, 0);
        return new Found(nodes.lookedUp(dir, name, st.ino(), type, fd), st);
    }

    record Found(Node node, Stat stat) {
    }

    /** An errno of the rump kernel, as a Linux one. */
    static int linux(RumpException e) {
        return LinuxErrno.of(e.errno());
    }

    /** Runs {@code call}; the Linux errno it failed with, or 0. */
    static int errnoOf(Runnable call) {
        Errno e = RumpException.errnoOf(call);
        return e == null ? 0 : LinuxErrno.of(e);
    }
}
