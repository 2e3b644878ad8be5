package jrump.rumpuser.sim;

import java.nio.ByteBuffer;

import jrump.rumpuser.HostFile;
import jrump.rumpuser.HyperException;

/** A host file with {@link IoFaults} applied; block I/O completes on the caller's thread, in order. */
final class FaultyHostFile implements HostFile {
    private final HostFile file;
    private final IoFaults faults;

    FaultyHostFile(HostFile file, IoFaults faults) {
        this.file = file;
        this.faults = faults;
    }

    @Override
    public long size() throws HyperException {
        return file.size();
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws HyperException {
        int errno = faults.readError(offset, dst.remaining());
        if (errno != 0) throw new HyperException(errno, "injected read fault at " + offset);
        return file.read(dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws HyperException {
        int length = src.remaining();
        int errno = faults.writeError(offset, length);
        if (errno != 0) throw new HyperException(errno, "injected write fault at " + offset);
        if (!faults.admitWrite()) {
            src.position(src.limit());
            return length;
        }
        return file.write(src, offset);
    }

    @Override
    public void bio(BioOp op, ByteBuffer buf, long offset, boolean sync, BioDone done) {
        try {
            int n = op == BioOp.READ ? read(buf, offset) : write(buf, offset);
            done.done(n, 0);
        } catch (HyperException e) {
            done.done(0, e.errno());
        }
    }

    @Override
    public void sync(boolean metadata) throws HyperException {
        file.sync(metadata);
    }

    @Override
    public void truncate(long size) throws HyperException {
        file.truncate(size);
    }

    @Override
    public void close() {
        file.close();
    }
}
