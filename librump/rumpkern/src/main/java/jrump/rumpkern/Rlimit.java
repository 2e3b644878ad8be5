package jrump.rumpkern;

/** struct rlimit: a soft limit and its ceiling. {@link Sys#RLIM_INFINITY} means none. */
public record Rlimit(long cur, long max) {
}
