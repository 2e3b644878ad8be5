package jrump.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Flock;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A FileChannel on a descriptor of the image's kernel: reads and writes are its read/write/pread/pwrite
 * calls straight into the caller's buffer, position is the descriptor's offset, locks are fcntl record
 * locks. Memory mapping is not offered: an image's file has no host pages to map.
 */
final class RumpFileChannel extends FileChannel {
    /** Transfers move this much per call: big enough for the file systems' large-transfer paths. */
    private static final int TRANSFER_CHUNK = 1 << 20;

    private final RumpFileSystem fs;
    private final RumpPath path;
    private final int fd;
    private final boolean readable;
    private final boolean writable;
    private final boolean sync;
    private final boolean deleteOnClose;

    RumpFileChannel(RumpFileSystem fs, RumpPath path, int fd, boolean readable, boolean writable, boolean sync, boolean deleteOnClose) {
        this.fs = fs;
        this.path = path;
        this.fd = fd;
        this.readable = readable;
        this.writable = writable;
        this.sync = sync;
        this.deleteOnClose = deleteOnClose;
        fs.opened(this);
    }

    private Syscalls sys() throws IOException {
        if (!isOpen()) throw new java.nio.channels.ClosedChannelException();
        return fs.ukfs().syscalls();
    }

    private void checkReadable() {
        if (!readable) throw new NonReadableChannelException();
    }

    private void checkWritable() {
        if (!writable) throw new NonWritableChannelException();
    }

    private IOException failure(RumpException e) {
        return Errors.of(e, path);
    }

    private void synced() throws IOException {
        if (sync) force(true);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkReadable();
        if (!dst.hasRemaining()) return 0;
        try {
            long n = sys().read(fd, dst);
            return n == 0 ? -1 : (int) n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        checkReadable();
        ByteBuffer[] part = Arrays.copyOfRange(dsts, offset, offset + length);
        long room = 0;
        for (ByteBuffer b : part) room += b.remaining();
        if (room == 0) return 0;
        try {
            long n = sys().readv(fd, part);
            return n == 0 ? -1 : n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkWritable();
        try {
            int n = (int) sys().write(fd, src);
            synced();
            return n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        checkWritable();
        try {
            long n = sys().writev(fd, Arrays.copyOfRange(srcs, offset, offset + length));
            synced();
            return n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public long position() throws IOException {
        try {
            return sys().lseek(fd, 0, Sys.SEEK_CUR);
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) throw new IllegalArgumentException("negative position " + newPosition);
        try {
            sys().lseek(fd, newPosition, Sys.SEEK_SET);
        } catch (RumpException e) {
            throw failure(e);
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        try {
            return sys().fstat(fd).size();
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        checkWritable();
        try {
            if (size < size()) sys().ftruncate(fd, size);
            if (position() > size) position(size);
        } catch (RumpException e) {
            throw failure(e);
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        try {
            if (metaData) sys().fsync(fd);
            else sys().fdatasync(fd);
        } catch (RumpException e) {
            if (e.errno() == Errno.EBADF && !writable) return; // NetBSD refuses fsync on a read-only descriptor; nothing to write
            throw failure(e);
        }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        checkReadable();
        if (position < 0 || count < 0) throw new IllegalArgumentException("negative position or count");
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(TRANSFER_CHUNK, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            b.clear().limit((int) Math.min(b.capacity(), count - done));
            int n = read(b, position + done);
            if (n <= 0) break;
            b.flip();
            while (b.hasRemaining()) {
                if (target.write(b) == 0 && b.hasRemaining()) return done + n - b.remaining(); // a non-blocking target is full
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        checkWritable();
        if (position < 0 || count < 0) throw new IllegalArgumentException("negative position or count");
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(TRANSFER_CHUNK, Math.max(count, 1)));
        long done = 0;
        while (done < count) {
            b.clear().limit((int) Math.min(b.capacity(), count - done));
            int n = src.read(b);
            if (n <= 0) break;
            b.flip();
            while (b.hasRemaining()) write(b, position + done + b.position());
            done += n;
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        checkReadable();
        if (position < 0) throw new IllegalArgumentException("negative position " + position);
        if (!dst.hasRemaining()) return 0;
        try {
            long n = sys().pread(fd, dst, position);
            return n == 0 ? -1 : (int) n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        checkWritable();
        if (position < 0) throw new IllegalArgumentException("negative position " + position);
        try {
            int n = (int) sys().pwrite(fd, src, position);
            synced();
            return n;
        } catch (RumpException e) {
            throw failure(e);
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("memory mapping a file inside an image");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return lock(position, size, shared, Sys.F_SETLKW);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return lock(position, size, shared, Sys.F_SETLK);
    }

    private FileLock lock(long position, long size, boolean shared, int cmd) throws IOException {
        if (shared) checkReadable();
        else checkWritable();
        // FileChannel's "to the end, however it grows" is Long.MAX_VALUE; fcntl's is a length of 0
        long len = size == Long.MAX_VALUE ? 0 : size;
        try {
            sys().fcntl(fd, cmd, 0, new Flock(shared ? Flock.F_RDLCK : Flock.F_WRLCK, (short) Sys.SEEK_SET, position, len));
        } catch (RumpException e) {
            if (cmd == Sys.F_SETLK && e.errno() == Errno.EAGAIN) return null;
            throw failure(e);
        }
        return new FileLock(this, position, size, shared) {
            private volatile boolean valid = true;

            @Override
            public boolean isValid() {
                return valid && channel().isOpen();
            }

            @Override
            public void release() throws IOException {
                if (!isValid()) return;
                try {
                    sys().fcntl(fd, Sys.F_SETLK, 0, new Flock(Flock.F_UNLCK, (short) Sys.SEEK_SET, position, len));
                } catch (RumpException e) {
                    throw failure(e);
                }
                valid = false;
            }
        };
    }

    @Override
    protected void implCloseChannel() throws IOException {
        fs.closed(this);
        try {
            fs.ukfs().syscalls().close(fd);
            if (deleteOnClose) fs.ukfs().remove(path.imagePath());
        } catch (RumpException e) {
            throw failure(e);
        }
    }
}
