package jrump.rumpkern.kernel;

import java.util.Arrays;

import jrump.rumpkern.Cred;

/**
 * A credential (kauth_cred_t): real, effective and saved ids and the supplementary groups. Immutable:
 * a change makes a new one, so an lwp can keep using the one it started a call with.
 */
public record KCred(int uid, int euid, int svuid, int gid, int egid, int svgid, int[] groupList) implements Cred {

    public static final KCred ROOT = new KCred(0, 0, 0, 0, 0, 0, new int[0]);

    public KCred {
        groupList = groupList.clone();
    }

    @Override
    public int[] groups() {
        return groupList.clone();
    }

    public int ngroups() {
        return groupList.length;
    }

    /** kauth's "is the caller the superuser": effective uid 0. */
    public boolean isRoot() {
        return euid == 0;
    }

    /** Whether {@code g} is the effective gid or a supplementary group (kauth_cred_ismember_gid). */
    public boolean isMember(int g) {
        if (egid == g) return true;
        for (int x : groupList) if (x == g) return true;
        return false;
    }

    public KCred withUids(int ruid, int eu, int su) {
        return new KCred(ruid, eu, su, gid, egid, svgid, groupList);
    }

    public KCred withGids(int rgid, int eg, int sg) {
        return new KCred(uid, euid, svuid, rgid, eg, sg, groupList);
    }

    public KCred withGroups(int[] g) {
        return new KCred(uid, euid, svuid, gid, egid, svgid, g);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KCred c && c.uid == uid && c.euid == euid && c.svuid == svuid && c.gid == gid
                && c.egid == egid && c.svgid == svgid && Arrays.equals(c.groupList, groupList);
    }

    @Override
    public int hashCode() {
        return ((uid * 31 + euid) * 31 + gid) * 31 + Arrays.hashCode(groupList);
    }

    @Override
    public String toString() {
        return "cred(uid=" + uid + "/" + euid + "/" + svuid + ", gid=" + gid + "/" + egid + "/" + svgid
                + ", groups=" + Arrays.toString(groupList) + ")";
    }
}
