package jrump.rumpvfs.vnode;

import jrump.rumpkern.kernel.KCred;

/**
 * One pathname component being looked up (struct componentname): the operation, its flags, the
 * credential, and the name.
 */
public record ComponentName(int nameiop, int flags, KCred cred, String name) {
    /** cn_nameiop values (sys/namei.h). */
    public static final int LOOKUP = 0;
    public static final int CREATE = 1;
    public static final int DELETE = 2;
    public static final int RENAME = 3;

    /** cn_flags (sys/namei.h). */
    public static final int LOCKLEAF = 0x0004;
    public static final int LOCKPARENT = 0x0008;
    public static final int FOLLOW = 0x0040;
    public static final int ISLASTCN = 0x00008000;
    public static final int ISDOTDOT = 0x00002000;
}
