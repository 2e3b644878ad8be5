package jrump.fs.cd9660;

import static jrump.fs.cd9660.IsoNumbers.n711;
import static jrump.fs.cd9660.IsoNumbers.n733;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a record's Rock Ridge entries (IEEE P1282, RRIP 1.12, §4.1) say about its file, gathered from
 * one SUSP walk. Fields left unset keep their "absent" values and the caller uses plain ISO 9660's.
 * Lenient where writers are known to be wrong: a TF entry shorter than its flags promise (Debian's makefs)
 * gives the times that fit.
 */
final class RockRidge {
    /** §4.1.1 PX: mode, links, uid, gid (both-endian at 4, 12, 20, 28), and serial number (36, RRIP 1.12). */
    static final int PX_LENGTH_1_10 = 36;
    /** §4.1.2 PN: device number high (4) and low (12). */
    static final int PN_LENGTH = 20;
    /** §4.1.3 SL and §4.1.4 NM flags. */
    static final int CONTINUE = 0x01;
    static final int CURRENT = 0x02;
    static final int PARENT = 0x04;
    static final int ROOT = 0x08;
    /** §4.1.6 TF flags, in the order the stamps follow. */
    static final int TF_CREATION = 0x01;
    static final int TF_MODIFY = 0x02;
    static final int TF_ACCESS = 0x04;
    static final int TF_ATTRIBUTES = 0x08;
    static final int TF_LONG_FORM = 0x80;
    /** Longer names and link targets than this are damage (NetBSD's NAME_MAX is 511, PATH_MAX 1024). */
    static final int MAX_NAME = 1023;
    static final int MAX_LINK = 4096;
    /** The extension identifiers RRIP's ER entry carries (RRIP 1991A, 1.10 and 1.12). */
    static final java.util.Set<String> RRIP_IDS = java.util.Set.of("RRIP_1991A", "IEEE_P1282", "IEEE_1282");

    boolean px;
    long mode;
    long nlink;
    long uid;
    long gid;
    long rdevHigh = -1;
    long rdevLow = -1;
    final ByteArrayOutputStream name = new ByteArrayOutputStream();
    boolean hasName;
    ByteArrayOutputStream link;
    private boolean linkNeedsSlash;
    long created = IsoTime.NONE;
    long modified = IsoTime.NONE;
    long accessed = IsoTime.NONE;
    long attributes = IsoTime.NONE;
    /** CL: the relocated directory's extent, else -1. */
    long childLink = -1;
    /** PL: the original parent's extent, else -1. */
    long parentLink = -1;
    /** RE: this directory record is the relocated one (hidden where it lies). */
    boolean relocated;
    /** An ER entry names RRIP (SUSP §5.5): "RRIP_1991A", "IEEE_P1282" or "IEEE_1282". */
    boolean rripExtension;

    /** The Rock Ridge of one record: a walk over its system use area from LEN_SKP on. */
    static RockRidge read(Device dev, int lbs, byte[] su, int skip) throws Cd9660Error {
        RockRidge rr = new RockRidge();
        Susp.walk(dev, lbs, su, skip, rr::entry);
        return rr;
    }

    private void entry(String sig, byte[] b, int off, int len) throws Cd9660Error {
        switch (sig) {
            case "PX" -> {
                if (len < PX_LENGTH_1_10) return;
                px = true;
                mode = n733(b, off + 4);
                nlink = n733(b, off + 12);
                uid = n733(b, off + 20);
                gid = n733(b, off + 28);
            }
            case "PN" -> {
                if (len < PN_LENGTH) return;
                rdevHigh = n733(b, off + 4);
                rdevLow = n733(b, off + 12);
            }
            case "NM" -> {
                if (len < 5 || (n711(b, off + 4) & (CURRENT | PARENT)) != 0) return;
                hasName = true;
                name.write(b, off + 5, len - 5);
                if (name.size() > MAX_NAME) throw Cd9660Error.corrupt("Rock Ridge NM: a name of more than " + MAX_NAME + " bytes");
            }
            case "SL" -> symlink(b, off, len);
            case "TF" -> times(b, off, len);
            case "CL" -> childLink = len >= 12 ? n733(b, off + 4) : -1;
            case "PL" -> parentLink = len >= 12 ? n733(b, off + 4) : -1;
            case "RE" -> relocated = true;
            case "ER" -> rripExtension |= len >= 8 && RRIP_IDS.contains(
                    new String(b, off + 8, Math.min(n711(b, off + 4), len - 8), StandardCharsets.ISO_8859_1));
            default -> {
                // SP, ER, ES, PD, RR, SF, ZF and the rest: nothing the VFS shows
            }
        }
    }

    /** §4.1.3.1 component records: flags, length, content; a component may continue in the next one. */
    private void symlink(byte[] b, int off, int len) throws Cd9660Error {
        if (link == null) link = new ByteArrayOutputStream();
        int p = off + 5;
        int end = off + len;
        while (p + 2 <= end) {
            int flags = n711(b, p);
            int clen = n711(b, p + 1);
            if (p + 2 + clen > end) break;
            if (linkNeedsSlash) link.write('/');
            if ((flags & ROOT) != 0) {
                link.write('/');
            } else if ((flags & CURRENT) != 0) {
                link.write('.');
            } else if ((flags & PARENT) != 0) {
                link.writeBytes(new byte[] {'.', '.'});
            } else {
                link.write(b, p + 2, clen);
            }
            // a root component is itself the separator; a continued one goes on without one
            linkNeedsSlash = (flags & (ROOT | CONTINUE)) == 0;
            p += 2 + clen;
        }
        if (link.size() > MAX_LINK) throw Cd9660Error.corrupt("Rock Ridge SL: a link of more than " + MAX_LINK + " bytes");
    }

    private void times(byte[] b, int off, int len) {
        if (len < 5) return;
        int flags = n711(b, off + 4);
        int size = (flags & TF_LONG_FORM) != 0 ? IsoTime.LONG : IsoTime.SHORT;
        int p = off + 5;
        for (int bit = TF_CREATION; bit <= TF_ATTRIBUTES; bit <<= 1) {
            if ((flags & bit) == 0) continue;
            long t;
            if (p + size <= off + len) {
                t = size == IsoTime.LONG ? IsoTime.parseLong(b, p) : IsoTime.parseShort(b, p);
            } else if (size == IsoTime.SHORT && p + size - 1 == off + len) {
                t = IsoTime.parseShort(b, p, false); // Debian's makefs: TF one byte short, the last offset missing
            } else {
                return; // a short TF: keep the stamps that fit
            }
            switch (bit) {
                case TF_CREATION -> created = t;
                case TF_MODIFY -> modified = t;
                case TF_ACCESS -> accessed = t;
                default -> attributes = t;
            }
            p += size;
        }
    }

    String name() {
        return hasName ? name.toString(StandardCharsets.UTF_8) : null;
    }

    String linkTarget() {
        return link == null ? null : link.toString(StandardCharsets.UTF_8);
    }

    /**
     * PN's device number as NetBSD's makedev: a zero high word carries a whole Linux dev_t in the low word
     * (what mkisofs and xorriso write), else high and low are major and minor.
     */
    long rdev() {
        if (rdevLow < 0) return 0;
        long major;
        long minor;
        if (rdevHigh == 0) {
            major = (rdevLow & 0xfff00) >>> 8;
            minor = (rdevLow & 0xff) | ((rdevLow >>> 12) & 0xfff00);
        } else {
            major = rdevHigh;
            minor = rdevLow;
        }
        return ((major << 8) & 0x000fff00L) | (minor & 0xffL) | ((minor << 12) & 0xfff00000L);
    }
}
