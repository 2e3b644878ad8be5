package jrump.rumpkern;

/**
 * struct flock: an advisory record lock for fcntl's F_GETLK, F_SETLK and F_SETLKW. The range starts at
 * {@code start} relative to {@code whence} (a SEEK_ constant) and runs {@code len} bytes, 0 meaning to
 * the end of the file however far it grows, a negative length the bytes before {@code start}. Mutable:
 * F_GETLK overwrites it with the first conflicting lock, or sets {@code type} to {@link #F_UNLCK}.
 */
public final class Flock {
    /** fcntl.h: a shared (read) lock. */
    public static final short F_RDLCK = 1;
    /** fcntl.h: unlock, or "no conflict" from F_GETLK. */
    public static final short F_UNLCK = 2;
    /** fcntl.h: an exclusive (write) lock. */
    public static final short F_WRLCK = 3;

    public long start;
    public long len;
    public int pid;
    public short type;
    public short whence;

    public Flock(short type, short whence, long start, long len) {
        this.type = type;
        this.whence = whence;
        this.start = start;
        this.len = len;
    }

    @Override
    public String toString() {
        String t = switch (type) {
            case F_RDLCK -> "F_RDLCK";
            case F_WRLCK -> "F_WRLCK";
            case F_UNLCK -> "F_UNLCK";
            default -> "type " + type;
        };
        return "flock(" + t + ", whence=" + whence + ", start=" + start + ", len=" + len + ", pid=" + pid + ")";
    }
}
