package jrump.rumpkern;

import java.util.Arrays;

/**
 * fd_set: the descriptor set select(2) reads and rewrites. Unlike C's it is not limited to FD_SETSIZE; it
 * grows to the largest descriptor set in it.
 */
public final class FdSet {
    private long[] words = new long[(Sys.FD_SETSIZE + 63) / 64];

    /** FD_SET. */
    public FdSet set(int fd) {
        if (fd < 0) throw new IllegalArgumentException("negative descriptor " + fd);
        int w = fd >>> 6;
        if (w >= words.length) words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        words[w] |= 1L << fd;
        return this;
    }

    /** FD_CLR. */
    public void clear(int fd) {
        if (fd >= 0 && (fd >>> 6) < words.length) words[fd >>> 6] &= ~(1L << fd);
    }

    /** FD_ISSET. */
    public boolean isSet(int fd) {
        return fd >= 0 && (fd >>> 6) < words.length && (words[fd >>> 6] & (1L << fd)) != 0;
    }

    /** FD_ZERO. */
    public void zero() {
        Arrays.fill(words, 0);
    }

    /** The number of descriptors set. */
    public int count() {
        int n = 0;
        for (long w : words) n += Long.bitCount(w);
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("fd_set{");
        for (int fd = 0; fd < words.length * 64; fd++) {
            if (isSet(fd)) b.append(b.length() > 7 ? "," : "").append(fd);
        }
        return b.append('}').toString();
    }
}
