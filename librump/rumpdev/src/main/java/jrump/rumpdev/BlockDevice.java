package jrump.rumpdev;

import java.util.List;

import jrump.rumpvfs.vnode.Vnode;

/**
 * A block device: a whole disk image, one of its partitions, or a byte window of either. A file system
 * mounts from {@link #vnode()}, a VBLK vnode of no mount whose VOP_STRATEGY moves whole 512-byte sectors
 * (block numbers in DEV_BSIZE units) between a {@code Buf} and the host file, synchronously. Its
 * VOP_GETATTR reports the size, VOP_FSYNC puts written data on stable storage, and a read-only device
 * answers EROFS to every write and never writes to its host file.
 *
 * <p>Devices are handles: each {@link #partition} or {@link #window} is a new device over the same host
 * file, to be closed by whoever asked for it. The host file stays open until its last device closes.
 */
public sealed interface BlockDevice extends AutoCloseable permits jrump.rumpdev.blk.WindowDevice {
    /** sys/param.h DEV_BSIZE: the unit of block numbers, and the sector size of every rumpdev device. */
    int DEV_BSIZE = 512;

    /** The device's VBLK vnode, for VOP_STRATEGY and for the buffer cache. */
    Vnode vnode();

    /** Length in bytes (fixed when the device was opened). */
    long size();

    /** Bytes per sector: {@link #DEV_BSIZE}. Partition tables are read with this logical block size. */
    int sectorSize();

    boolean readOnly();

    /** Where the device starts in its host file, in bytes (0 for a whole disk). */
    long hostOffset();

    /** A name for messages: the host path, with the partition or the window it is. */
    String name();

    /**
     * The partitions this device's own content describes: a GPT when sector 0 is a protective MBR, else
     * an MBR with its logical partitions, else none (an empty list: a file system on the whole device).
     * Read anew on every call, so a table written through the device shows at once.
     *
     * @throws DiskException EFTYPE for a damaged table (saying which sector and entry), or an I/O errno
     */
    List<Partition> partitions() throws DiskException;

    /** A new device for partition {@code number} of {@link #partitions()}; ENXIO when there is none. */
    BlockDevice partition(int number) throws DiskException;

    /**
     * A new device for the bytes [offset, offset + size) of this one (ukfs's {@code %OFFSET%}); EINVAL when
     * they are not all inside it. The offset need not be sector-aligned.
     */
    BlockDevice window(long offset, long size) throws DiskException;

    /** Closes this handle: its vnode answers ENXIO from now on. Closing twice does nothing. */
    @Override
    void close();
}
