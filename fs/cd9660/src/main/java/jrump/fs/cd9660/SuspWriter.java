package jrump.fs.cd9660;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Rock Ridge entries makefs writes (RRIP 1.12 §4.1, SUSP 1.12 §5) and their placement: what fits in
 * the directory record stays there, the rest goes to continuation areas of at most a sector each, chained
 * by CE entries whose locations are filled in when the areas have their places.
 */
final class SuspWriter {
    /** A directory record holds at most 255 bytes (ECMA-119 §9.1.1). */
    static final int MAX_RECORD = 255;
    /** An entry's data is at most 255 - 4 bytes; NM and SL pieces leave room for their flags. */
    static final int MAX_PIECE = 250;
    /** RRIP's extension identifier (SUSP §5.5 ER) as mkisofs writes it. */
    static final String ER_ID = "RRIP_1991A";
    static final String ER_DESCRIPTOR = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    static final String ER_SOURCE = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY "
            + "VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    /** The entries of one record: those in the record and the continuation areas after it. */
    static final class Placement {
        final List<byte[]> inRecord = new ArrayList<>();
        final List<List<byte[]>> areas = new ArrayList<>();
        /** Each area's byte address on the image, once placed. */
        long[] areaAt;

        int recordBytes() {
            return size(inRecord) + (areas.isEmpty() ? 0 : Susp.CE_LENGTH);
        }

        int areaBytes(int i) {
            return size(areas.get(i)) + (i + 1 < areas.size() ? Susp.CE_LENGTH : 0);
        }

        /** The bytes of the record's system use area ({@code areaAt} placed). */
        byte[] record() {
            return join(inRecord, areas.isEmpty() ? null : ce(0));
        }

        byte[] area(int i) {
            return join(areas.get(i), i + 1 < areas.size() ? ce(i + 1) : null);
        }

        private byte[] ce(int i) {
            byte[] e = header("CE", Susp.CE_LENGTH);
            IsoNumbers.put733(e, 4, areaAt[i] / VolumeDescriptor.SECTOR);
            IsoNumbers.put733(e, 12, areaAt[i] % VolumeDescriptor.SECTOR);
            IsoNumbers.put733(e, 20, areaBytes(i));
            return e;
        }
    }

    private SuspWriter() {
    }

    /** Splits {@code entries} between a record with {@code space} bytes free and continuation areas. */
    static Placement place(List<byte[]> entries, int space) {
        Placement p = new Placement();
        if (size(entries) <= space) {
            p.inRecord.addAll(entries);
            return p;
        }
        int i = 0;
        int used = 0;
        while (i < entries.size() && used + entries.get(i).length <= space - Susp.CE_LENGTH) used += entries.get(i++).length;
        p.inRecord.addAll(entries.subList(0, i));
        List<byte[]> area = new ArrayList<>();
        int areaUsed = 0;
        for (; i < entries.size(); i++) {
            byte[] e = entries.get(i);
            if (areaUsed + e.length > VolumeDescriptor.SECTOR - Susp.CE_LENGTH) {
                p.areas.add(area);
                area = new ArrayList<>();
                areaUsed = 0;
            }
            area.add(e);
            areaUsed += e.length;
        }
        p.areas.add(area);
        return p;
    }

    static byte[] header(String sig, int len) {
        byte[] e = new byte[len];
        e[0] = (byte) sig.charAt(0);
        e[1] = (byte) sig.charAt(1);
        e[2] = (byte) len;
        e[3] = 1;
        return e;
    }

    /** SUSP §5.3 SP, the first entry of the root's "." record. */
    static byte[] sp() {
        byte[] e = header("SP", Susp.SP_LENGTH);
        e[4] = (byte) Susp.SP_CHECK1;
        e[5] = (byte) Susp.SP_CHECK2;
        return e;
    }

    /** SUSP §5.5 ER naming RRIP. */
    static byte[] er() {
        byte[] id = ER_ID.getBytes(StandardCharsets.US_ASCII);
        byte[] des = ER_DESCRIPTOR.getBytes(StandardCharsets.US_ASCII);
        byte[] src = ER_SOURCE.getBytes(StandardCharsets.US_ASCII);
        byte[] e = header("ER", 8 + id.length + des.length + src.length);
        e[4] = (byte) id.length;
        e[5] = (byte) des.length;
        e[6] = (byte) src.length;
        e[7] = 1;
        System.arraycopy(id, 0, e, 8, id.length);
        System.arraycopy(des, 0, e, 8 + id.length, des.length);
        System.arraycopy(src, 0, e, 8 + id.length + des.length, src.length);
        return e;
    }

    /** RRIP §4.1.1 PX (the RRIP 1991A length, without a serial number). */
    static byte[] px(long mode, long nlink, long uid, long gid) {
        byte[] e = header("PX", RockRidge.PX_LENGTH_1_10);
        IsoNumbers.put733(e, 4, mode);
        IsoNumbers.put733(e, 12, nlink);
        IsoNumbers.put733(e, 20, uid);
        IsoNumbers.put733(e, 28, gid);
        return e;
    }

    /** RRIP §4.1.2 PN: a Linux dev_t in the low word, as mkisofs writes it. */
    static byte[] pn(int major, int minor) {
        byte[] e = header("PN", RockRidge.PN_LENGTH);
        long dev = ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12);
        IsoNumbers.put733(e, 4, 0);
        IsoNumbers.put733(e, 12, dev);
        return e;
    }

    /** RRIP §4.1.6 TF: modification, access and attribute-change times, short form. */
    static byte[] tf(long mtime, long atime, long ctime) {
        byte[] e = header("TF", 5 + 3 * IsoTime.SHORT);
        e[4] = (byte) (RockRidge.TF_MODIFY | RockRidge.TF_ACCESS | RockRidge.TF_ATTRIBUTES);
        IsoTime.putShort(e, 5, mtime);
        IsoTime.putShort(e, 5 + IsoTime.SHORT, atime);
        IsoTime.putShort(e, 5 + 2 * IsoTime.SHORT, ctime);
        return e;
    }

    /** RRIP §4.1.4 NM entries for {@code name}, continued over several when it is long. */
    static List<byte[]> nm(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < b.length; off += MAX_PIECE) {
            int n = Math.min(MAX_PIECE, b.length - off);
            byte[] e = header("NM", 5 + n);
            e[4] = (byte) (off + n < b.length ? RockRidge.CONTINUE : 0);
            System.arraycopy(b, off, e, 5, n);
            out.add(e);
        }
        return out;
    }

    /**
     * RRIP §4.1.3 SL entries for {@code target}: a ROOT component for a leading "/", CURRENT and PARENT for
     * "." and "..". When the components outgrow an entry, the split falls inside a component (its first
     * piece flagged CONTINUE) and the entry is flagged CONTINUE: libarchive joins consecutive SL entries
     * without a separator, so a split between components would lose a "/" there (genisoimage splits so too).
     */
    static List<byte[]> sl(String target) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        String rest = target;
        List<Object[]> components = new ArrayList<>();
        if (rest.startsWith("/")) {
            components.add(new Object[] {RockRidge.ROOT, new byte[0]});
            rest = rest.replaceFirst("^/+", "");
        }
        for (String c : rest.isEmpty() ? new String[0] : rest.split("/", -1)) {
            if (c.equals(".")) components.add(new Object[] {RockRidge.CURRENT, new byte[0]});
            else if (c.equals("..")) components.add(new Object[] {RockRidge.PARENT, new byte[0]});
            else components.add(new Object[] {0, c.getBytes(StandardCharsets.UTF_8)});
        }
        for (Object[] c : components) {
            int flags = (Integer) c[0];
            byte[] content = (byte[]) c[1];
            int off = 0;
            do {
                int room = MAX_PIECE - cur.size() - 2;
                if (room < (content.length > 0 ? 1 : 0)) {
                    out.add(slEntry(cur.toByteArray(), true));
                    cur.reset();
                    room = MAX_PIECE - 2;
                }
                int n = Math.min(room, content.length - off);
                boolean more = off + n < content.length;
                cur.write(more ? flags | RockRidge.CONTINUE : flags);
                cur.write(n);
                cur.write(content, off, n);
                off += n;
                if (more) {
                    out.add(slEntry(cur.toByteArray(), true));
                    cur.reset();
                }
            } while (off < content.length);
        }
        out.add(slEntry(cur.toByteArray(), false));
        return out;
    }

    private static byte[] slEntry(byte[] components, boolean continues) {
        byte[] e = header("SL", 5 + components.length);
        e[4] = (byte) (continues ? RockRidge.CONTINUE : 0);
        System.arraycopy(components, 0, e, 5, components.length);
        return e;
    }

    static int size(List<byte[]> entries) {
        int n = 0;
        for (byte[] e : entries) n += e.length;
        return n;
    }

    private static byte[] join(List<byte[]> entries, byte[] last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) out.writeBytes(e);
        if (last != null) out.writeBytes(last);
        return out.toByteArray();
    }
}
