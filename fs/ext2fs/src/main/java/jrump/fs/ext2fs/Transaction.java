package jrump.fs.ext2fs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata a read-write mount changed since its last commit: whole file system blocks (bitmaps, group
 * descriptors, inode table blocks, directory, extent and indirect blocks, the superblock) as they are to
 * become, and the blocks freed meanwhile. Nothing here reaches the device before the commit, which writes
 * it through the journal (or, without one, in place): so the image on the device is always the state of
 * the last commit, plus data written into blocks that state has free.
 *
 * <p>Freed blocks stay allocated until the commit: a block freed by this transaction must not receive
 * data in place before the transaction that frees it is safely on the disk (ext4 keeps freed blocks out of
 * use until their transaction commits, for the same reason).
 */
final class Transaction {
    private final Map<Long, byte[]> blocks = new LinkedHashMap<>();
    private final List<long[]> frees = new ArrayList<>();
    private long freedBlocks;

    /** The changed content of {@code block}, or null when this transaction did not change it. */
    byte[] get(long block) {
        return blocks.get(block);
    }

    /** Keeps {@code content} as block {@code block}'s new content (the array itself: later changes to it count). */
    void put(long block, byte[] content) {
        blocks.put(block, content);
    }

    boolean isEmpty() {
        return blocks.isEmpty() && frees.isEmpty();
    }

    /** Changed blocks, in the order first changed. */
    Map<Long, byte[]> blocks() {
        return blocks;
    }

    int size() {
        return blocks.size();
    }

    /** {@code count} blocks from {@code first} become free at the commit. */
    void free(long first, long count) {
        if (count <= 0) return;
        frees.add(new long[] {first, count});
        freedBlocks += count;
    }

    /** The runs to free at the commit, and forgets them. */
    List<long[]> takeFrees() {
        List<long[]> out = new ArrayList<>(frees);
        frees.clear();
        freedBlocks = 0;
        return out;
    }

    /** Blocks waiting to be freed: space a commit would give back. */
    long pendingFrees() {
        return freedBlocks;
    }

    void clear() {
        blocks.clear();
    }
}
