package jrump.p2k;

import jrump.rumpkern.Errno;

/**
 * The rump kernel's errno (NetBSD's numbers) as the Linux kernel's (asm-generic/errno-base.h and errno.h),
 * for FUSE replies, which carry minus a Linux errno. The two agree up to ERANGE (34), EDEADLK (NetBSD 11,
 * Linux 35) aside, and differ above: NetBSD's
 * EAGAIN is 35, Linux's 11; NetBSD's ENOTEMPTY 66, Linux's 39. NetBSD-only values get the nearest Linux one.
 */
final class LinuxErrno {
    private static final int[] TABLE = build();

    private LinuxErrno() {
    }

    /** The Linux errno for a NetBSD one (EIO for anything unknown). */
    static int of(Errno e) {
        int n = e.number();
        return n >= 0 && n < TABLE.length && TABLE[n] != 0 ? TABLE[n] : 5;
    }

    private static int[] build() {
        int[] t = new int[128];
        for (int i = 1; i <= 34; i++) t[i] = i; // EPERM..ERANGE: the same on both but one
        t[11] = 35;   // EDEADLK: NetBSD 11 is Linux's EAGAIN's number
        t[35] = 11;   // EAGAIN
        t[36] = 115;  // EINPROGRESS
        t[37] = 114;  // EALREADY
        t[38] = 88;   // ENOTSOCK
        t[39] = 89;   // EDESTADDRREQ
        t[40] = 90;   // EMSGSIZE
        t[41] = 91;   // EPROTOTYPE
        t[42] = 92;   // ENOPROTOOPT
        t[43] = 93;   // EPROTONOSUPPORT
        t[44] = 94;   // ESOCKTNOSUPPORT
        t[45] = 95;   // EOPNOTSUPP
        t[46] = 96;   // EPFNOSUPPORT
        t[47] = 97;   // EAFNOSUPPORT
        t[48] = 98;   // EADDRINUSE
        t[49] = 99;   // EADDRNOTAVAIL
        t[50] = 100;  // ENETDOWN
        t[51] = 101;  // ENETUNREACH
        t[52] = 102;  // ENETRESET
        t[53] = 103;  // ECONNABORTED
        t[54] = 104;  // ECONNRESET
        t[55] = 105;  // ENOBUFS
        t[56] = 106;  // EISCONN
        t[57] = 107;  // ENOTCONN
        t[58] = 108;  // ESHUTDOWN
        t[59] = 109;  // ETOOMANYREFS
        t[60] = 110;  // ETIMEDOUT
        t[61] = 111;  // ECONNREFUSED
        t[62] = 40;   // ELOOP
        t[63] = 36;   // ENAMETOOLONG
        t[64] = 112;  // EHOSTDOWN
        t[65] = 113;  // EHOSTUNREACH
        t[66] = 39;   // ENOTEMPTY
        t[67] = 11;   // EPROCLIM: Linux has none; "try again" as for fork's EAGAIN
        t[68] = 87;   // EUSERS
        t[69] = 122;  // EDQUOT
        t[70] = 116;  // ESTALE
        t[71] = 66;   // EREMOTE
        for (int i = 72; i <= 76; i++) t[i] = 5; // Sun RPC errors: EIO
        t[77] = 37;   // ENOLCK
        t[78] = 38;   // ENOSYS
        t[79] = 40;   // EFTYPE: what NetBSD's O_NOFOLLOW gives on a symlink, where Linux gives ELOOP
        t[80] = 13;   // EAUTH: EACCES
        t[81] = 13;   // ENEEDAUTH: EACCES
        t[82] = 43;   // EIDRM
        t[83] = 42;   // ENOMSG
        t[84] = 75;   // EOVERFLOW
        t[85] = 84;   // EILSEQ
        t[86] = 95;   // ENOTSUP (Linux's ENOTSUP is EOPNOTSUPP)
        t[87] = 125;  // ECANCELED
        t[88] = 74;   // EBADMSG
        t[89] = 61;   // ENODATA
        t[90] = 63;   // ENOSR
        t[91] = 60;   // ENOSTR
        t[92] = 62;   // ETIME
        t[93] = 61;   // ENOATTR: Linux's ENOATTR is ENODATA
        t[94] = 72;   // EMULTIHOP
        t[95] = 67;   // ENOLINK
        t[96] = 71;   // EPROTO
        t[97] = 130;  // EOWNERDEAD
        t[98] = 131;  // ENOTRECOVERABLE
        return t;
    }
}
