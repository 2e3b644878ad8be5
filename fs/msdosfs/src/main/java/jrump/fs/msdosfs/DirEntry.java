package jrump.fs.msdosfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One 32-byte short directory entry (fatgen103 "FAT Directory Structure"): a mutable view parsed from and
 * written back to a directory slot.
 */
final class DirEntry {
    static final int SIZE = 32;
    static final int DIR_NAME = 0;
    static final int DIR_ATTR = 11;
    static final int DIR_NTRES = 12;
    static final int DIR_CRT_TIME_TENTH = 13;
    static final int DIR_CRT_TIME = 14;
    static final int DIR_CRT_DATE = 16;
    static final int DIR_LST_ACC_DATE = 18;
    static final int DIR_FST_CLUS_HI = 20;
    static final int DIR_WRT_TIME = 22;
    static final int DIR_WRT_DATE = 24;
    static final int DIR_FST_CLUS_LO = 26;
    static final int DIR_FILE_SIZE = 28;

    static final int ATTR_READ_ONLY = 0x01;
    static final int ATTR_HIDDEN = 0x02;
    static final int ATTR_SYSTEM = 0x04;
    static final int ATTR_VOLUME_ID = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int ATTR_ARCHIVE = 0x20;
    /** A long-name entry: read-only, hidden, system and volume-id together. */
    static final int ATTR_LONG_NAME = 0x0F;
    static final int ATTR_LONG_NAME_MASK = 0x3F;

    /** DIR_Name[0]: this and every later slot are free. */
    static final int END_OF_DIRECTORY = 0x00;
    /** DIR_Name[0]: a free (deleted) slot. */
    static final int FREE_SLOT = 0xE5;
    /** DIR_Name[0] 0x05 stands for a name starting with the byte 0xE5 (KANJI lead byte). */
    static final int KANJI_E5 = 0x05;

    /** DIR_NTRes bits Windows NT and Linux set for an 8.3 name whose base or extension is lower case. */
    static final int NTRES_LOWER_BASE = 0x08;
    static final int NTRES_LOWER_EXT = 0x10;

    /** The largest file FAT can describe: DIR_FileSize is 32 bits. */
    static final long MAX_FILE_SIZE = 0xFFFFFFFFL;

    final byte[] name = new byte[11];
    int attr;
    int ntRes;
    int crtTenth;
    int crtTime;
    int crtDate;
    int accDate;
    int wrtTime;
    int wrtDate;
    long firstCluster;
    long size;

    static DirEntry parse(byte[] b, int off) {
        ByteBuffer v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        DirEntry e = new DirEntry();
        System.arraycopy(b, off, e.name, 0, 11);
        e.attr = b[off + DIR_ATTR] & 0xff;
        e.ntRes = b[off + DIR_NTRES] & 0xff;
        e.crtTenth = b[off + DIR_CRT_TIME_TENTH] & 0xff;
        e.crtTime = v.getShort(off + DIR_CRT_TIME) & 0xffff;
        e.crtDate = v.getShort(off + DIR_CRT_DATE) & 0xffff;
        e.accDate = v.getShort(off + DIR_LST_ACC_DATE) & 0xffff;
        e.wrtTime = v.getShort(off + DIR_WRT_TIME) & 0xffff;
        e.wrtDate = v.getShort(off + DIR_WRT_DATE) & 0xffff;
        e.firstCluster = (long) (v.getShort(off + DIR_FST_CLUS_HI) & 0xffff) << 16 | (v.getShort(off + DIR_FST_CLUS_LO) & 0xffff);
        e.size = v.getInt(off + DIR_FILE_SIZE) & 0xffffffffL;
        return e;
    }

    void write(byte[] b, int off) {
        ByteBuffer v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        System.arraycopy(name, 0, b, off, 11);
        b[off + DIR_ATTR] = (byte) attr;
        b[off + DIR_NTRES] = (byte) ntRes;
        b[off + DIR_CRT_TIME_TENTH] = (byte) crtTenth;
        v.putShort(off + DIR_CRT_TIME, (short) crtTime);
        v.putShort(off + DIR_CRT_DATE, (short) crtDate);
        v.putShort(off + DIR_LST_ACC_DATE, (short) accDate);
        v.putShort(off + DIR_FST_CLUS_HI, (short) (firstCluster >>> 16));
        v.putShort(off + DIR_WRT_TIME, (short) wrtTime);
        v.putShort(off + DIR_WRT_DATE, (short) wrtDate);
        v.putShort(off + DIR_FST_CLUS_LO, (short) firstCluster);
        v.putInt(off + DIR_FILE_SIZE, (int) size);
    }

    boolean isDir() {
        return (attr & ATTR_DIRECTORY) != 0;
    }

    boolean isLongName(int slotAttr) {
        return (slotAttr & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME;
    }

    /** The 8.3 name as it is shown without a long name: "NAME.EXT", lower-cased where DIR_NTRes says. */
    String displayName() {
        byte[] n = name.clone();
        if ((n[0] & 0xff) == KANJI_E5) n[0] = (byte) 0xE5;
        String base = new String(n, 0, 8, StandardCharsets.ISO_8859_1).stripTrailing();
        String ext = new String(n, 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        if ((ntRes & NTRES_LOWER_BASE) != 0) base = base.toLowerCase(java.util.Locale.ROOT);
        if ((ntRes & NTRES_LOWER_EXT) != 0) ext = ext.toLowerCase(java.util.Locale.ROOT);
        return ext.isEmpty() ? base : base + "." + ext;
    }

    /** The 11 name bytes as a string, for sets of names taken. */
    String rawName() {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    static DirEntry dot(String dotName, long cluster, DirEntry timesFrom) {
        DirEntry e = new DirEntry();
        byte[] n = (dotName + "           ").substring(0, 11).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(n, 0, e.name, 0, 11);
        e.attr = ATTR_DIRECTORY;
        e.firstCluster = cluster;
        e.crtTenth = timesFrom.crtTenth;
        e.crtTime = timesFrom.crtTime;
        e.crtDate = timesFrom.crtDate;
        e.accDate = timesFrom.accDate;
        e.wrtTime = timesFrom.wrtTime;
        e.wrtDate = timesFrom.wrtDate;
        return e;
    }
}
