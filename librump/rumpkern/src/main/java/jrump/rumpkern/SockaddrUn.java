package jrump.rumpkern;

/** struct sockaddr_un: a local (PF_LOCAL) socket's name; the empty path is an unnamed socket. */
public record SockaddrUn(String path) implements Sockaddr {
    /** sizeof(sun_path) in NetBSD's sys/un.h. */
    public static final int SUN_PATH_MAX = 104;

    public SockaddrUn {
        if (path == null) throw new IllegalArgumentException("null path");
    }

    @Override
    public int family() {
        return Sys.AF_LOCAL;
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "(unnamed)" : path;
    }
}
