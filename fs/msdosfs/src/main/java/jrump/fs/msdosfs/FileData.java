package jrump.fs.msdosfs;

import java.nio.ByteBuffer;

import jrump.rumpvfs.vnode.Uio;

/**
 * A file's content (NetBSD's msdosfs_vnops.c read/write and msdosfs_fat.c's extendfile/detrunc): bytes
 * mapped through the cluster chain, clusters taken before anything is written (so ENOSPC changes
 * nothing), and the gap a file grows over filled with zeros, since FAT has no holes.
 *
 * <p>Locking: every method runs under the mount's lock.
 */
final class FileData {
    private final Msdosfs fs;

    FileData(Msdosfs fs) {
        this.fs = fs;
    }

    /** From the uio's offset up to the file's size into its buffer. */
    void read(MsdosNode n, Uio uio) throws FatError {
        long off = uio.offset();
        long size = n.entry.size;
        ByteBuffer dst = uio.buffer();
        int cs = fs.bpb.clusterBytes;
        readRuns(n, fs.chain(n), dst, off, size, cs, uio);
    }

    /** The read loop; keeps the uio's offset at what has moved, so a failure part way is a short read. */
    private void readRuns(MsdosNode n, FatChain ch, ByteBuffer dst, long off, long size, int cs, Uio uio) throws FatError {
        while (dst.hasRemaining() && off < size) {
            int ci = (int) (off / cs);
            if (ci >= ch.length()) {
                throw FatError.corrupt("'" + n.entry.displayName() + "': size " + size + " but " + ch.length() + " clusters");
            }
            int within = (int) (off % cs);
            int len = (int) Math.min(Math.min(cs - within, dst.remaining()), size - off);
            if (within == 0 && len == cs && dst.remaining() >= Msdosfs.DIRECT_READ) {
                // a stretch of whole contiguous clusters: one transfer into the caller's buffer
                long wholeLeft = Math.min(dst.remaining(), size - off) / cs;
                int run = ch.contiguousFrom(ci, (int) Math.min(wholeLeft, Integer.MAX_VALUE / cs));
                if (run * cs >= Msdosfs.DIRECT_READ) {
                    fs.readDirect(ch.get(ci), dst, run * cs);
                    off += (long) run * cs;
                    uio.setOffset(off);
                    continue;
                }
            }
            fs.read(fs.bpb.clusterOffset(ch.get(ci)) + within, dst, len);
            off += len;
            uio.setOffset(off);
        }
    }

    /** The uio's bytes at its offset (checked by the caller against the 4 GiB limit); the file grows as needed. */
    void write(MsdosNode n, Uio uio) throws FatError {
        long off = uio.offset();
        long end = off + uio.resid();
        int cs = fs.bpb.clusterBytes;
        ensureClusters(n, clustersFor(end));
        if (off > n.entry.size) zero(n, n.entry.size, off);
        FatChain ch = fs.chain(n);
        ByteBuffer src = uio.buffer();
        try {
            while (off < end) {
                int ci = (int) (off / cs);
                int within = (int) (off % cs);
                int len = (int) Math.min(cs - within, end - off);
                fs.write(fs.bpb.clusterOffset(ch.get(ci)) + within, src, len);
                off += len;
            }
        } finally {
            // a failure part way keeps what was written, and the size that covers it
            uio.setOffset(off);
            if (off > n.entry.size) n.entry.size = off;
        }
    }

    /** truncate: shrinking gives clusters back, growing takes them and zero-fills the new bytes. */
    void resize(MsdosNode n, long size) throws FatError {
        long old = n.entry.size;
        if (size < old) {
            shrinkTo(n, clustersFor(size));
        } else if (size > old) {
            ensureClusters(n, clustersFor(size));
            zero(n, old, size);
        }
        n.entry.size = size;
    }

    private long clustersFor(long bytes) {
        return (bytes + fs.bpb.clusterBytes - 1) / fs.bpb.clusterBytes;
    }

    /** At least {@code want} clusters in the chain: all are taken or none (ENOSPC). */
    void ensureClusters(MsdosNode n, long want) throws FatError {
        FatChain ch = fs.chain(n);
        if (want <= ch.length()) return;
        long first = fs.fat.allocate(want - ch.length(), ch.last());
        if (ch.length() == 0) n.entry.firstCluster = first;
        ch.appendFrom(fs.fat, first);
    }

    private void shrinkTo(MsdosNode n, long keep) throws FatError {
        FatChain ch = fs.chain(n);
        if (keep >= ch.length()) return;
        fs.fat.free(ch.array(), (int) keep, ch.length());
        if (keep == 0) n.entry.firstCluster = 0;
        else fs.fat.set(ch.get((int) keep - 1), fs.fat.type.eoc);
        ch.truncate((int) keep);
    }

    /** Zeros in [from, to): old bytes past the end of a cluster and new clusters hold whatever was there. */
    private void zero(MsdosNode n, long from, long to) throws FatError {
        int cs = fs.bpb.clusterBytes;
        FatChain ch = fs.chain(n);
        byte[] zeros = new byte[cs];
        for (long off = from; off < to; ) {
            int ci = (int) (off / cs);
            int within = (int) (off % cs);
            int len = (int) Math.min(cs - within, to - off);
            if (len == cs) fs.zeroCluster(ch.get(ci));
            else fs.write(fs.bpb.clusterOffset(ch.get(ci)) + within, zeros, 0, len);
            off += len;
        }
    }
}
