package jrump.rumpvfs.vnode;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KCred;

/**
 * The classic permission check every file system shares (NetBSD's genfs_can_access, kauth's default
 * policy): owner, group (effective or supplementary) or other bits; the superuser may do anything except
 * execute a file that has no execute bit at all.
 */
public final class Vaccess {
    /** accmode bits (sys/vnode.h). */
    public static final int VEXEC = 0100;
    public static final int VWRITE = 0200;
    public static final int VREAD = 0400;
    public static final int VAPPEND = 040000;

    private Vaccess() {
    }

    /** Returns 0 or EACCES. */
    public static int check(VType type, int mode, int uid, int gid, int accmode, KCred cred) {
        int want = accmode & (VREAD | VWRITE | VEXEC);
        if ((accmode & VAPPEND) != 0) want |= VWRITE;
        if (cred.isRoot()) {
            if ((want & VEXEC) != 0 && type != VType.VDIR && (mode & 0111) == 0) return Errno.EACCES.number();
            return 0;
        }
        int bits;
        if (cred.euid() == uid) bits = mode & 0700;
        else if (cred.isMember(gid)) bits = (mode & 0070) << 3;
        else bits = (mode & 0007) << 6;
        return (bits & want) == want ? 0 : Errno.EACCES.number();
    }
}
