package jrump.rumpdev.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import jrump.rumpdev.BlockDevice;
import jrump.rumpdev.DiskException;
import jrump.rumpdev.Partition;
import jrump.rumpdev.wedge.PartitionTables;
import jrump.rumpdev.wedge.SectorReader;
import jrump.rumpkern.Errno;
import jrump.rumpuser.HyperException;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vnode;

/**
 * A block device that is the bytes [base, base + size) of a host disk: the whole disk, a partition (a
 * NetBSD wedge, dk(4)) or an explicit window. Each has its own vnode, so a file system mounted from a
 * partition and the buffer cache key on that partition's device.
 */
public final class WindowDevice implements BlockDevice {
    private final HostDisk disk;
    private final long base;
    private final long size;
    private final String name;
    private final Vnode vnode;
    private volatile boolean closed;

    private WindowDevice(HostDisk disk, long base, long size, String name) {
        this.disk = disk;
        this.base = base;
        this.size = size;
        this.name = name;
        disk.retain();
        this.vnode = new Vnode(disk.kernel(), BlockDeviceOps.INSTANCE, VType.VBLK, this);
    }

    /** The device for all of {@code disk}: the first handle on it. */
    public static WindowDevice whole(HostDisk disk) {
        return new WindowDevice(disk, 0, disk.size(), disk.path());
    }

    @Override
    public Vnode vnode() {
        return vnode;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return DEV_BSIZE;
    }

    @Override
    public boolean readOnly() {
        return disk.readOnly();
    }

    @Override
    public long hostOffset() {
        return base;
    }

    @Override
    public String name() {
        return name;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public List<Partition> partitions() throws DiskException {
        checkOpen();
        return PartitionTables.read(new Sectors());
    }

    @Override
    public BlockDevice partition(int number) throws DiskException {
        List<Partition> all = partitions();
        for (Partition p : all) {
            if (p.number() == number) return new WindowDevice(disk, base + p.offset(), p.size(), name + " partition " + number);
        }
        throw new DiskException(Errno.ENXIO.number(), name + ": no partition " + number + " (it has "
                + (all.isEmpty() ? "none" : all.stream().map(p -> Integer.toString(p.number())).toList()) + ")");
    }

    @Override
    public BlockDevice window(long offset, long length) throws DiskException {
        checkOpen();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new DiskException(Errno.EINVAL.number(), name + ": window [" + offset + ", +" + length
                    + ") is not inside the device's " + size + " bytes");
        }
        return new WindowDevice(disk, base + offset, length, name + " window [" + offset + ", +" + length + ")");
    }

    @Override
    public void close() {
        if (closed) return;
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        disk.release();
    }

    private void checkOpen() throws DiskException {
        if (closed) throw new DiskException(Errno.ENXIO.number(), name + " is closed");
    }

    /**
     * VOP_STRATEGY: one synchronous transfer of all of {@code bp}'s remaining bytes at block {@code bp.blkno}
     * (DEV_BSIZE units), in one host call straight into or out of the caller's buffer. Sets bp.resid and
     * returns the errno, with NetBSD's bounds rules (bounds_check_with_label, rumpblk): a transfer that
     * starts exactly at the end moves nothing and succeeds (resid = all of it, end of media); one that
     * starts past the end is EINVAL; one that runs over the end is cut short there. A negative block or a
     * length that is not whole sectors is EINVAL, as disk drivers answer.
     */
    int strategy(Buf bp) {
        ByteBuffer data = bp.data;
        int length = data.remaining();
        bp.resid = length;
        if (closed) return Errno.ENXIO.number();
        if (bp.blkno < 0 || length % DEV_BSIZE != 0) return Errno.EINVAL.number();
        if (!bp.read && disk.readOnly()) return Errno.EROFS.number();
        // compared before multiplying: a hostile block number must not overflow into range
        if (bp.blkno > size / DEV_BSIZE) return Errno.EINVAL.number();
        long offset = bp.blkno * DEV_BSIZE;
        if (offset == size || length == 0) return 0;
        int count = (int) Math.min(length, size - offset);
        ByteBuffer window = count == length ? data : data.slice(data.position(), count);
        try {
            int moved = bp.read ? disk.read(window, base + offset) : disk.write(window, base + offset);
            if (window != data) data.position(data.position() + moved);
            bp.resid = length - moved;
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    /** VOP_FSYNC: written data to stable storage (a read-only device has none). */
    int fsync() {
        if (closed) return Errno.ENXIO.number();
        try {
            disk.sync();
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public String toString() {
        return "blockdevice(" + name + ")";
    }

    /** This device's sectors as the partition-table readers see them. */
    private final class Sectors implements SectorReader {
        @Override
        public long sectors() {
            return size / DEV_BSIZE;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ByteBuffer read(long lba, int count) throws DiskException {
            if (lba < 0 || count < 0 || lba > sectors() || count > sectors() - lba) {
                throw new DiskException(Errno.EINVAL.number(), name + ": sectors " + lba + "+" + count + " are past the end");
            }
            ByteBuffer buf = ByteBuffer.allocate(count * DEV_BSIZE).order(ByteOrder.LITTLE_ENDIAN);
            try {
                int n = disk.read(buf, base + lba * DEV_BSIZE);
                if (n != buf.capacity()) throw new DiskException(Errno.EIO.number(), name + ": short read of sector " + lba);
            } catch (HyperException e) {
                throw new DiskException(e.errno(), name + ": reading sector " + lba + ": " + e.getMessage(), e);
            }
            return buf.flip();
        }
    }
}
