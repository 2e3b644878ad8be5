package jrump.rumpvfs.vnode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import jrump.rumpkern.kernel.Kernel;

/**
 * The kernel's name cache (NetBSD's vfs_cache.c): (directory, name) → the vnode VOP_LOOKUP found, or a
 * negative entry for a name that is not there, for the mounts whose file systems want one (directory
 * searches that cost device reads). It holds no references: an entry names a vnode, and every change of
 * names purges what it changes.
 *
 * <p>Coherence: the VFS purges after every operation that adds, removes or moves a name (create, mkdir,
 * mknod, symlink, link, remove, rmdir, rename) and when a vnode is reclaimed. A lookup that raced with
 * such a change must not put back what the change just removed, so entries are only added when no purge
 * happened since the lookup began ({@link #generation}).
 */
public final class NameCache {
    /** The most entries kept; the least recently used go first. */
    public static final int MAX_ENTRIES = 8192;
    private static final Object KEY = NameCache.class;
    /** The value of a negative entry. */
    private static final Object NEGATIVE = new Object();

    private record Key(Vnode dir, String name) {
    }

    /** What {@link #lookup} found. */
    public sealed interface Hit permits Positive, Negative {
    }

    public record Positive(Vnode vp) implements Hit {
    }

    public record Negative() implements Hit {
    }

    private static final Negative NEGATIVE_HIT = new Negative();

    private final Map<Key, Object> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
            if (size() <= MAX_ENTRIES) return false;
            unindex(eldest.getKey(), eldest.getValue());
            return true;
        }
    };
    /**
     * The keys of the entries each vnode is in, as the directory or as the answer: purging a vnode visits
     * its own entries only (scanning all of them per reclaimed vnode would be quadratic).
     */
    private final Map<Vnode, java.util.Set<Key>> byVnode = new java.util.HashMap<>();
    private long generation;
    private long hits;
    private long misses;

    private NameCache() {
    }

    public static NameCache of(Kernel kernel) {
        return (NameCache) kernel.specific().computeIfAbsent(KEY, k -> new NameCache());
    }

    /** The cached answer for {@code name} in {@code dir}, or null (ask the file system). */
    public synchronized Hit lookup(Vnode dir, String name) {
        Object v = entries.get(new Key(dir, name));
        if (v == null) {
            misses++;
            return null;
        }
        hits++;
        return v == NEGATIVE ? NEGATIVE_HIT : new Positive((Vnode) v);
    }

    /** Read before asking the file system; hand it to {@link #enter}. */
    public synchronized long generation() {
        return generation;
    }

    /** cache_enter: what VOP_LOOKUP answered (vp null: no such name), unless names changed meanwhile. */
    public synchronized void enter(Vnode dir, String name, Vnode vp, long seenGeneration) {
        if (seenGeneration != generation || name.equals(".") || name.equals("..")) return;
        Key k = new Key(dir, name);
        Object old = entries.put(k, vp == null ? NEGATIVE : vp);
        if (old != null) unindex(k, old);
        byVnode.computeIfAbsent(dir, d -> new java.util.HashSet<>()).add(k);
        if (vp != null) byVnode.computeIfAbsent(vp, d -> new java.util.HashSet<>()).add(k);
    }

    private void unindex(Key k, Object value) {
        drop(k.dir(), k);
        if (value instanceof Vnode vp) drop(vp, k);
    }

    private void drop(Vnode vp, Key k) {
        java.util.Set<Key> keys = byVnode.get(vp);
        if (keys != null && keys.remove(k) && keys.isEmpty()) byVnode.remove(vp);
    }

    /** A name in {@code dir} was added, removed or replaced. */
    public synchronized void purge(Vnode dir, String name) {
        generation++;
        Key k = new Key(dir, name);
        Object old = entries.remove(k);
        if (old != null) unindex(k, old);
    }

    /** cache_purge: {@code vp} is gone or changed place: entries in it and entries naming it go. */
    public synchronized void purgeVnode(Vnode vp) {
        generation++;
        java.util.Set<Key> keys = byVnode.remove(vp);
        if (keys == null) return;
        for (Key k : keys) {
            Object old = entries.remove(k);
            if (old != null) unindex(k, old);
        }
    }

    /** Every entry of a mount's directories goes (unmount). */
    public synchronized void purgeMount(Mount mp) {
        generation++;
        for (Iterator<Map.Entry<Key, Object>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Object> e = it.next();
            if (e.getKey().dir().mount() != mp) continue;
            it.remove();
            unindex(e.getKey(), e.getValue());
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
