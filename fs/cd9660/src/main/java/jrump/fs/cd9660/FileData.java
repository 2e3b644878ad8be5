package jrump.fs.cd9660;

import java.nio.ByteBuffer;

import jrump.rumpvfs.vnode.BufCache;

/**
 * A file's bytes: its extents one after another (ECMA-119 §6.5.1 multi-extent files), each either
 * contiguous or interleaved (§6.4.3: file units of {@code unit} blocks separated by gaps of {@code gap}
 * blocks). Long contiguous stretches go from the device straight into the caller's buffer.
 */
final class FileData {
    private FileData() {
    }

    /** Reads from file offset {@code off} into {@code dst} up to the file's end; returns the new offset. */
    static long read(Cd9660 fs, IsoNode n, long off, ByteBuffer dst) throws Cd9660Error {
        long base = 0;
        int i = 0;
        int lbs = fs.vol.lbs;
        while (dst.hasRemaining() && off < n.size) {
            while (i < n.extentStart.length && off >= base + n.extentLength[i]) {
                base += n.extentLength[i];
                i++;
            }
            if (i == n.extentStart.length) break;
            long within = off - base;
            long phys;
            long run;
            if (n.unit == 0) {
                phys = n.extentStart[i] + within;
                run = n.extentLength[i] - within;
            } else {
                long unitBytes = (long) n.unit * lbs;
                long units = within / unitBytes;
                long inUnit = within - units * unitBytes;
                phys = n.extentStart[i] + units * (n.unit + n.gap) * lbs + inUnit;
                run = Math.min(n.extentLength[i] - within, unitBytes - inUnit);
                if (phys + run > fs.vol.end) throw Cd9660Error.corrupt("file " + n.key + ": interleaved extent runs past the volume's end");
            }
            int len = (int) Math.min(run, dst.remaining());
            if (len >= Cd9660VnodeOps.DIRECT_READ && phys % BufCache.DEV_BSIZE == 0) {
                len -= len % BufCache.DEV_BSIZE;
                fs.readDirect(phys, dst, len);
            } else {
                fs.readCached(phys, dst, len);
            }
            off += len;
        }
        return off;
    }
}
