package jrump.fs.cd9660;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The two date formats of ECMA-119 (and RRIP's TF, which uses either): §9.1.5 "recording date and time",
 * seven bytes (years since 1900, month, day, hour, minute, second, offset from GMT in 15-minute units), and
 * §8.4.26.1, seventeen bytes of digits ("YYYYMMDDhhmmsscc" and the offset byte). Values are nanoseconds
 * since the epoch, or {@link #NONE} for a zero date. Out-of-range fields (writers do get them wrong) are
 * clamped, not refused: a wrong time is not worth an unreadable file.
 */
final class IsoTime {
    /** "Not specified" (all zero digits, or a zero short form). */
    static final long NONE = Long.MIN_VALUE;
    /** §9.1.5 length. */
    static final int SHORT = 7;
    /** §8.4.26.1 length. */
    static final int LONG = 17;

    private IsoTime() {
    }

    static long parseShort(byte[] b, int off) {
        return parseShort(b, off, true);
    }

    /** §9.1.5 without its last byte when {@code withOffset} is false (read as GMT). */
    static long parseShort(byte[] b, int off, boolean withOffset) {
        int year = b[off] & 0xff;
        int month = b[off + 1];
        int day = b[off + 2];
        if (year == 0 && month == 0 && day == 0) return NONE;
        return nanos(1900 + year, month, day, b[off + 3], b[off + 4], b[off + 5], 0, withOffset ? b[off + 6] : 0);
    }

    static long parseLong(byte[] b, int off) {
        int year = digits(b, off, 4);
        int month = digits(b, off + 4, 2);
        int day = digits(b, off + 6, 2);
        if (year <= 0 || month <= 0 || day <= 0) return NONE;
        return nanos(year, month, day, digits(b, off + 8, 2), digits(b, off + 10, 2), digits(b, off + 12, 2),
                digits(b, off + 14, 2) * 10_000_000L, b[off + 16]);
    }

    private static int digits(byte[] b, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = b[off + i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    private static long nanos(int year, int month, int day, int hour, int minute, int second, long nanos, int gmtOff15) {
        LocalDateTime t = LocalDateTime.of(year, clamp(month, 1, 12), 1, clamp(hour, 0, 23), clamp(minute, 0, 59), clamp(second, 0, 59))
                .plusDays(clamp(day, 1, 31) - 1);
        int offset = clamp(gmtOff15, -48, 52) * 15 * 60; // §9.1.5: -48 (west) to +52 (east)
        return t.toEpochSecond(ZoneOffset.ofTotalSeconds(offset)) * 1_000_000_000L + nanos;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** §9.1.5, in GMT. */
    static void putShort(byte[] b, int off, long epochNanos) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), 0, ZoneOffset.UTC);
        b[off] = (byte) clamp(t.getYear() - 1900, 0, 255);
        b[off + 1] = (byte) t.getMonthValue();
        b[off + 2] = (byte) t.getDayOfMonth();
        b[off + 3] = (byte) t.getHour();
        b[off + 4] = (byte) t.getMinute();
        b[off + 5] = (byte) t.getSecond();
        b[off + 6] = 0;
    }

    /** §8.4.26.1, in GMT with hundredths. */
    static void putLong(byte[] b, int off, long epochNanos) {
        long sec = Math.floorDiv(epochNanos, 1_000_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
        String s = String.format(java.util.Locale.ROOT, "%04d%02d%02d%02d%02d%02d%02d", clamp(t.getYear(), 1, 9999), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), Math.floorMod(epochNanos, 1_000_000_000L) / 10_000_000L);
        for (int i = 0; i < 16; i++) b[off + i] = (byte) s.charAt(i);
        b[off + 16] = 0;
    }
}
