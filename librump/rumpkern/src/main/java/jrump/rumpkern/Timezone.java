package jrump.rumpkern;

/** struct timezone (obsolete; kept because settimeofday takes one). */
public record Timezone(int minuteswest, int dsttime) {
}
