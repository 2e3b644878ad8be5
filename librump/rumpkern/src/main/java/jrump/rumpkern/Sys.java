package jrump.rumpkern;

/** Constants of the system call interface, with NetBSD's names and values (the header is named with each group). */
public final class Sys {
    private Sys() {
    }

    // rump.h: rump_lwproc_rfork flags
    /** Share the parent's descriptor table (RUMP_RFFD_SHARE). */
    public static final int RUMP_RFFD_SHARE = 0;
    /** Copy the parent's descriptor table (RUMP_RFFDG). */
    public static final int RUMP_RFFDG = 0x04;
    /** Start with an empty descriptor table (RUMP_RFCFDG). */
    public static final int RUMP_RFCFDG = 0x1000;

    // rump.h: enum rump_etfs_type
    public static final int RUMP_ETFS_REG = 0;
    public static final int RUMP_ETFS_BLK = 1;
    public static final int RUMP_ETFS_CHR = 2;
    public static final int RUMP_ETFS_DIR = 3;
    public static final int RUMP_ETFS_DIR_SUBDIRS = 4;
    /** etfs size "to the end of the host file" (RUMP_ETFS_SIZE_ENDOFF: all ones). */
    public static final long RUMP_ETFS_SIZE_ENDOFF = -1L;

    // time.h
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_VIRTUAL = 1;
    public static final int CLOCK_PROF = 2;
    public static final int CLOCK_MONOTONIC = 3;
    public static final int CLOCK_THREAD_CPUTIME_ID = 0x20000000;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 0x40000000;

    // sys/resource.h
    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_RSS = 5;
    public static final int RLIMIT_MEMLOCK = 6;
    public static final int RLIMIT_NPROC = 7;
    public static final int RLIMIT_NOFILE = 8;
    public static final int RLIMIT_SBSIZE = 9;
    public static final int RLIMIT_AS = 10;
    public static final int RLIMIT_NTHR = 11;
    public static final int RLIM_NLIMITS = 12;
    public static final long RLIM_INFINITY = Long.MAX_VALUE;

    // sys/reboot.h
    public static final int RB_AUTOBOOT = 0;
    public static final int RB_ASKNAME = 0x001;
    public static final int RB_SINGLE = 0x002;
    public static final int RB_NOSYNC = 0x004;
    public static final int RB_HALT = 0x008;
    public static final int RB_DUMP = 0x100;
    public static final int RB_POWERDOWN = RB_HALT | 0x800;

    // fcntl.h
    public static final int O_RDONLY = 0x0000;
    public static final int O_WRONLY = 0x0001;
    public static final int O_RDWR = 0x0002;
    public static final int O_ACCMODE = 0x0003;
    public static final int O_NONBLOCK = 0x0004;
    public static final int O_APPEND = 0x0008;
    public static final int O_CREAT = 0x0200;
    public static final int O_TRUNC = 0x0400;
    public static final int O_EXCL = 0x0800;
    public static final int O_NOFOLLOW = 0x0100;
    public static final int O_DIRECTORY = 0x00200000;
    public static final int O_CLOEXEC = 0x00400000;
    public static final int O_NOSIGPIPE = 0x01000000;

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_GETOWN = 5;
    public static final int F_SETOWN = 6;
    public static final int F_GETLK = 7;
    public static final int F_SETLK = 8;
    public static final int F_SETLKW = 9;
    public static final int F_CLOSEM = 10;
    public static final int F_MAXFD = 11;
    public static final int F_DUPFD_CLOEXEC = 12;
    public static final int FD_CLOEXEC = 1;

    // fcntl.h: flock(2)
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    // fcntl.h: fsync_range(2) flags
    public static final int FDATASYNC = 0x0010;
    public static final int FFILESYNC = 0x0020;
    public static final int FDISKSYNC = 0x0040;

    // sys/extattr.h: extattr_*(2) namespaces
    public static final int EXTATTR_NAMESPACE_USER = 1;
    public static final int EXTATTR_NAMESPACE_SYSTEM = 2;

    // sys/fd_set.h: select(2)'s traditional set size; jrump's FdSet grows past it
    public static final int FD_SETSIZE = 256;

    // sys/fstypes.h: mount flags
    public static final int MNT_RDONLY = 0x00000001;
    public static final int MNT_NOEXEC = 0x00000004;
    public static final int MNT_NOSUID = 0x00000008;
    public static final int MNT_NODEV = 0x00000010;
    public static final int MNT_UPDATE = 0x00010000;
    public static final int MNT_FORCE = 0x00080000;

    // fcntl.h: the *at calls
    public static final int AT_FDCWD = -100;
    public static final int AT_EACCESS = 0x100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_REMOVEDIR = 0x800;

    // sys/xattr.h
    public static final int XATTR_CREATE = 0x01;
    public static final int XATTR_REPLACE = 0x02;
    /** Largest attribute value (Linux's XATTR_SIZE_MAX, which the *xattr calls follow). */
    public static final int XATTR_SIZE_MAX = 65536;
    /** Largest attribute name (XATTR_NAME_MAX). */
    public static final int XATTR_NAME_MAX = 255;

    // sys/stat.h: tv_nsec values of utimensat and futimens
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    // unistd.h: access modes
    public static final int F_OK = 0;
    public static final int X_OK = 0x01;
    public static final int W_OK = 0x02;
    public static final int R_OK = 0x04;

    // unistd.h: pathconf names
    public static final int _PC_LINK_MAX = 1;
    public static final int _PC_MAX_CANON = 2;
    public static final int _PC_MAX_INPUT = 3;
    public static final int _PC_NAME_MAX = 4;
    public static final int _PC_PATH_MAX = 5;
    public static final int _PC_PIPE_BUF = 6;
    public static final int _PC_CHOWN_RESTRICTED = 7;
    public static final int _PC_NO_TRUNC = 8;
    public static final int _PC_VDISABLE = 9;
    public static final int _PC_SYNC_IO = 10;
    public static final int _PC_FILESIZEBITS = 11;
    public static final int _PC_SYMLINK_MAX = 12;
    public static final int _PC_2_SYMLINKS = 13;

    // sys/syslimits.h
    public static final int PATH_MAX = 1024;
    public static final int NAME_MAX = 511;
    /** sys/param.h: symbolic links followed in one lookup before ELOOP. */
    public static final int MAXSYMLINKS = 32;

    // unistd.h
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;

    // sys/syslimits.h, sys/param.h
    public static final int NGROUPS_MAX = 16;
    public static final int MAXLOGNAME = 16;
    public static final int PIPE_BUF = 512;

    // sys/socket.h: address families (PF_X == AF_X)
    public static final int AF_UNSPEC = 0;
    public static final int AF_LOCAL = 1;
    public static final int AF_UNIX = AF_LOCAL;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 24;
    public static final int PF_UNSPEC = AF_UNSPEC;
    public static final int PF_LOCAL = AF_LOCAL;
    public static final int PF_UNIX = AF_LOCAL;
    public static final int PF_INET = AF_INET;
    public static final int PF_INET6 = AF_INET6;

    // sys/socket.h: socket types and the flags socket(2)/socketpair(2) take in the type
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x10000000;
    public static final int SOCK_NONBLOCK = 0x20000000;
    public static final int SOCK_NOSIGPIPE = 0x40000000;
    public static final int SOCK_FLAGS_MASK = SOCK_CLOEXEC | SOCK_NONBLOCK | SOCK_NOSIGPIPE;

    // sys/socket.h: socket-level options
    public static final int SOL_SOCKET = 0xffff;
    public static final int SO_DEBUG = 0x0001;
    public static final int SO_ACCEPTCONN = 0x0002;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_DONTROUTE = 0x0010;
    public static final int SO_BROADCAST = 0x0020;
    public static final int SO_LINGER = 0x0080;
    public static final int SO_OOBINLINE = 0x0100;
    public static final int SO_REUSEPORT = 0x0200;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_SNDLOWAT = 0x1003;
    public static final int SO_RCVLOWAT = 0x1004;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_TYPE = 0x1008;
    public static final int SO_SNDTIMEO = 0x100b;
    public static final int SO_RCVTIMEO = 0x100c;
    /** listen(2)'s backlog ceiling (SOMAXCONN). */
    public static final int SOMAXCONN = 128;

    // sys/socket.h: send/recv flags
    public static final int MSG_OOB = 0x0001;
    public static final int MSG_PEEK = 0x0002;
    public static final int MSG_DONTROUTE = 0x0004;
    public static final int MSG_EOR = 0x0008;
    public static final int MSG_TRUNC = 0x0010;
    public static final int MSG_CTRUNC = 0x0020;
    public static final int MSG_WAITALL = 0x0040;
    public static final int MSG_DONTWAIT = 0x0080;
    public static final int MSG_NOSIGNAL = 0x0400;

    // sys/socket.h: shutdown(2)
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    // netinet/in.h: protocols and IP options
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IP_TOS = 3;
    public static final int IP_TTL = 4;

    // netinet/in.h (RFC 8200 section 4, RFC 4443): IPv6 extension headers and ICMPv6
    public static final int IPPROTO_HOPOPTS = 0;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ROUTING = 43;
    public static final int IPPROTO_FRAGMENT = 44;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_NONE = 59;
    public static final int IPPROTO_DSTOPTS = 60;
    // netinet6/in6.h: IPV6_* socket options (level IPPROTO_IPV6), NetBSD's values
    public static final int IPV6_UNICAST_HOPS = 4;
    public static final int IPV6_MULTICAST_HOPS = 10;
    public static final int IPV6_V6ONLY = 27;
    public static final int IPV6_TCLASS = 61;

    // netinet/tcp.h: TCP options
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_KEEPIDLE = 3;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
}
