package jrump.net.netinet;

/**
 * What a network stack needs from whoever runs it: a monotonic clock and randomness. A kernel supplies
 * its own (the hypervisor's clock and random source); a simulation supplies a virtual clock and a seeded
 * generator, which makes every run with the same seed identical.
 */
public interface NetEnv {
    /** Monotonic nanoseconds. */
    long nanoTime();

    /** 64 random bits. */
    long random();
}
