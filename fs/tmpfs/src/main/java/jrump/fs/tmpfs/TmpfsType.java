package jrump.fs.tmpfs;

import java.util.Locale;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.rumpfs.Rumpfs;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.Vnode;

/**
 * mount -t tmpfs: parses the options (mount_tmpfs(8)'s -s, -n, -m, -u, -g as size=, nodes=, mode=, uid=,
 * gid=) and makes a memory file system with those limits on rumpvfs's memory file system code.
 */
final class TmpfsType implements VfsType {
    @Override
    public String name() {
        return "tmpfs";
    }

    @Override
    public int mount(Kernel kernel, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
        Rumpfs.Limits limits = parse(options);
        if (limits == null) return Errno.EINVAL.number();
        Mount mp = Rumpfs.create(kernel, covered, fsid, "tmpfs", limits);
        mp.setFlags(flags & Mount.MNT_RDONLY);
        // jrump's own option: lookups through the kernel's name cache (its coherence tests run on tmpfs)
        mp.setNameCache(options != null && java.util.Arrays.stream(options.split(",")).map(String::strip).anyMatch(NAMECACHE::equals));
        out.set(mp);
        return 0;
    }

    /** The limits an option string asks for, or null when it is malformed. */
    /** The option that turns the name cache on. */
    static final String NAMECACHE = "namecache";

    static Rumpfs.Limits parse(String options) {
        long size = Long.MAX_VALUE;
        long nodes = Long.MAX_VALUE;
        int uid = 0;
        int gid = 0;
        int mode = 01777;
        if (options == null || options.isBlank()) return new Rumpfs.Limits(size, nodes, uid, gid, mode);
        try {
            for (String opt : options.split(",")) {
                String o = opt.strip();
                if (o.isEmpty() || o.equals(NAMECACHE)) continue;
                int eq = o.indexOf('=');
                if (eq < 0) return null;
                String key = o.substring(0, eq);
                String value = o.substring(eq + 1);
                switch (key) {
                    case "size" -> size = bytes(value);
                    case "nodes" -> nodes = Long.parseLong(value);
                    case "mode" -> mode = Integer.parseInt(value, 8);
                    case "uid" -> uid = Integer.parseInt(value);
                    case "gid" -> gid = Integer.parseInt(value);
                    default -> {
                        return null;
                    }
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (size <= 0 || nodes < 1 || mode < 0 || mode > 07777 || uid < 0 || gid < 0) return null;
        return new Rumpfs.Limits(size, nodes, uid, gid, mode);
    }

    private static long bytes(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("k")) mult = 1L << 10;
        else if (s.endsWith("m")) mult = 1L << 20;
        else if (s.endsWith("g")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        return Math.multiplyExact(Long.parseLong(s), mult);
    }
}
