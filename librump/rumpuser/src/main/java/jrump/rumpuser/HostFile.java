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

    /** rumpuser_syncfd: flushes written data (and metadata when {@code metadata}) to stable storage. */
    void sync(boolean metadata) throws HyperException;

    /** Sets the file's length. */
    void truncate(long size) throws HyperException;

    @Override
    void close();
}
