package jrump.rumpvfs.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Filedesc;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Out;
import jrump.rumpkern.kernel.SendfileProvider;
import jrump.rumpuser.HyperException;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * rump_pub_fd_sendfile: a file's bytes to a channel of the kernel's client. On a read-only mount VOP_BMAP
 * says where each run of the file's blocks lies on its device; when that device is an etfs key (an image
 * file) the host moves the run from the image to the channel itself (sendfile/copy_file_range), so the
 * bytes never pass through this process. Holes go out as zeros; whatever VOP_BMAP cannot map (inline
 * data, a block only the journal holds, a file system without it, a device that is not a host file) goes
 * through VOP_READ, as read(2) would.
 */
final class Sendfile implements SendfileProvider {
    /** The most one VOP_READ of the fallback moves. */
    private static final int READ_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private final Etfs etfs;

    Sendfile(Etfs etfs) {
        this.etfs = etfs;
    }

    @Override
    public int sendfile(KLwp l, int fd, long offset, long count, WritableByteChannel chan) {
        if (offset < 0 || count < 0) return Errno.EINVAL.number();
        KFile fp = l.proc().fd().get(fd);
        if (fp == null) return Errno.EBADF.number();
        try {
            if (!fp.readable()) return Errno.EBADF.number();
            if (!(fp.data() instanceof Vnode vp) || vp.type() != VType.VREG) return Errno.EINVAL.number();
            vp.lock(true);
            try {
                Vattr va = new Vattr();
                int error = Vop.getattr(vp, va, l.cred());
                if (error != 0) return error;
                if (offset > va.size || count > va.size - offset) return Errno.EINVAL.number();
                // only a read-only mount's device holds every block's latest content
                boolean mappable = vp.mount() != null && vp.mount().readOnly() && va.blocksize > 0;
                return send(l, vp, mappable ? va.blocksize : 0, offset, offset + count, chan);
            } finally {
                vp.unlock();
            }
        } catch (IOException e) {
            return jrump.rumpuser.HostErrno.of(e); // the caller's channel failed: EPIPE, ENOSPC, mostly EIO
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    /** [off, end) of {@code vp} to {@code chan}; {@code bs} is the file system's block size, 0: no mapping. */
    private int send(KLwp l, Vnode vp, long bs, long off, long end, WritableByteChannel chan) throws IOException {
        Out<Vnode> dev = new Out<>();
        Out<Long> pbn = new Out<>();
        Out<Integer> run = new Out<>();
        ByteBuffer buf = null;
        while (off < end) {
            int error = bs == 0 ? Errno.EOPNOTSUPP.number() : Vop.bmap(vp, off / bs, dev, pbn, run);
            if (error == Errno.EOPNOTSUPP.number()) bs = 0; // never mappable: read the rest
            if (error == 0) {
                long within = off % bs;
                long n = Math.min(end - off, (run.get() + 1L) * bs - within);
                if (pbn.get() == -1) {
                    zeros(chan, n);
                    off += n;
                    continue;
                }
                Etfs.Entry e = etfs.entryOf(dev.get());
                if (e == null) {
                    bs = 0; // a device that is no host file (cgd): read the rest
                } else {
                    long at = pbn.get() * BufCache.DEV_BSIZE + within;
                    if (at < 0 || at > e.size() || n > e.size() - at) return Errno.EIO.number(); // mapped past the device
                    try {
                        if (e.file().transferTo(e.begin() + at, n, chan) != n) return Errno.EIO.number();
                    } catch (HyperException x) {
                        return x.errno();
                    }
                    off += n;
                    continue;
                }
            }
            // not mappable here: this block (or, with bs 0, the rest) through the file system's read
            long stop = bs == 0 ? end : Math.min(end, (off / bs + 1) * bs);
            if (buf == null) buf = ByteBuffer.allocate((int) Math.min(READ_CHUNK, end - off));
            while (off < stop) {
                buf.clear().limit((int) Math.min(buf.capacity(), stop - off));
                Uio uio = new Uio(buf, off, Uio.Rw.READ);
                error = Vop.read(vp, uio, 0, l.cred());
                if (error != 0) return error;
                if (buf.position() == 0) return Errno.EIO.number(); // shorter than getattr said
                off += buf.position();
                buf.flip();
                while (buf.hasRemaining()) chan.write(buf);
            }
        }
        return 0;
    }

    private static void zeros(WritableByteChannel chan, long n) throws IOException {
        while (n > 0) {
            ByteBuffer z = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), n));
            while (z.hasRemaining()) chan.write(z);
            n -= z.limit();
        }
    }
}
