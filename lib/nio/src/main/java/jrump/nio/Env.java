package jrump.nio;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jrump.ukfs.Ukfs;

/**
 * newFileSystem's env, zipfs-style: {@code readOnly}, {@code create} (with {@code fsType} and {@code size}:
 * newfs when the image does not exist), {@code fsType} (otherwise detected), {@code partition},
 * {@code offset} and {@code windowSize}, {@code label} for a created image. Values are their types or
 * strings ("true", "64m").
 */
record Env(boolean readOnly, boolean create, String fsType, long size, int partition, long offset, long windowSize, String label) {
    private static final Set<String> KEYS = Set.of("readOnly", "create", "fsType", "size", "partition", "offset", "windowSize", "label");

    /** The env of an image this provider opens: an unknown key is a mistake, said at once. */
    static Env of(Map<String, ?> env) {
        for (String k : env.keySet()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException("unknown env key '" + k + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
        }
        return parse(env);
    }

    /** The keys this provider knows, others ignored: while deciding whether a file is ours, env may be another provider's. */
    static Env parse(Map<String, ?> env) {
        return new Env(bool(env.get("readOnly")), bool(env.get("create")), env.get("fsType") == null ? null : env.get("fsType").toString(),
                bytes(env.get("size"), 0), (int) bytes(env.get("partition"), 0), bytes(env.get("offset"), 0), bytes(env.get("windowSize"), -1),
                env.get("label") == null ? null : env.get("label").toString());
    }

    Ukfs.Options options() {
        Ukfs.Options o = (readOnly ? Ukfs.Options.reading() : Ukfs.Options.writing()).withType(fsType);
        if (partition > 0) return o.withPartition(partition);
        return o.withWindow(offset, windowSize);
    }

    boolean wholeImage() {
        return partition == 0 && offset == 0 && windowSize < 0;
    }

    private static boolean bool(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        String s = v.toString();
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("not a boolean: " + v);
    }

    /** A number, or a string with an optional k, m or g suffix. */
    private static long bytes(Object v, long absent) {
        if (v == null) return absent;
        if (v instanceof Number n) return n.longValue();
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("k")) mult = 1L << 10;
        else if (s.endsWith("m")) mult = 1L << 20;
        else if (s.endsWith("g")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(s), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: " + v);
        }
    }
}
