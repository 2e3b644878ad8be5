package jrump.cli;

import java.time.Duration;

import jrump.p2k.P2k;

/**
 * {@code jrump mount}'s -o list, mount(8)-style: ro, rw, allow_other, entry_timeout=SECONDS,
 * attr_timeout=SECONDS, threads=N, size=BYTES[kmg] (tmpfs), fsname=NAME. Anything else is refused by name.
 */
record MountOptions(boolean readOnly, P2k.Options p2k, String tmpfsSize) {
    static MountOptions parse(String list, String source) {
        P2k.Options o = P2k.Options.defaults().withFsName(source);
        boolean ro = false;
        String size = "64m";
        Duration entry = o.entryTimeout();
        Duration attr = o.attrTimeout();
        if (list != null && !list.isEmpty()) {
            for (String opt : list.split(",")) {
                int eq = opt.indexOf('=');
                String key = eq < 0 ? opt : opt.substring(0, eq);
                String value = eq < 0 ? null : opt.substring(eq + 1);
                switch (key) {
                    case "ro" -> ro = true;
                    case "rw" -> ro = false;
                    case "allow_other" -> o = o.withAllowOther(true);
                    case "entry_timeout" -> entry = seconds(key, value);
                    case "attr_timeout" -> attr = seconds(key, value);
                    case "threads" -> o = o.withThreads(number(key, value, 1, 64));
                    case "size" -> size = need(key, value);
                    case "fsname" -> o = o.withFsName(need(key, value));
                    case "" -> { }
                    default -> throw new CliException("-o " + opt + ": unknown mount option (ro, rw, allow_other, "
                            + "entry_timeout=S, attr_timeout=S, threads=N, size=BYTES, fsname=NAME)");
                }
            }
        }
        return new MountOptions(ro, o.withReadOnly(ro).withTimeouts(entry, attr), size);
    }

    private static String need(String key, String value) {
        if (value == null || value.isEmpty()) throw new CliException("-o " + key + ": needs a value (" + key + "=...)");
        return value;
    }

    private static Duration seconds(String key, String value) {
        try {
            double s = Double.parseDouble(need(key, value));
            if (s < 0 || s > 86400) throw new NumberFormatException();
            return Duration.ofNanos((long) (s * 1e9));
        } catch (NumberFormatException e) {
            throw new CliException("-o " + key + "=" + value + ": not a number of seconds from 0 to 86400");
        }
    }

    private static int number(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(need(key, value));
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new CliException("-o " + key + "=" + value + ": not a number from " + min + " to " + max);
        }
    }
}
