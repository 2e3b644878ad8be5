package jrump.fs.ext2fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file's logical-to-physical block map as a read-write mount keeps it in memory: runs of contiguous
 * blocks, merged where they touch, plus the blocks its on-disk form (extent tree or indirect blocks) took
 * when it was read or last written. {@link MapWriter} turns it back into that form at the commit; until
 * then reads of the file map through this.
 */
final class FileMap {
    /** A run: {@code len} blocks from logical {@code lblk} at physical {@code pblk}; unwritten ones read as zeros. */
    record Run(long lblk, long pblk, long len, boolean unwritten) {
        long end() {
            return lblk + len;
        }
    }

    private final TreeMap<Long, Run> runs = new TreeMap<>();
    /** The blocks of the on-disk map (extent index and leaf blocks, indirect blocks) as last read or written. */
    final List<Long> mapBlocks = new ArrayList<>();
    private long dataBlocks;
    boolean dirty;

    static FileMap load(Volume fs, Inode in) throws Ext2Error {
        FileMap m = new FileMap();
        BlockWalk.walk(fs, in, new BlockWalk.Visitor() {
            @Override
            public void data(long lblk, long pblk, long len, boolean unwritten) {
                m.add(new Run(lblk, pblk, len, unwritten));
            }

            @Override
            public void mapBlock(long pblk) {
                m.mapBlocks.add(pblk);
            }
        });
        return m;
    }

    private void add(Run r) {
        runs.put(r.lblk(), r);
        dataBlocks += r.len();
    }

    /** Where {@code lblk} is, in {@link Extents.Run}'s terms: physical 0 for a hole or unwritten space. */
    Extents.Run lookup(long lblk) {
        Map.Entry<Long, Run> e = runs.floorEntry(lblk);
        if (e != null && lblk < e.getValue().end()) {
            Run r = e.getValue();
            long into = lblk - r.lblk();
            return new Extents.Run(r.unwritten() ? 0 : r.pblk() + into, r.len() - into);
        }
        Long next = runs.higherKey(lblk);
        return new Extents.Run(0, next == null ? Long.MAX_VALUE : next - lblk);
    }

    /** The run holding {@code lblk}, or null. */
    Run runAt(long lblk) {
        Map.Entry<Long, Run> e = runs.floorEntry(lblk);
        return e != null && lblk < e.getValue().end() ? e.getValue() : null;
    }

    /** Maps [lblk, lblk + len) (a hole now) to physical blocks from {@code pblk}, joining a run it continues. */
    void map(long lblk, long pblk, long len, boolean unwritten) {
        if (len <= 0) return;
        dirty = true;
        dataBlocks += len;
        Map.Entry<Long, Run> before = runs.floorEntry(lblk - 1);
        if (before != null) {
            Run b = before.getValue();
            if (b.end() == lblk && b.pblk() + b.len() == pblk && b.unwritten() == unwritten) {
                runs.put(b.lblk(), new Run(b.lblk(), b.pblk(), b.len() + len, unwritten));
                joinNext(b.lblk());
                return;
            }
        }
        runs.put(lblk, new Run(lblk, pblk, len, unwritten));
        joinNext(lblk);
    }

    private void joinNext(long key) {
        Run r = runs.get(key);
        Run n = runs.get(r.end());
        if (n != null && n.pblk() == r.pblk() + r.len() && n.unwritten() == r.unwritten()) {
            runs.remove(n.lblk());
            runs.put(key, new Run(r.lblk(), r.pblk(), r.len() + n.len(), r.unwritten()));
        }
    }

    /**
     * Unmaps [from, to): returns the physical runs that held it (to be freed). Runs crossing the edges are
     * split.
     */
    List<long[]> unmap(long from, long to) {
        List<long[]> freed = new ArrayList<>();
        if (from >= to) return freed;
        Map.Entry<Long, Run> first = runs.floorEntry(from);
        long key = first != null && first.getValue().end() > from ? first.getKey() : from;
        for (Run r : new ArrayList<>(runs.subMap(key, true, to, false).values())) {
            long s = Math.max(r.lblk(), from);
            long e = Math.min(r.end(), to);
            if (s >= e) continue;
            dirty = true;
            runs.remove(r.lblk());
            if (r.lblk() < s) runs.put(r.lblk(), new Run(r.lblk(), r.pblk(), s - r.lblk(), r.unwritten()));
            if (e < r.end()) runs.put(e, new Run(e, r.pblk() + (e - r.lblk()), r.end() - e, r.unwritten()));
            freed.add(new long[] {r.pblk() + (s - r.lblk()), e - s});
            dataBlocks -= e - s;
        }
        return freed;
    }

    /** Marks [from, to) of an unwritten run written (its blocks now hold data). */
    void markWritten(long from, long to) {
        Run r = runAt(from);
        if (r == null || !r.unwritten()) return;
        long e = Math.min(r.end(), to);
        dirty = true;
        runs.remove(r.lblk());
        dataBlocks -= r.len();
        if (r.lblk() < from) add(new Run(r.lblk(), r.pblk(), from - r.lblk(), true));
        if (e < r.end()) add(new Run(e, r.pblk() + (e - r.lblk()), r.end() - e, true));
        map(from, r.pblk() + (from - r.lblk()), e - from, false);
    }

    /** The physical block just after the last mapped one before {@code lblk}: where to put {@code lblk} to stay contiguous. */
    long goalFor(long lblk) {
        Map.Entry<Long, Run> e = runs.floorEntry(lblk);
        if (e == null) return 0;
        Run r = e.getValue();
        return r.pblk() + Math.min(lblk - r.lblk(), r.len());
    }

    Iterable<Run> runs() {
        return runs.values();
    }

    int runCount() {
        return runs.size();
    }

    long dataBlocks() {
        return dataBlocks;
    }

    /** The first logical block past every mapped one. */
    long end() {
        return runs.isEmpty() ? 0 : runs.lastEntry().getValue().end();
    }
}
