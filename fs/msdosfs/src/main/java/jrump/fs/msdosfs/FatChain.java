package jrump.fs.msdosfs;

import java.util.Arrays;

/**
 * A file's or directory's clusters in order, walked once from the FAT and then kept up to date by the
 * code that grows and shrinks the file. The walk is bounded: a chain can have at most as many clusters
 * as the volume, so one that is longer loops, and a link to a free, reserved, bad or out-of-range
 * cluster is damage; both are EIO naming the cluster, never a hang or an unbounded allocation.
 */
final class FatChain {
    private long[] clusters;
    private int length;

    private FatChain(long[] clusters, int length) {
        this.clusters = clusters;
        this.length = length;
    }

    static FatChain empty() {
        return new FatChain(new long[4], 0);
    }

    /** Walks the chain starting at {@code first} (0: an empty file). */
    static FatChain walk(Fat fat, long first, String what) throws FatError {
        FatChain chain = empty();
        if (first == 0) return chain;
        long c = first;
        while (true) {
            if (!fat.valid(c)) throw FatError.corrupt(what + ": cluster " + c + " is outside the volume (2.." + fat.maxCluster() + ")");
            if (chain.length >= fat.maxCluster() - 1) throw FatError.corrupt(what + ": its cluster chain loops (at cluster " + c + ")");
            chain.add(c);
            long next = fat.get(c);
            if (fat.isEoc(next)) return chain;
            if (next == Fat.FREE) throw FatError.corrupt(what + ": cluster " + c + " links to a free cluster");
            if (next == fat.type.bad) throw FatError.corrupt(what + ": cluster " + c + " links to a bad cluster");
            c = next;
        }
    }

    int length() {
        return length;
    }

    long get(int i) {
        return clusters[i];
    }

    long first() {
        return length == 0 ? 0 : clusters[0];
    }

    long last() {
        return length == 0 ? 0 : clusters[length - 1];
    }

    long[] array() {
        return clusters;
    }

    void add(long c) {
        if (length == clusters.length) clusters = Arrays.copyOf(clusters, clusters.length * 2);
        clusters[length++] = c;
    }

    /** Appends the chain {@code fat} links from {@code first} on (just allocated, so known to be sound). */
    void appendFrom(Fat fat, long first) {
        for (long c = first; ; c = fat.get(c)) {
            add(c);
            if (fat.isEoc(fat.get(c))) return;
        }
    }

    void truncate(int newLength) {
        length = newLength;
    }

    /** How many clusters from index {@code i} on are consecutive on the disk (for one transfer). */
    int contiguousFrom(int i, int max) {
        int n = 1;
        while (n < max && i + n < length && clusters[i + n] == clusters[i + n - 1] + 1) n++;
        return n;
    }
}
