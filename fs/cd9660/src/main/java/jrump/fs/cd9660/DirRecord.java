package jrump.fs.cd9660;

import static jrump.fs.cd9660.IsoNumbers.n711;
import static jrump.fs.cd9660.IsoNumbers.n723;
import static jrump.fs.cd9660.IsoNumbers.n733;

import java.util.Arrays;

/**
 * A directory record (ECMA-119 §9.1), checked: it lies within its sector, its identifier and system use
 * area within the record. {@code systemUse} is the system use area (§9.1.13), where SUSP entries live.
 */
record DirRecord(int length, int xattrLength, long extent, long dataLength, long recorded, int flags, int fileUnitSize,
        int interleaveGap, byte[] ident, byte[] systemUse) {

    /** §9.1 field offsets. */
    static final int LEN_DR = 0;
    static final int EXT_ATTR_LEN = 1;
    static final int EXTENT = 2;
    static final int DATA_LENGTH = 10;
    static final int RECORDED = 18;
    static final int FLAGS = 25;
    static final int FILE_UNIT_SIZE = 26;
    static final int INTERLEAVE_GAP = 27;
    static final int VOLUME_SEQUENCE = 28;
    static final int LEN_FI = 32;
    static final int FILE_ID = 33;
    /** The fixed part: a record is at least this plus a one-byte identifier. */
    static final int FIXED = 33;

    /** §9.1.6 file flags. */
    static final int EXISTENCE = 0x01;
    static final int DIRECTORY = 0x02;
    static final int ASSOCIATED = 0x04;
    static final int MULTI_EXTENT = 0x80;

    /** Parses the record at {@code off}; the caller has checked that its length byte is not zero. */
    static DirRecord parse(byte[] sector, int off, int limit, String where) throws Cd9660Error {
        int len = n711(sector, off + LEN_DR);
        if (len < FIXED + 1 || off + len > limit) {
            throw Cd9660Error.corrupt(where + ": directory record of " + len + " bytes at offset " + off + " overruns its sector");
        }
        int lenFi = n711(sector, off + LEN_FI);
        int idEnd = FILE_ID + lenFi;
        if (lenFi == 0 || idEnd > len) {
            throw Cd9660Error.corrupt(where + ": file identifier of " + lenFi + " bytes in a record of " + len);
        }
        int suStart = idEnd + ((lenFi & 1) == 0 ? 1 : 0); // §9.1.12: a padding byte after an even-length identifier
        byte[] su = suStart < len ? Arrays.copyOfRange(sector, off + suStart, off + len) : new byte[0];
        return new DirRecord(len, n711(sector, off + EXT_ATTR_LEN), n733(sector, off + EXTENT), n733(sector, off + DATA_LENGTH),
                IsoTime.parseShort(sector, off + RECORDED), n711(sector, off + FLAGS), n711(sector, off + FILE_UNIT_SIZE),
                n711(sector, off + INTERLEAVE_GAP), Arrays.copyOfRange(sector, off + FILE_ID, off + idEnd), su);
    }

    boolean isDirectory() {
        return (flags & DIRECTORY) != 0;
    }

    boolean continues() {
        return (flags & MULTI_EXTENT) != 0;
    }

    /** §9.1.11: the identifier 0x00 is the directory itself. */
    boolean isDot() {
        return ident.length == 1 && ident[0] == 0;
    }

    /** §9.1.11: the identifier 0x01 is the parent. */
    boolean isDotDot() {
        return ident.length == 1 && ident[0] == 1;
    }

    /** The volume sequence number at {@code off}: only volume 1 of a set is readable here. */
    static int volumeSequence(byte[] sector, int off) {
        return n723(sector, off + VOLUME_SEQUENCE);
    }
}
