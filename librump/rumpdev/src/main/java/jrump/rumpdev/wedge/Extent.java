package jrump.rumpdev.wedge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.Errno;

/** A run of sectors [first, last] that one table entry claims, with the entry's description. */
record Extent(String label, long first, long last) {
    @Override
    public String toString() {
        return label + " (sectors " + first + "-" + last + ")";
    }

    /** EFTYPE naming two entries when any two of {@code extents} share a sector. */
    static void requireDisjoint(String where, List<Extent> extents) throws DiskException {
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparingLong(Extent::first));
        Extent reach = null; // of those seen, the one that ends last
        for (Extent e : sorted) {
            if (reach != null && e.first() <= reach.last()) {
                throw new DiskException(Errno.EFTYPE.number(), where + ": " + reach + " overlaps " + e);
            }
            if (reach == null || e.last() > reach.last()) reach = e;
        }
    }
}
