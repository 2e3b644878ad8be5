package jrump.rumpvfs.rumpfs;

import java.util.Map;
import java.util.TreeMap;

import jrump.rumpvfs.vnode.Uio;

/**
 * A file's content as pages: holes cost nothing, a page is made on its first write and charged to the
 * file system's space account. Reading a hole gives zeros.
 */
final class SparseBytes {
    /** Page size: the unit of allocation and of statvfs's blocks. */
    static final int PAGE = 4096;

    private final TreeMap<Long, byte[]> pages = new TreeMap<>();

    /** Pages held (what the file costs). */
    long pageCount() {
        return pages.size();
    }

    /** Moves bytes between [off, off + len) and the caller's buffer; holes read as zeros. */
    void read(Uio uio, long off, int len) {
        long pos = off;
        long end = off + len;
        while (pos < end) {
            long index = pos / PAGE;
            int inPage = (int) (pos % PAGE);
            int n = (int) Math.min(PAGE - inPage, end - pos);
            byte[] page = pages.get(index);
            if (page == null) {
                uio.buffer().put(new byte[n]);
                uio.setOffset(uio.offset() + n);
            } else {
                uio.move(page, inPage, n);
            }
            pos += n;
        }
    }

    /**
     * Writes {@code len} bytes from the caller at {@code off}, making the pages it needs; {@code account}
     * may refuse a new page (false: ENOSPC), and then nothing of this write has been stored.
     */
    boolean write(Uio uio, long off, int len, Space account) {
        long first = off / PAGE;
        long last = (off + len - 1) / PAGE;
        long missing = 0;
        for (long i = first; i <= last; i++) if (!pages.containsKey(i)) missing++;
        if (missing > 0 && !account.take(missing)) return false;
        long pos = off;
        long end = off + len;
        while (pos < end) {
            long index = pos / PAGE;
            int inPage = (int) (pos % PAGE);
            int n = (int) Math.min(PAGE - inPage, end - pos);
            uio.move(pages.computeIfAbsent(index, i -> new byte[PAGE]), inPage, n);
            pos += n;
        }
        return true;
    }

    /**
     * Makes every missing page of [off, off + len) (zeros), so later writes there need no space; false
     * (ENOSPC) when the account cannot hold them, and then nothing was made.
     */
    boolean allocate(long off, long len, Space account) {
        long first = off / PAGE;
        long last = (off + len - 1) / PAGE;
        long missing = (last - first + 1) - pages.subMap(first, true, last, true).size();
        if (missing == 0) return true;
        // one charge for the lot: the hypervisor refuses what the host could not hold
        if (!account.take(missing)) return false;
        for (long i = first; i <= last; i++) pages.computeIfAbsent(i, x -> new byte[PAGE]);
        return true;
    }

    /** Drops everything at or past {@code size}, zeroing the tail of the last page kept. */
    void truncate(long size, Space account) {
        long keep = (size + PAGE - 1) / PAGE;
        Map<Long, byte[]> gone = pages.tailMap(keep, true);
        long freed = gone.size();
        gone.clear();
        if (size % PAGE != 0) {
            byte[] last = pages.get(size / PAGE);
            if (last != null) java.util.Arrays.fill(last, (int) (size % PAGE), PAGE, (byte) 0);
        }
        if (freed > 0) account.give(freed);
    }

    /**
     * Punches a hole over [off, off + len): whole pages inside it are given back, partial pages at its
     * edges are zeroed.
     */
    void discard(long off, long len, Space account) {
        long end = off + len;
        long firstWhole = (off + PAGE - 1) / PAGE;
        long endWhole = end / PAGE;
        long freed = 0;
        if (firstWhole < endWhole) {
            Map<Long, byte[]> gone = pages.subMap(firstWhole, true, endWhole, false);
            freed = gone.size();
            gone.clear();
        }
        zero(off, Math.min(end, firstWhole * PAGE));
        zero(Math.max(off, endWhole * PAGE), end);
        if (freed > 0) account.give(freed);
    }

    private void zero(long from, long to) {
        if (from >= to) return;
        byte[] page = pages.get(from / PAGE);
        if (page != null) java.util.Arrays.fill(page, (int) (from % PAGE), (int) ((to - 1) % PAGE) + 1, (byte) 0);
    }

    /** A file system's account of pages: the hypervisor's memory limit and the mount's own size limit. */
    interface Space {
        boolean take(long pages);

        void give(long pages);
    }
}
