package jrump.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jrump.rumpkern.Stat;

/** ls(1)'s renderings: the mode string ("drwxr-xr-x") and the date column. */
final class Modes {
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ROOT);
    /** ls shows the year instead of the time for dates more than about six months away. */
    private static final long SIX_MONTHS_SECONDS = 182L * 24 * 3600;

    private Modes() {
    }

    static String string(int mode) {
        char type = switch (mode & Stat.S_IFMT) {
            case Stat.S_IFDIR -> 'd';
            case Stat.S_IFLNK -> 'l';
            case Stat.S_IFCHR -> 'c';
            case Stat.S_IFBLK -> 'b';
            case Stat.S_IFIFO -> 'p';
            case Stat.S_IFSOCK -> 's';
            default -> '-';
        };
        StringBuilder s = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) s.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        if ((mode & 04000) != 0) s.setCharAt(3, (mode & 0100) != 0 ? 's' : 'S');
        if ((mode & 02000) != 0) s.setCharAt(6, (mode & 0010) != 0 ? 's' : 'S');
        if ((mode & 01000) != 0) s.setCharAt(9, (mode & 0001) != 0 ? 't' : 'T');
        return s.toString();
    }

    static String date(long epochSeconds, long nowSeconds) {
        Instant t = Instant.ofEpochSecond(epochSeconds);
        boolean recent = Math.abs(nowSeconds - epochSeconds) < SIX_MONTHS_SECONDS;
        return (recent ? RECENT : OLD).format(t.atZone(ZoneId.systemDefault()));
    }
}
