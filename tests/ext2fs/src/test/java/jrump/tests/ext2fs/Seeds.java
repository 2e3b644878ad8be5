package jrump.tests.ext2fs;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seeds of the generated trees and mutations. Fixed by default so that a failure repeats; a different
 * one with {@code -Djrump.ext2fs.seed=N}, or a fresh one each run with {@code -Djrump.ext2fs.seed=random}.
 * Every test that uses one names it in its failure messages.
 */
final class Seeds {
    static final String PROPERTY = "jrump.ext2fs.seed";

    private Seeds() {
    }

    /** The seed to use where {@code fallback} is the test's fixed one. */
    static long seed(long fallback) {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) return fallback;
        if (s.equals("random")) {
            long r = ThreadLocalRandom.current().nextLong();
            System.out.println(PROPERTY + "=random chose " + r);
            return r;
        }
        return Long.decode(s.trim());
    }

    /** How a failure message names a seed so that the run can be repeated. */
    static String describe(long seed) {
        return "seed " + seed + " (repeat with -D" + PROPERTY + "=" + seed + ")";
    }
}
