package jrump.rumpdev.blk;

import java.nio.ByteBuffer;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/**
 * A host file opened for block I/O, shared by the whole-disk device and every partition or window device
 * made from it; closed when the last of them closes. Its size is fixed at open, as a disk's is.
 */
public final class HostDisk {
    private final Kernel kernel;
    private final DiskRegistry registry;
    private final String path;
    private final HostFile file;
    private final boolean readOnly;
    private final long size;
    /** Devices over this file that are not closed yet. Guarded by this. */
    private int handles;

    private HostDisk(Kernel kernel, DiskRegistry registry, String path, HostFile file, boolean readOnly, long size) {
        this.kernel = kernel;
        this.registry = registry;
        this.path = path;
        this.file = file;
        this.readOnly = readOnly;
        this.size = size;
    }

    public static HostDisk open(Kernel kernel, String path, boolean readOnly) throws DiskException {
        DiskRegistry registry = DiskRegistry.of(kernel);
        if (registry == null) throw new DiskException(Errno.ENODEV.number(), path + ": this kernel was booted without rumpdev");
        Hypercalls hyp = kernel.hyp();
        HostFile file;
        try {
            switch (hyp.getFileInfo(path).type()) {
                case REG, BLK -> {
                }
                case DIR -> throw new DiskException(Errno.EISDIR.number(), path + ": a directory is no disk");
                default -> throw new DiskException(Errno.ENODEV.number(), path + ": neither a regular file nor a block device");
            }
            // read-only devices open the host file read-only: then nothing, not even a bug, can write to it
            file = hyp.open(path, (readOnly ? Hypercalls.OPEN_RDONLY : Hypercalls.OPEN_RDWR) | Hypercalls.OPEN_BIO);
        } catch (HyperException e) {
            throw new DiskException(e.errno(), path + ": " + e.getMessage(), e);
        }
        long size;
        try {
            size = file.size();
        } catch (HyperException e) {
            file.close();
            throw new DiskException(e.errno(), path + ": " + e.getMessage(), e);
        }
        registry.opened();
        return new HostDisk(kernel, registry, path, file, readOnly, size);
    }

    Kernel kernel() {
        return kernel;
    }

    String path() {
        return path;
    }

    boolean readOnly() {
        return readOnly;
    }

    long size() {
        return size;
    }

    /** Positional read of {@code dst}'s remaining bytes at {@code offset}; fewer only at the host file's end. */
    int read(ByteBuffer dst, long offset) throws HyperException {
        return file.read(dst, offset);
    }

    int write(ByteBuffer src, long offset) throws HyperException {
        if (readOnly) throw new IllegalStateException("write to read-only " + path); // callers refuse first
        return file.write(src, offset);
    }

    void sync() throws HyperException {
        if (!readOnly) file.sync(false);
    }

    synchronized void retain() {
        if (handles < 0) throw new IllegalStateException(path + " is closed");
        handles++;
    }

    void release() {
        synchronized (this) {
            if (--handles > 0) return;
            handles = -1;
        }
        file.close();
        registry.closed();
    }
}
