package jrump.fs.msdosfs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A directory's entries in memory: built by one walk of the directory, then changed together with the
 * disk by every create, remove and rename, so a lookup is a hash probe and finding room for a new name
 * does not read the directory again. Slots are the directory's 32-byte entries, numbered from 0.
 *
 * <p>Locking: the mount's lock.
 */
final class DirIndex {
    /** What occupies a run of slots. */
    enum Kind { FILE, DOT, LABEL, JUNK }

    /**
     * One entry: slots {@code first..slot} (long-name pieces, then the short entry at {@code slot}), the
     * name shown, and for a subdirectory its first cluster (a directory's identity).
     */
    record Item(int first, int slot, Kind kind, String name, String shortName, boolean isDir, long dirCluster) {
    }

    private final TreeMap<Integer, Item> bySlot = new TreeMap<>();
    private final Map<String, Item> byName = new HashMap<>();
    private final Set<String> shortNames = new HashSet<>();
    /** Slots the directory has now (its clusters, or the fixed root region). */
    int totalSlots;

    DirIndex(int totalSlots) {
        this.totalSlots = totalSlots;
    }

    void add(Item it) {
        bySlot.put(it.first(), it);
        if (it.kind() == Kind.FILE) {
            byName.putIfAbsent(ShortNames.fold(it.name()), it);
            // a name can also be reached by its alias
            byName.putIfAbsent(ShortNames.fold(displayOf(it.shortName())), it);
        }
        if (it.kind() == Kind.FILE || it.kind() == Kind.LABEL) shortNames.add(it.shortName());
    }

    void remove(Item it) {
        bySlot.remove(it.first());
        if (it.kind() == Kind.FILE) {
            byName.remove(ShortNames.fold(it.name()), it);
            byName.remove(ShortNames.fold(displayOf(it.shortName())), it);
        }
        shortNames.remove(it.shortName());
    }

    /** "NAME.EXT" of an 11-byte raw short name. */
    static String displayOf(String raw11) {
        String base = raw11.substring(0, 8).stripTrailing();
        String ext = raw11.substring(8).stripTrailing();
        return ext.isEmpty() ? base : base + "." + ext;
    }

    Item lookup(String name) {
        return byName.get(ShortNames.fold(name));
    }

    Set<String> shortNames() {
        return shortNames;
    }

    /** Entries from slot {@code from} on, in slot order (readdir). */
    Iterable<Item> from(int from) {
        return bySlot.tailMap(from, true).values();
    }

    /** Whether only "." and ".." (and labels or junk) are left. */
    boolean isEmpty() {
        for (Item it : bySlot.values()) if (it.kind() == Kind.FILE) return false;
        return true;
    }

    /**
     * The first slot of a run of {@code n} free slots, or -1 when the directory must grow: gaps left by
     * removed entries first, then the free tail.
     */
    int findFree(int n) {
        int prevEnd = 0;
        for (Item it : bySlot.values()) {
            if (it.first() - prevEnd >= n) return prevEnd;
            prevEnd = it.slot() + 1;
        }
        return totalSlots - prevEnd >= n ? prevEnd : -1;
    }

    int size() {
        return bySlot.size();
    }
}
