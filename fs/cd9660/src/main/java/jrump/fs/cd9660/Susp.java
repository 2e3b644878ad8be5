package jrump.fs.cd9660;

import static jrump.fs.cd9660.IsoNumbers.n711;
import static jrump.fs.cd9660.IsoNumbers.n733;

import java.util.HashSet;
import java.util.Set;

/**
 * The System Use Sharing Protocol (IEEE P1281, SUSP 1.12): entries of a signature, a length and a version
 * in a directory record's system use area, continued in continuation areas (CE, §5.1) elsewhere on the
 * disc. A walk is bounded: at most {@link #MAX_CONTINUATIONS} continuation areas, none visited twice (a CE
 * loop is damage, reported), none longer than a sector. A malformed entry ends its area (what follows
 * cannot be framed), as in NetBSD's cd9660_rrip.c.
 */
final class Susp {
    /** §5.3 SP: "SP", length 7, version 1, check bytes BE EF, then LEN_SKP. */
    static final int SP_LENGTH = 7;
    static final int SP_CHECK1 = 0xBE;
    static final int SP_CHECK2 = 0xEF;
    /** §5.1 CE: block location (both-endian at 4), offset (12), length (20). */
    static final int CE_LENGTH = 28;
    /** The entry header: two signature bytes, length, version. */
    static final int HEADER = 4;
    static final int MAX_CONTINUATIONS = 32;

    private Susp() {
    }

    /** One entry's bytes: {@code b[off .. off+len)}, signature first. */
    @FunctionalInterface
    interface Visitor {
        void entry(String signature, byte[] b, int off, int len) throws Cd9660Error;
    }

    /** LEN_SKP of the SP entry that opens {@code rootDotSu} (the root's "." record), or -1 when SUSP is not used. */
    static int spSkip(byte[] rootDotSu) {
        if (rootDotSu.length < SP_LENGTH) return -1;
        if (rootDotSu[0] != 'S' || rootDotSu[1] != 'P' || n711(rootDotSu, 2) < SP_LENGTH) return -1;
        if (n711(rootDotSu, 4) != SP_CHECK1 || n711(rootDotSu, 5) != SP_CHECK2) return -1;
        return n711(rootDotSu, 6);
    }

    /** Visits the entries of {@code su} from {@code skip} on, then of each continuation area in turn. */
    static void walk(Device dev, int logicalBlockSize, byte[] su, int skip, Visitor v) throws Cd9660Error {
        byte[] area = su;
        int pos = skip;
        Set<Long> seen = new HashSet<>();
        for (int areas = 0; ; areas++) {
            long[] ce = null;
            while (pos + HEADER <= area.length) {
                int len = n711(area, pos + 2);
                if (len < HEADER || pos + len > area.length) break;
                String sig = new String(area, pos, 2, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (sig.equals("ST")) {
                    area = null; // §5.4: the end of the whole system use field, continuations included
                    break;
                }
                if (sig.equals("CE") && len >= CE_LENGTH) {
                    ce = new long[] {n733(area, pos + 4), n733(area, pos + 12), n733(area, pos + 20)};
                } else {
                    v.entry(sig, area, pos, len);
                }
                pos += len;
            }
            if (area == null || ce == null) return;
            if (areas >= MAX_CONTINUATIONS) throw Cd9660Error.corrupt("SUSP: more than " + MAX_CONTINUATIONS + " continuation areas");
            long at = ce[0] * logicalBlockSize + ce[1];
            if (ce[1] >= logicalBlockSize || ce[2] > VolumeDescriptor.SECTOR || ce[1] + ce[2] > logicalBlockSize) {
                throw Cd9660Error.corrupt("SUSP: continuation area of " + ce[2] + " bytes at offset " + ce[1] + " of block " + ce[0]);
            }
            if (!seen.add(at)) throw Cd9660Error.corrupt("SUSP: continuation areas loop (block " + ce[0] + " offset " + ce[1] + ")");
            area = dev.read(at, (int) ce[2]);
            pos = 0;
        }
    }
}
