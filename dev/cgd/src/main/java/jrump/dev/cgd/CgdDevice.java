package jrump.dev.cgd;

import java.nio.ByteBuffer;
import java.util.Arrays;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.DeviceNodes;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * A configured cgd: a VBLK vnode whose VOP_STRATEGY encrypts sectors on their way to the disk below and
 * decrypts them on their way up (cgdstart/cgdiodone). Writes are encrypted into a buffer of cgd's own, so
 * the caller's plaintext (a buffer cache block) stays as it was. Its size is the lower disk's in whole
 * sectors. {@link #close()} unconfigures it: the name goes, the vnode answers ENXIO, the keys are wiped.
 */
public final class CgdDevice implements AutoCloseable {
    /** At most this much is encrypted or decrypted in one piece (bounds cgd's own buffer). */
    static final int CHUNK = 256 << 10;
    static final int SECTOR = SectorCipher.SECTOR;

    private final Kernel kernel;
    private final String name;
    private final Vnode lower;
    private final long sectors;
    private final boolean readOnly;
    private final SectorCipher cipher;
    private final Vnode vnode;
    private volatile boolean closed;

    CgdDevice(Kernel kernel, String name, Vnode lower, long size, boolean readOnly, SectorCipher cipher) {
        this.kernel = kernel;
        this.name = name;
        this.lower = lower;
        this.sectors = size / SECTOR;
        this.readOnly = readOnly;
        this.cipher = cipher;
        this.vnode = new Vnode(kernel, CgdOps.INSTANCE, VType.VBLK, this);
    }

    /** The name mount(2) finds it by ("/dev/cgd0"). */
    public String name() {
        return name;
    }

    public Vnode vnode() {
        return vnode;
    }

    /** Bytes: the disk below's size in whole sectors. */
    public long size() {
        return sectors * SECTOR;
    }

    public boolean readOnly() {
        return readOnly;
    }

    boolean closed() {
        return closed;
    }

    Vnode lower() {
        return lower;
    }

    /**
     * VOP_STRATEGY: whole sectors at bp.blkno (DEV_BSIZE units), with the bounds of a disk (NetBSD's
     * bounds_check_with_label, as rumpdev's devices): starting at the end moves nothing, past it is EINVAL,
     * running over it is cut short. Returns the errno; bp.resid says what was not moved.
     */
    int strategy(Buf bp) {
        ByteBuffer data = bp.data;
        int length = data.remaining();
        bp.resid = length;
        if (closed) return Errno.ENXIO.number();
        if (bp.blkno < 0 || length % SECTOR != 0) return Errno.EINVAL.number();
        if (!bp.read && readOnly) return Errno.EROFS.number();
        if (bp.blkno > sectors) return Errno.EINVAL.number();
        int count = (int) Math.min(length, (sectors - bp.blkno) * SECTOR);
        if (bp.read && data.hasArray()) return readInPlace(bp, count);
        byte[] buf = new byte[Math.min(count, CHUNK)];
        int start = data.position();
        int done = 0;
        try {
            while (done < count) {
                int n = Math.min(buf.length, count - done);
                long sector = bp.blkno + done / SECTOR;
                if (!bp.read) {
                    data.get(start + done, buf, 0, n);
                    cipher.encrypt(sector, buf, 0, n);
                }
                Buf io = new Buf(sector, ByteBuffer.wrap(buf, 0, n), bp.read);
                int error = Vop.strategy(lower, io);
                if (error == 0) error = io.error;
                int moved = (int) (n - io.resid) / SECTOR * SECTOR;
                if (bp.read && moved > 0) {
                    cipher.decrypt(sector, buf, 0, moved);
                    data.put(start + done, buf, 0, moved);
                }
                done += moved;
                if (error != 0) return error;
                if (moved < n) break; // the disk below ended early
            }
            return 0;
        } finally {
            Arrays.fill(buf, (byte) 0);
            data.position(start + done);
            bp.resid = length - done;
        }
    }

    /**
     * A read into a heap buffer: the disk below fills the caller's buffer, which is decrypted where it is
     * (the bytes are the caller's to have), saving cgd's copy both ways.
     */
    private int readInPlace(Buf bp, int count) {
        ByteBuffer data = bp.data;
        int start = data.position();
        Buf io = new Buf(bp.blkno, data.slice(start, count), true);
        int error = Vop.strategy(lower, io);
        if (error == 0) error = io.error;
        int moved = (int) (count - io.resid) / SECTOR * SECTOR;
        if (moved > 0) cipher.decrypt(bp.blkno, data.array(), data.arrayOffset() + start, moved);
        data.position(start + moved);
        bp.resid = bp.resid - moved;
        return error;
    }

    /** Unconfigures: removes the name, then wipes the keys. Closing twice does nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        DeviceNodes.remove(kernel, name);
        cipher.close();
    }

    @Override
    public String toString() {
        return "cgd(" + name + ")";
    }
}
