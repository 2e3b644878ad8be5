package jrump.net.virtif;

/**
 * Seeded fault decisions for one direction of a link: drop, duplicate, hold back. The generator is
 * SplitMix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", OOPSLA 2014), kept
 * here because a kernel module draws no randomness from the host's libraries.
 */
final class LinkFaults {
    enum Fate { PASS, DROP, DUPLICATE, HOLD }

    private final VirtifSpec spec;
    private long state;
    long dropped;
    long duplicated;
    long reordered;

    LinkFaults(VirtifSpec spec, long stream) {
        this.spec = spec;
        this.state = spec.seed() * 0x9e3779b97f4a7c15L + stream;
    }

    private double next() {
        long z = (state += 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    /** What happens to the next frame; {@code canHold} is false while a frame is held already. */
    Fate decide(boolean canHold) {
        if (next() < spec.loss()) {
            dropped++;
            return Fate.DROP;
        }
        if (next() < spec.dup()) {
            duplicated++;
            return Fate.DUPLICATE;
        }
        if (canHold && next() < spec.reorder()) {
            reordered++;
            return Fate.HOLD;
        }
        return Fate.PASS;
    }
}
