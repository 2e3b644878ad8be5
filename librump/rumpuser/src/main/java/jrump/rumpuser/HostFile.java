package jrump.rumpuser;

import java.nio.ByteBuffer;

/** A host file opened by {@link Hypercalls#open}. */
public interface HostFile extends AutoCloseable {

    /** Directions of {@link #bio}. */
    enum BioOp { READ, WRITE }

    /** Completion of a block I/O: bytes moved, or an errno. */
    @FunctionalInterface
    interface BioDone {
        void done(int count, int errno);
    }

    long size() throws HyperException;

    /** rumpuser_iovread: reads at {@code offset} into {@code dst}'s remaining bytes; returns bytes read, 0 at end. */
    int read(ByteBuffer dst, long offset) throws HyperException;

    /** rumpuser_iovwrite: writes {@code src}'s remaining bytes at {@code offset}; returns bytes written. */
    int write(ByteBuffer src, long offset) throws HyperException;

    /**
     * rumpuser_bio: asynchronous block I/O; returns at once and calls {@code done} from another thread
     * when the transfer ends. {@code sync} asks that a write be on stable storage before {@code done}.
     */
    void bio(BioOp op, ByteBuffer buf, long offset, boolean sync, BioDone done);

    /**
     * Copies {@code count} bytes at {@code offset} to {@code target}, a channel of the rump kernel's client
     * (jrump's hypercall for sendfile: the original has none). Where the host can, the bytes go from file
     * to target inside the host kernel (sendfile(2), copy_file_range(2)) and never through this process's
     * memory. Returns the bytes moved: fewer than {@code count} only when the file ends first.
     * A failed write to the target is a {@link HyperException} (EPIPE for a pipe with no reader, else
     * mostly EIO): some bytes may have gone.
     */
    default long transferTo(long offset, long count, java.nio.channels.WritableByteChannel target) throws HyperException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = read(buf, offset + done);
            if (n <= 0) break;
            buf.flip();
            try {
                while (buf.hasRemaining()) target.write(buf);
            } catch (java.io.IOException e) {
                throw new HyperException(HostErrno.of(e), "transfer: " + e.getMessage(), e);
            }
            done += n;
        }
        return done;
    }

    /** rumpuser_syncfd: flushes written data (and metadata when {@code metadata}) to stable storage. */
    void sync(boolean metadata) throws HyperException;

    /** Sets the file's length. */
    void truncate(long size) throws HyperException;

    @Override
    void close();
}
