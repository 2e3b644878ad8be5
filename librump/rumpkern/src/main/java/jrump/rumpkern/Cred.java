package jrump.rumpkern;

/** A credential (kauth_cred): immutable. */
public interface Cred {
    int uid();

    int euid();

    int gid();

    int egid();

    /** The supplementary groups (a copy). */
    int[] groups();
}
