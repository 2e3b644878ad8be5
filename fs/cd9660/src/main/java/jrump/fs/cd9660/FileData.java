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

    /** Where file offset {@code off} lies on the volume (a byte offset) and how many bytes follow it there. */
    record Run(long phys, long length) {
    }

    /** The run at file offset {@code off}, or null at or past the end of the file's extents. */
    static Run map(Cd9660 fs, IsoNode n, long off) throws Cd9660Error {
        long base = 0;
        for (int i = 0; i < n.extentStart.length; i++) {
            if (off >= base + n.extentLength[i]) {
                base += n.extentLength[i];
                continue;
            }
            long within = off - base;
            long phys;
            long run;
            if (n.unit == 0) {
                phys = n.extentStart[i] + within;
                run = n.extentLength[i] - within;
            } else {
                long unitBytes = (long) n.unit * fs.vol.lbs;
                long units = within / unitBytes;
                long inUnit = within - units * unitBytes;
                phys = n.extentStart[i] + units * (n.unit + n.gap) * fs.vol.lbs + inUnit;
                run = Math.min(n.extentLength[i] - within, unitBytes - inUnit);
                if (phys + run > fs.vol.end) throw Cd9660Error.corrupt("file " + n.key + ": interleaved extent runs past the volume's end");
            }
            return new Run(phys, run);
        }
        return null;
    }

    /** Reads from file offset {@code off} into {@code dst} up to the file's end; returns the new offset. */
    static long read(Cd9660 fs, IsoNode n, long off, ByteBuffer dst) throws Cd9660Error {
        while (dst.hasRemaining() && off < n.size) {
            Run r = map(fs, n, off);
            if (r == null) break;
            int len = (int) Math.min(r.length(), dst.remaining());
            if (len >= Cd9660VnodeOps.DIRECT_READ && r.phys() % BufCache.DEV_BSIZE == 0) {
                len -= len % BufCache.DEV_BSIZE;
                fs.readDirect(r.phys(), dst, len);
            } else {
                fs.readCached(r.phys(), dst, len);
            }
            off += len;
        }
        return off;
    }
}
