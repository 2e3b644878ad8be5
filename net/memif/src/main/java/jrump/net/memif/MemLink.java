package jrump.net.memif;

import java.util.HashMap;
import java.util.Map;

/**
 * A virtual cable between two interfaces in this JVM, found by name: the first interface created with a
 * link name takes one end, the second the other; a third finds the cable full (EBUSY). When both ends are
 * gone the name is free again. The registry is the JVM's, not a kernel's: it is what lets two kernels join.
 */
final class MemLink {
    private static final Map<String, MemLink> LINKS = new HashMap<>();

    final String name;
    private final MemifIf[] ends = new MemifIf[2];

    private MemLink(String name) {
        this.name = name;
    }

    /** Plugs {@code ifp} into an end of cable {@code name}; false when both ends are taken. */
    static synchronized boolean plug(String name, MemifIf ifp) {
        MemLink l = LINKS.computeIfAbsent(name, MemLink::new);
        for (int i = 0; i < 2; i++) {
            if (l.ends[i] == null) {
                l.ends[i] = ifp;
                ifp.link = l;
                return true;
            }
        }
        return false;
    }

    /** Unplugs {@code ifp}; the cable goes when nothing is plugged in. */
    static synchronized void unplug(MemifIf ifp) {
        MemLink l = ifp.link;
        if (l == null) return;
        for (int i = 0; i < 2; i++) {
            if (l.ends[i] == ifp) l.ends[i] = null;
        }
        if (l.ends[0] == null && l.ends[1] == null) LINKS.remove(l.name);
    }

    /** The interface at the other end of {@code ifp}'s cable, or null when nothing is plugged in there. */
    MemifIf peer(MemifIf ifp) {
        MemifIf a = ends[0];
        MemifIf b = ends[1];
        return a == ifp ? b : b == ifp ? a : null;
    }
}
