package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree;

/** The bytes of a {@link MakefsLayout}: descriptors, path tables, directory records, file data. */
final class MakefsWriter {
    static final int SECTOR = VolumeDescriptor.SECTOR;
    /** File data goes out in pieces of this size. */
    static final int CHUNK = 1 << 20;

    private final Makefs.Options o;
    private final ImageWriter out;
    private final long maxExtent;

    MakefsWriter(Makefs.Options o, ImageWriter out, long maxExtent) {
        this.o = o;
        this.out = out;
        this.maxExtent = maxExtent;
    }

    void sector(long sector, byte[] data) throws IOException {
        out.write(sector * SECTOR, ByteBuffer.wrap(data));
    }

    /** §8.4 the primary descriptor, El Torito's boot record, Joliet's supplementary one, §8.3 the terminator. */
    void descriptors(MakefsLayout l) throws IOException {
        long next = VolumeDescriptor.FIRST_SECTOR;
        sector(next++, volumeDescriptor(l, false));
        if (l.bootRecord() >= 0) sector(next++, ElTorito.bootRecord(l.catalog()));
        if (l.jolietDescriptor() >= 0) sector(next++, volumeDescriptor(l, true));
        byte[] t = new byte[SECTOR];
        t[0] = (byte) VolumeDescriptor.TERMINATOR;
        System.arraycopy(VolumeDescriptor.CD001, 0, t, 1, 5);
        t[6] = 1;
        sector(next, t);
    }

    private byte[] volumeDescriptor(MakefsLayout l, boolean joliet) {
        byte[] vd = new byte[SECTOR];
        vd[0] = (byte) (joliet ? VolumeDescriptor.SUPPLEMENTARY : VolumeDescriptor.PRIMARY);
        System.arraycopy(VolumeDescriptor.CD001, 0, vd, 1, 5);
        vd[6] = 1;
        String label = o.label() == null || o.label().isBlank() ? "CDROM" : o.label();
        text(vd, 8, 32, "", joliet); // system identifier
        text(vd, VolumeDescriptor.VOLUME_ID, 32, joliet ? label : label.toUpperCase(Locale.ROOT), joliet);
        IsoNumbers.put733(vd, VolumeDescriptor.VOLUME_SPACE_SIZE, l.sectors());
        if (joliet) System.arraycopy(Joliet.LEVEL3_ESCAPE, 0, vd, VolumeDescriptor.ESCAPE_SEQUENCES, 3);
        IsoNumbers.put723(vd, 120, 1); // §8.4.13 volume set size
        IsoNumbers.put723(vd, 124, 1); // §8.4.14 volume sequence number
        IsoNumbers.put723(vd, VolumeDescriptor.LOGICAL_BLOCK_SIZE, SECTOR);
        long tables = joliet ? l.jolietPathTables() : l.pathTables();
        int size = joliet ? l.jolietPathTableSize() : l.pathTableSize();
        IsoNumbers.put733(vd, 132, size); // §8.4.16 path table size
        IsoNumbers.put731(vd, 140, tables); // §8.4.17 type L path table
        IsoNumbers.put732(vd, 148, tables + (size + SECTOR - 1) / SECTOR); // §8.4.19 type M path table
        MakefsLayout.Item root = l.root();
        record(vd, VolumeDescriptor.ROOT_RECORD, new byte[1], joliet ? root.jolietExtent : root.extent,
                joliet ? root.jolietSize : root.size, root.node.attrs().mtime(), DirRecord.DIRECTORY, new byte[0]);
        text(vd, 190, 128, "", joliet); // volume set
        text(vd, 318, 128, "", joliet); // publisher
        text(vd, 446, 128, "", joliet); // data preparer
        text(vd, 574, 128, "JRUMP MAKEFS", joliet); // application
        text(vd, 702, 37, "", joliet); // copyright, abstract, bibliographic file identifiers
        text(vd, 739, 37, "", joliet);
        text(vd, 776, 37, "", joliet);
        IsoTime.putLong(vd, 813, o.timestamp()); // §8.4.26 creation
        IsoTime.putLong(vd, 830, o.timestamp()); // §8.4.27 modification
        for (int i = 0; i < 16; i++) {
            vd[847 + i] = '0'; // §8.4.28-29 expiration and effective: not specified
            vd[864 + i] = '0';
        }
        vd[881] = 1; // §8.4.31 file structure version
        return vd;
    }

    /** A text field padded with spaces: a-characters in the primary, UCS-2 in Joliet's. */
    private static void text(byte[] vd, int off, int len, String s, boolean joliet) {
        byte[] b;
        if (joliet) {
            String t = s.length() > len / 2 ? s.substring(0, len / 2) : s;
            b = (t + " ".repeat(len / 2 - t.length())).getBytes(StandardCharsets.UTF_16BE);
        } else {
            String t = s.length() > len ? s.substring(0, len) : s;
            b = (t + " ".repeat(len - t.length())).getBytes(StandardCharsets.ISO_8859_1);
        }
        System.arraycopy(b, 0, vd, off, Math.min(len, b.length));
    }

    /** §9.1 one directory record at {@code off}; returns its length. */
    static int record(byte[] buf, int off, byte[] id, long extent, long length, long mtime, int flags, byte[] su) {
        int len = MakefsLayout.recordBase(id) + su.length;
        buf[off] = (byte) len;
        IsoNumbers.put733(buf, off + DirRecord.EXTENT, extent);
        IsoNumbers.put733(buf, off + DirRecord.DATA_LENGTH, length);
        IsoTime.putShort(buf, off + DirRecord.RECORDED, mtime);
        buf[off + DirRecord.FLAGS] = (byte) flags;
        IsoNumbers.put723(buf, off + DirRecord.VOLUME_SEQUENCE, 1);
        buf[off + DirRecord.LEN_FI] = (byte) id.length;
        System.arraycopy(id, 0, buf, off + DirRecord.FILE_ID, id.length);
        System.arraycopy(su, 0, buf, off + len - su.length, su.length);
        return len;
    }

    /** §9.4 the type L (little-endian) and type M (big-endian) path tables of one hierarchy. */
    void pathTables(long at, int size, List<MakefsLayout.Item> dirs, boolean joliet) throws IOException {
        byte[] l = new byte[size];
        byte[] m = new byte[size];
        int off = 0;
        for (MakefsLayout.Item d : dirs) {
            byte[] id = d.parent == null ? new byte[1] : joliet ? d.jolietId : d.isoId;
            long extent = joliet ? d.jolietExtent : d.extent;
            int parent = d.parent == null ? 1 : joliet ? d.parent.jolietNumber : d.parent.number;
            for (byte[] t : new byte[][] {l, m}) {
                t[off] = (byte) id.length;
                System.arraycopy(id, 0, t, off + 8, id.length);
            }
            IsoNumbers.put731(l, off + 2, extent);
            IsoNumbers.put721(l, off + 6, parent);
            IsoNumbers.put732(m, off + 2, extent);
            IsoNumbers.put722(m, off + 6, parent);
            off += 8 + id.length + (id.length & 1);
        }
        out.write(at * SECTOR, ByteBuffer.wrap(l));
        out.write((at + (size + SECTOR - 1) / SECTOR) * SECTOR, ByteBuffer.wrap(m));
    }

    /** A directory's records: ".", "..", then each child (a file past 4 GiB as several, §6.5.1). */
    void directory(MakefsLayout.Item d, boolean joliet) throws IOException {
        long size = joliet ? d.jolietSize : d.size;
        byte[] buf = new byte[(int) size];
        MakefsLayout.Item parent = d.parent == null ? d : d.parent;
        int[] pos = {0};
        put(buf, pos, new byte[] {0}, joliet ? d.jolietExtent : d.extent, size, d.node.attrs().mtime(), DirRecord.DIRECTORY,
                joliet || d.dotSu == null ? new byte[0] : d.dotSu.record());
        put(buf, pos, new byte[] {1}, joliet ? parent.jolietExtent : parent.extent, joliet ? parent.jolietSize : parent.size,
                parent.node.attrs().mtime(), DirRecord.DIRECTORY, new byte[0]);
        for (MakefsLayout.Item c : joliet ? d.jolietChildren : d.children) {
            byte[] id = joliet ? c.jolietId : c.isoId;
            byte[] su = joliet || c.su == null ? new byte[0] : c.su.record();
            long mtime = c.node.attrs().mtime();
            if (c.isDir()) {
                put(buf, pos, id, joliet ? c.jolietExtent : c.extent, joliet ? c.jolietSize : c.size, mtime, DirRecord.DIRECTORY, su);
                continue;
            }
            long left = c.size;
            long extent = c.extent;
            do {
                long n = Math.min(left, maxExtent);
                int flags = left > n ? DirRecord.MULTI_EXTENT : 0;
                put(buf, pos, id, extent, n, mtime, flags, su);
                extent += n / SECTOR;
                left -= n;
            } while (left > 0);
        }
        out.write((joliet ? d.jolietExtent : d.extent) * SECTOR, ByteBuffer.wrap(buf));
    }

    private static void put(byte[] buf, int[] pos, byte[] id, long extent, long length, long mtime, int flags, byte[] su) {
        int len = MakefsLayout.recordBase(id) + su.length;
        if (pos[0] % SECTOR + len > SECTOR) pos[0] = (pos[0] / SECTOR + 1) * SECTOR;
        pos[0] += record(buf, pos[0], id, extent, length, mtime, flags, su);
    }

    /** A file's content at {@code extent}: exactly its size, zeros where the content ends early. */
    void data(MakefsTree.File f, long extent) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, f.size())));
        long off = 0;
        while (off < f.size()) {
            b.clear().limit((int) Math.min(b.capacity(), f.size() - off));
            while (b.hasRemaining()) {
                if (f.content().read(off + b.position(), b) < 0) break; // shorter than announced: the rest stays zeros
            }
            b.flip();
            if (b.hasRemaining()) out.write(extent * SECTOR + off, b);
            off += b.limit() == 0 ? f.size() - off : b.limit();
        }
    }
}
