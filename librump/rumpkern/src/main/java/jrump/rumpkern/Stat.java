package jrump.rumpkern;

/** struct stat (NetBSD sys/stat.h): what stat, lstat, fstat and fstatat return. Times are Timespecs. */
public record Stat(long dev, int mode, long ino, long nlink, int uid, int gid, long rdev, Timespec atime,
                   Timespec mtime, Timespec ctime, Timespec birthtime, long size, long blocks, int blksize,
                   int flags, long gen) {
    /** File type bits of {@code mode} (S_IFMT) and their values. */
    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFSOCK = 0140000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The permission bits (07777). */
    public int permissions() {
        return mode & 07777;
    }
}
