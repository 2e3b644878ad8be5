package jrump.p2k;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;

/**
 * Directory handles: OPENDIR makes one; READDIR at offset 0 reads the whole directory from the rump kernel
 * (getdents on a descriptor of its own) and later calls continue from an index into that list, which is the
 * offset FUSE hands back. A snapshot per opendir/rewinddir is what POSIX allows readdir to return.
 * READDIRPLUS adds each entry's attributes and counts a lookup of it, saving the kernel a LOOKUP per name.
 */
final class DirOps {
    private final Served s;
    private final Map<Long, Listing> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    private static final class Listing {
        final Node dir;
        List<Dirent> entries;

        Listing(Node dir) {
            this.dir = dir;
        }
    }

    DirOps(Served s) {
        this.s = s;
    }

    /** OPENDIR: fuse_open_in; fuse_open_out {fh}. */
    void opendir(Request r, Reply out) {
        Node dir = s.dir(r.nodeid);
        long fh = nextHandle.getAndIncrement();
        open.put(fh, new Listing(dir));
        int at = out.grow(Fuse.OPEN_OUT_SIZE);
        out.i64(at, fh);
    }

    void releasedir(Request r) {
        open.remove(r.i64(0));
    }

    /** FSYNCDIR: fuse_fsync_in {fh, fsync_flags}. */
    void fsyncdir(Request r) {
        s.sys.fsync(s.dir(r.nodeid).dirFd);
    }

    private Listing listing(Request r) {
        Listing l = open.get(r.i64(0));
        if (l == null) throw new Served.Fail(Served.EBADF);
        long off = r.i64(8);
        synchronized (l) {
            if (off == 0 || l.entries == null) l.entries = readAll(l.dir);
        }
        return l;
    }

    private List<Dirent> readAll(Node dir) {
        List<Dirent> out = new ArrayList<>();
        int fd = s.sys.openat(dir.dirFd, ".", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(64 << 10);
            int n;
            while ((n = s.sys.getdents(fd, b.clear())) > 0) out.addAll(Dirent.parse(b.flip(), n));
        } finally {
            s.sys.close(fd);
        }
        return out;
    }

    /** READDIR: fuse_read_in {fh, offset, size}; fuse_dirent records up to size bytes. */
    void readdir(Request r, Reply out) {
        Listing l = listing(r);
        int limit = r.i32(16);
        List<Dirent> entries = l.entries;
        for (int i = (int) Math.min(r.i64(8), entries.size()); i < entries.size(); i++) {
            Dirent d = entries.get(i);
            byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
            int rec = Fuse.align8(Fuse.DIRENT_NAME_OFFSET + name.length);
            if (out.size + rec > limit) break;
            dirent(out, out.grow(rec), d, name, i + 1);
        }
    }

    private static void dirent(Reply out, int at, Dirent d, byte[] name, long nextOff) {
        out.i64(at, d.fileno());
        out.i64(at + 8, nextOff);
        out.i32(at + 16, name.length);
        out.i32(at + 20, d.type()); // DT_* values agree between NetBSD and Linux
        out.bytes(at + Fuse.DIRENT_NAME_OFFSET, name);
    }

    /**
     * READDIRPLUS: fuse_direntplus records (fuse_entry_out, then fuse_dirent). "." and ".." get node id 0,
     * which the kernel takes as "no attributes" and does not count; every other entry counts a lookup, so the
     * room for a record is checked before its lookup. An entry removed since the snapshot is left out.
     */
    void readdirplus(Request r, Reply out) {
        Listing l = listing(r);
        int limit = r.i32(16);
        List<Dirent> entries = l.entries;
        for (int i = (int) Math.min(r.i64(8), entries.size()); i < entries.size(); i++) {
            Dirent d = entries.get(i);
            byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
            int rec = Fuse.align8(Fuse.ENTRY_OUT_SIZE + Fuse.DIRENT_NAME_OFFSET + name.length);
            if (out.size + rec > limit) break;
            boolean dots = d.name().equals(".") || d.name().equals("..");
            Served.Found f = null;
            if (!dots) {
                try {
                    f = s.lookup(l.dir, d.name());
                } catch (RumpException e) {
                    continue;
                }
            }
            int at = out.grow(rec);
            if (f != null) out.entry(at, f.node().id, f.stat(), s.timeouts);
            dirent(out, at + Fuse.ENTRY_OUT_SIZE, d, name, i + 1);
        }
    }
}
