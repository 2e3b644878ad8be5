package jrump.fs.cd9660;

import java.util.List;
import java.util.Locale;

import jrump.rumpkern.Errno;

/**
 * One session of an image as the mount reads it: the descriptor chosen, which tree and naming to use, and
 * the bounds every extent must keep. Knows nothing of the kernel: {@link Device} is the mount's device or,
 * for the tools, a host file.
 */
final class IsoVolume {
    /** Which directory hierarchy the names come from. */
    enum Tree {
        /** The primary hierarchy with Rock Ridge (IEEE P1282) names and attributes. */
        ROCK_RIDGE,
        /** The Joliet supplementary hierarchy: UCS-2 names. */
        JOLIET,
        /** ISO 9660:1999's enhanced hierarchy: long names without versions. */
        ENHANCED,
        /** The primary hierarchy with ECMA-119 names (d-characters, ";1" versions). */
        PLAIN
    }

    /** Sessions found one after the other in an image: a bound for damaged volume space sizes. */
    static final int MAX_SESSIONS = 100;

    final Device dev;
    final VolumeDescriptor vd;
    final Tree tree;
    final int lbs;
    /** Rock Ridge's LEN_SKP (from SP), when the tree is ROCK_RIDGE. */
    final int suspSkip;
    final boolean keepVersions;
    final boolean mapLowerCase;
    /** The volume's end in bytes: no extent may reach past it. */
    final long end;
    final long rootKey;
    final long sessionStart;

    private IsoVolume(Device dev, VolumeDescriptor vd, Tree tree, int suspSkip, MountOptions o, long sessionStart) throws Cd9660Error {
        this.dev = dev;
        this.vd = vd;
        this.tree = tree;
        this.lbs = vd.logicalBlockSize();
        this.suspSkip = suspSkip;
        this.keepVersions = o.gens();
        this.mapLowerCase = o.mapLowerCase();
        // a later session's size may be its own length or the absolute end: the larger bound holds for both
        this.end = (sessionStart * VolumeDescriptor.SECTOR / lbs + vd.volumeSpaceSize()) * lbs;
        DirRecord root = rootRecord(vd);
        this.rootKey = (root.extent() + root.xattrLength()) * lbs;
        this.sessionStart = sessionStart;
    }

    /** The descriptor's root record; a damaged one (a zero-length identifier, say) is EIO, not a panic. */
    private static DirRecord rootRecord(VolumeDescriptor vd) throws Cd9660Error {
        return DirRecord.parse(vd.rootRecord(), 0, VolumeDescriptor.ROOT_RECORD_LEN, "root directory record");
    }

    /**
     * Reads the descriptor set of the session the options name (else the last one found) and picks the
     * tree: Rock Ridge unless norrip, then Joliet unless nojoliet, then ISO 9660:1999, then plain.
     */
    static IsoVolume open(Device dev, MountOptions o) throws Cd9660Error {
        long start = o.session() >= 0 ? o.session() : lastSession(dev);
        List<VolumeDescriptor> set = VolumeDescriptor.readSet(dev, start);
        VolumeDescriptor pvd = find(set, VolumeDescriptor.PRIMARY, false, false);
        if (pvd == null) throw new Cd9660Error(Errno.EFTYPE, "no primary volume descriptor in the set at sector " + (start + VolumeDescriptor.FIRST_SECTOR));
        if (!o.noRrip()) {
            IsoVolume plain = new IsoVolume(dev, pvd, Tree.PLAIN, 0, o, start);
            DirRecord dot = plain.firstRecord(plain.rootKey);
            int skip = Susp.spSkip(dot.systemUse());
            // SUSP alone is not Rock Ridge (other extensions use it): RRIP's ER or a PX on the root says so
            RockRidge rootRr = skip < 0 ? null : RockRidge.read(dev, pvd.logicalBlockSize(), dot.systemUse(), skip);
            if (rootRr != null && (rootRr.rripExtension || rootRr.px)) return new IsoVolume(dev, pvd, Tree.ROCK_RIDGE, skip, o, start);
        }
        VolumeDescriptor joliet = o.noJoliet() ? null : find(set, VolumeDescriptor.SUPPLEMENTARY, true, false);
        if (joliet != null) return new IsoVolume(dev, joliet, Tree.JOLIET, 0, o, start);
        VolumeDescriptor enhanced = find(set, VolumeDescriptor.SUPPLEMENTARY, false, true);
        if (enhanced != null) return new IsoVolume(dev, enhanced, Tree.ENHANCED, 0, o, start);
        return new IsoVolume(dev, pvd, Tree.PLAIN, 0, o, start);
    }

    private static VolumeDescriptor find(List<VolumeDescriptor> set, int type, boolean joliet, boolean enhanced) {
        for (VolumeDescriptor vd : set) {
            if (vd.type() == type && vd.isJoliet() == joliet && vd.isEnhanced() == enhanced) return vd;
        }
        return null;
    }

    /**
     * The start of the image's last session: sessions written one after another (mkisofs -M/-C, xorriso
     * -as mkisofs -C) each begin where the previous one ends and hold a volume descriptor set of their own;
     * the first is at sector 0. A later session's volume space size is the absolute end (xorriso) or the
     * session's own length (genisoimage), so both places are tried.
     */
    static long lastSession(Device dev) throws Cd9660Error {
        long start = 0;
        long size = primarySize(dev, 0);
        for (int i = 0; i < MAX_SESSIONS && size > 0; i++) {
            long found = -1;
            for (long candidate : new long[] {start + size, size}) {
                if (candidate <= start) continue;
                long s;
                try {
                    s = primarySize(dev, candidate);
                } catch (Cd9660Error e) {
                    s = -1; // past the end of the image: no session there
                }
                if (s > 0) {
                    found = candidate;
                    size = s;
                    break;
                }
            }
            if (found < 0) return start;
            start = found;
        }
        return start;
    }

    /** The volume space size of the primary descriptor at {@code start} + 16, or -1 when there is none. */
    private static long primarySize(Device dev, long start) throws Cd9660Error {
        VolumeDescriptor vd = VolumeDescriptor.parse(dev.read((start + VolumeDescriptor.FIRST_SECTOR) * VolumeDescriptor.SECTOR,
                VolumeDescriptor.SECTOR), (int) (start + VolumeDescriptor.FIRST_SECTOR));
        return vd != null && vd.type() == VolumeDescriptor.PRIMARY ? vd.volumeSpaceSize() : -1;
    }

    /** The first record of the directory at {@code key} (its "." record). */
    DirRecord firstRecord(long key) throws Cd9660Error {
        long sector = Math.floorDiv(key, VolumeDescriptor.SECTOR);
        int within = (int) (key - sector * VolumeDescriptor.SECTOR);
        byte[] s = dev.read(sector * VolumeDescriptor.SECTOR, VolumeDescriptor.SECTOR);
        if (s[within] == 0) throw Cd9660Error.corrupt("directory at byte " + key + ": no \".\" record");
        return DirRecord.parse(s, within, VolumeDescriptor.SECTOR, "directory at byte " + key);
    }

    /** The Rock Ridge of a record, or null when this tree has none. */
    RockRidge rockRidge(DirRecord r) throws Cd9660Error {
        return tree == Tree.ROCK_RIDGE ? RockRidge.read(dev, lbs, r.systemUse(), suspSkip) : null;
    }

    /** A record's name in this tree; "" for one that cannot be named (the entry is left out). */
    String name(DirRecord r, RockRidge rr) {
        if (rr != null && rr.name() != null) return rr.name();
        byte[] id = r.ident();
        String n = switch (tree) {
            case JOLIET -> Joliet.decode(id, 0, id.length);
            default -> new String(id, java.nio.charset.StandardCharsets.ISO_8859_1);
        };
        if (!keepVersions) {
            int semi = n.lastIndexOf(';');
            if (semi >= 0) n = n.substring(0, semi);
            // ECMA-119 §7.5.1: "NAME." is a name with an empty extension
            if (tree != Tree.JOLIET && n.endsWith(".") && n.length() > 1) n = n.substring(0, n.length() - 1);
        }
        if (tree == Tree.PLAIN && mapLowerCase) n = n.toLowerCase(Locale.ROOT);
        if (n.indexOf('/') >= 0 || n.indexOf('\0') >= 0 || n.equals(".") || n.equals("..")) return "";
        return n;
    }
}
