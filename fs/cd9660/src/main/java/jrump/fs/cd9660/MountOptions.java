package jrump.fs.cd9660;

import jrump.rumpkern.Errno;

/**
 * mount_cd9660(8)'s options, parsed once: {@code norrip}, {@code nojoliet}, {@code gens}, {@code nomaplcase},
 * {@code session=N} (the session's first sector; -1: the last found). Unknown options are EINVAL.
 */
record MountOptions(boolean noRrip, boolean noJoliet, boolean gens, boolean mapLowerCase, long session) {
    static final MountOptions DEFAULTS = new MountOptions(false, false, false, true, -1);

    static MountOptions parse(String options) throws Cd9660Error {
        boolean norrip = false;
        boolean nojoliet = false;
        boolean gens = false;
        boolean maplcase = true;
        long session = -1;
        if (options == null || options.isBlank()) return DEFAULTS;
        for (String o : options.split(",")) {
            String opt = o.strip();
            if (opt.isEmpty() || opt.equals("ro") || opt.equals("rdonly")) continue;
            if (opt.startsWith("session=")) {
                try {
                    session = Long.parseLong(opt.substring("session=".length()));
                } catch (NumberFormatException e) {
                    session = -2;
                }
                if (session < 0 || session > (1L << 32)) throw new Cd9660Error(Errno.EINVAL, "bad option " + opt);
                continue;
            }
            switch (opt) {
                case "norrip" -> norrip = true;
                case "rrip" -> norrip = false;
                case "nojoliet" -> nojoliet = true;
                case "joliet" -> nojoliet = false;
                case "gens" -> gens = true;
                case "nomaplcase" -> maplcase = false;
                case "maplcase" -> maplcase = true;
                default -> throw new Cd9660Error(Errno.EINVAL, "unknown option " + opt
                        + " (norrip, nojoliet, gens, nomaplcase, session=N)");
            }
        }
        return new MountOptions(norrip, nojoliet, gens, maplcase, session);
    }
}
