package jrump.p2k;

import java.nio.ByteBuffer;

import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;

/**
 * Open files: a FUSE file handle is the rump kernel's descriptor of the open file, so READ and WRITE are
 * pread and pwrite on it, straight between the rump kernel and the reader's native buffer (no copy in
 * between), and an unlinked file stays readable while it is open. The Linux kernel computes O_APPEND
 * offsets itself, so the descriptor is opened without it.
 */
final class FileOps {
    private final Served s;

    FileOps(Served s) {
        this.s = s;
    }

    /** The rump kernel's open(2) flags for a Linux access mode (O_RDONLY, O_WRONLY, O_RDWR agree). */
    private int access(int linuxFlags) {
        int acc = linuxFlags & Fuse.L_O_ACCMODE;
        if (acc != Sys.O_RDONLY) s.writable();
        return acc;
    }

    /** OPEN: fuse_open_in {flags, open_flags}; fuse_open_out {fh, open_flags}. */
    void open(Request r, Reply out) {
        Node n = s.node(r.nodeid);
        if (s.zeroOpen) throw new Served.Fail(Served.ENOSYS); // from now on the kernel opens without asking
        if (n.type != Stat.S_IFREG) throw new Served.Fail(Served.EINVAL);
        Node.Link l = s.link(n);
        int fd = s.sys.openat(l.dir().dirFd, l.name(), access(r.i32(0)) | Sys.O_NOFOLLOW, 0);
        if (s.sys.fstat(fd).ino() != n.ino) {
            s.sys.close(fd);
            throw new Served.Fail(Served.ESTALE);
        }
        s.nodes.opened(n, fd);
        openOut(out, fd);
    }

    private static void openOut(Reply out, int fd) {
        int at = out.grow(Fuse.OPEN_OUT_SIZE);
        out.i64(at, fd);
        // p2k is the only writer: cached pages stay right; and it buffers nothing, so close(2) need not wait for FLUSH
        out.i32(at + 8, Fuse.FOPEN_KEEP_CACHE | Fuse.FOPEN_NOFLUSH);
    }

    /** CREATE: fuse_create_in {flags, mode, umask, open_flags}, name; fuse_entry_out then fuse_open_out. */
    void create(Request r, Reply out) {
        s.writable();
        Node dir = s.dir(r.nodeid);
        int lflags = r.i32(0);
        String name = r.name(16);
        int flags = access(lflags) | Sys.O_CREAT | Sys.O_NOFOLLOW
                | ((lflags & Fuse.L_O_EXCL) != 0 ? Sys.O_EXCL : 0) | ((lflags & Fuse.L_O_TRUNC) != 0 ? Sys.O_TRUNC : 0);
        int fd = s.sys.openat(dir.dirFd, name, flags, r.i32(4) & 07777);
        Stat st = s.sys.fstat(fd);
        Node n = s.nodes.lookedUp(dir, name, st.ino(), Stat.S_IFREG, -1);
        s.nodes.opened(n, fd);
        out.entry(out.grow(Fuse.ENTRY_OUT_SIZE), n.id, st, s.timeouts);
        openOut(out, fd);
    }

    /** READ: fuse_read_in {fh, offset, size, ...}; the data, short only at the end of the file. */
    void read(Request r, Reply out) {
        long off = r.i64(8);
        int size = r.i32(16);
        if (size < 0 || size > out.capacity()) throw new Served.Fail(Served.EINVAL);
        if (s.zeroOpen) {
            s.withReadFd(s.node(r.nodeid), fd -> {
                readAt(fd, off, size, out);
                return null;
            });
        } else {
            readAt((int) r.i64(0), off, size, out);
        }
    }

    private void readAt(int fd, long off, int size, Reply out) {
        ByteBuffer b = out.room(size);
        while (b.hasRemaining()) {
            long n = s.sys.pread(fd, b, off + b.position());
            if (n <= 0) break;
        }
        out.size += b.position();
    }

    /** WRITE: fuse_write_in {fh, offset, size, write_flags, lock_owner, flags, padding}, data; fuse_write_out. */
    void write(Request r, Reply out) {
        s.writable();
        int fd = (int) r.i64(0);
        long off = r.i64(8);
        int size = r.i32(16);
        ByteBuffer b = r.data(Fuse.WRITE_IN_SIZE, size);
        while (b.hasRemaining()) s.sys.pwrite(fd, b, off + b.position());
        int at = out.grow(8);
        out.i32(at, size);
    }

    /**
     * FLUSH (close(2) of one of the handle's descriptors): nothing is buffered here, so ENOSYS, after which the
     * kernel stops sending it (fc->no_flush). Handles opened with FOPEN_NOFLUSH never send it; zero-message
     * opens do, once.
     */
    void flush(Request r) {
        throw new Served.Fail(Served.ENOSYS);
    }

    /** RELEASE: fuse_release_in {fh, flags, release_flags, lock_owner}; the last close of the handle. */
    void release(Request r) {
        if (s.zeroOpen) return; // handle 0: nothing was opened for it (kernels that still send it)
        int fd = (int) r.i64(0);
        Node n = s.nodes.get(r.nodeid);
        if (n != null) s.nodes.release(n, fd);
        else s.sys.close(fd);
    }

    /** FSYNC: fuse_fsync_in {fh, fsync_flags}. */
    void fsync(Request r) {
        if (s.zeroOpen) return; // read-only: nothing to write back, and no handle
        int fd = (int) r.i64(0);
        if ((r.i32(8) & Fuse.FSYNC_FDATASYNC) != 0) s.sys.fdatasync(fd);
        else s.sys.fsync(fd);
    }

    /**
     * FALLOCATE: fuse_fallocate_in {fh, offset, length, mode, padding}. Mode 0 (allocate, growing the file)
     * is posix_fallocate; keep-size, punch-hole and the other modes have no NetBSD call: EOPNOTSUPP.
     */
    void fallocate(Request r) {
        s.writable();
        if (r.i32(24) != 0) throw new Served.Fail(Served.EOPNOTSUPP);
        s.sys.posixFallocate((int) r.i64(0), r.i64(8), r.i64(16));
    }

    /**
     * LSEEK: fuse_lseek_in {fh, offset, whence, padding}; fuse_lseek_out {offset}. SEEK_DATA and SEEK_HOLE
     * (the kernel answers the others itself) as for a file without holes: data up to the end, one hole after.
     */
    void lseek(Request r, Reply out) {
        long off = r.i64(8);
        int whence = r.i32(16);
        long size = s.zeroOpen ? s.withReadFd(s.node(r.nodeid), fd -> s.sys.fstat(fd)).size() : s.sys.fstat((int) r.i64(0)).size();
        if (whence != Fuse.SEEK_DATA && whence != Fuse.SEEK_HOLE) throw new Served.Fail(Served.EINVAL);
        if (off < 0 || off >= size) throw new Served.Fail(Served.ENXIO);
        int at = out.grow(8);
        out.i64(at, whence == Fuse.SEEK_DATA ? off : size);
    }
}
