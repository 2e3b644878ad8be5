package jrump.fs.msdosfs;

import jrump.rumpkern.Errno;

/**
 * What mount(2)'s option string may say after the device (NetBSD's mount_msdos -u -g -m -M -t): FAT has
 * no owners and no modes, so the mount decides what every file shows.
 */
record MountOptions(int uid, int gid, int mask, int dirMask, int gmtoff) {
    static final int DEFAULT_MASK = 0755;
    /** Time zones are within a day of UTC. */
    private static final int MAX_GMTOFF = 24 * 3600;

    static MountOptions parse(String options) throws FatError {
        int uid = 0;
        int gid = 0;
        int mask = DEFAULT_MASK;
        Integer dirMask = null;
        int gmtoff = 0;
        if (options != null) {
            for (String o : options.split(",")) {
                if (o.isBlank()) continue;
                int eq = o.indexOf('=');
                String key = eq < 0 ? o.strip() : o.substring(0, eq).strip();
                String value = eq < 0 ? "" : o.substring(eq + 1).strip();
                try {
                    switch (key) {
                        case "uid" -> uid = Integer.parseInt(value);
                        case "gid" -> gid = Integer.parseInt(value);
                        case "mask" -> mask = Integer.parseInt(value, 8) & 0777;
                        case "dirmask" -> dirMask = Integer.parseInt(value, 8) & 0777;
                        case "gmtoff" -> gmtoff = Integer.parseInt(value);
                        default -> throw new FatError(Errno.EINVAL, "unknown mount option '" + key + "' (uid, gid, mask, dirmask, gmtoff)");
                    }
                } catch (NumberFormatException e) {
                    throw new FatError(Errno.EINVAL, "mount option " + key + ": '" + value + "' is not a number");
                }
            }
        }
        if (uid < 0 || gid < 0) throw new FatError(Errno.EINVAL, "negative uid or gid");
        if (Math.abs(gmtoff) > MAX_GMTOFF) throw new FatError(Errno.EINVAL, "gmtoff " + gmtoff + " is more than a day");
        return new MountOptions(uid, gid, mask, dirMask == null ? mask : dirMask, gmtoff);
    }
}
