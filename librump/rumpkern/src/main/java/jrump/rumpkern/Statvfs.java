package jrump.rumpkern;

/**
 * struct statvfs (NetBSD sys/statvfs.h): what statvfs1, fstatvfs1 and getvfsstat report of a mounted
 * file system. Block counts are in units of {@code frsize}.
 */
public record Statvfs(long flag, long bsize, long frsize, long iosize, long blocks, long bfree, long bavail,
                      long bresvd, long files, long ffree, long favail, long fresvd, long fsid, long namemax,
                      int owner, String fstypename, String mntonname, String mntfromname) {
    /** statvfs1 flags. */
    public static final int ST_WAIT = 1;
    public static final int ST_NOWAIT = 2;

    /** Bytes free to unprivileged users. */
    public long availableBytes() {
        return bavail * frsize;
    }

    /** Bytes in all. */
    public long totalBytes() {
        return blocks * frsize;
    }
}
