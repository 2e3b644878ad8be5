package jrump.fs.msdosfs;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * FAT's date and time fields (fatgen103 "Date and Time Formats"): local time in 2-second steps from
 * 1980-01-01 to 2107-12-31, creation times with a 10 ms count beside them. The time zone the volume's
 * local times are in is the mount's (gmtoff), since FAT does not record it.
 */
final class FatTime {
    static final int EPOCH_YEAR = 1980;
    static final int LAST_YEAR = 2107;
    private static final long NANOS = 1_000_000_000L;

    private FatTime() {
    }

    /** The fields of {@code epochNanos}: {date, time, tenths (10 ms units, 0..199)}; clamped to FAT's range. */
    static int[] encode(long epochNanos, int gmtoff) {
        long sec = Math.floorDiv(epochNanos, NANOS) + gmtoff;
        long nanos = Math.floorMod(epochNanos, NANOS);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, (int) nanos, ZoneOffset.UTC);
        if (t.getYear() < EPOCH_YEAR) return new int[] {(1 << 5) | 1, 0, 0};
        if (t.getYear() > LAST_YEAR) return new int[] {(127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29, 199};
        int date = (t.getYear() - EPOCH_YEAR) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth();
        int time = t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2;
        int tenths = (t.getSecond() % 2) * 100 + (int) (nanos / 10_000_000L);
        return new int[] {date, time, tenths};
    }

    /** Nanoseconds since the epoch of a FAT date, time and 10 ms count; impossible fields are clamped. */
    static long decode(int date, int time, int tenths, int gmtoff) {
        int year = EPOCH_YEAR + (date >>> 9);
        int month = Math.min(12, Math.max(1, (date >>> 5) & 0xF));
        int day = Math.max(1, date & 0x1F);
        int hour = Math.min(23, time >>> 11);
        int minute = Math.min(59, (time >>> 5) & 0x3F);
        int second = Math.min(58, (time & 0x1F) * 2);
        LocalDateTime t;
        try {
            t = LocalDateTime.of(year, month, 1, hour, minute, second).plusDays(day - 1L);
        } catch (java.time.DateTimeException e) {
            t = LocalDateTime.of(EPOCH_YEAR, 1, 1, 0, 0);
        }
        long sec = t.toEpochSecond(ZoneOffset.UTC) - gmtoff;
        int t10 = Math.min(199, tenths);
        return sec * NANOS + t10 * 10_000_000L;
    }
}
