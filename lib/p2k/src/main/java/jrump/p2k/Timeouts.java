package jrump.p2k;

/**
 * How long the Linux kernel may trust a name (entry) and attributes without asking again (fuse_entry_out's
 * entry_valid and attr_valid). p2k is the image's only writer and every change passes through the kernel,
 * which invalidates what it changed itself (fuse_dir_changed, fuse_invalidate_attr after writes, links and
 * renames), so the caches stay right for any timeout; shorter ones only cost more requests.
 */
record Timeouts(long entryNanos, long attrNanos) {
    long entrySec() {
        return entryNanos / 1_000_000_000L;
    }

    int entryNsec() {
        return (int) (entryNanos % 1_000_000_000L);
    }

    long attrSec() {
        return attrNanos / 1_000_000_000L;
    }

    int attrNsec() {
        return (int) (attrNanos % 1_000_000_000L);
    }
}
