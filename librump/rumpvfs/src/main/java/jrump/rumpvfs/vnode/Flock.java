package jrump.rumpvfs.vnode;

/** An advisory record lock (struct flock): start, length (0 = to the end), owner pid, type, whence. */
public record Flock(long start, long len, int pid, short type, short whence) {
    public static final short F_RDLCK = 1;
    public static final short F_UNLCK = 2;
    public static final short F_WRLCK = 3;
}
