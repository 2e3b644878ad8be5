package jrump.fs.ffs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records of UFS2's extended attribute area (FreeBSD's sys/ufs/ufs/extattr.h, struct extattr), one after
 * another, each a multiple of 8 bytes:
 *
 * <pre>
 *  0  uint32 ea_length         the whole record
 *  4  uint8  ea_namespace      EXTATTR_NAMESPACE_USER 1, SYSTEM 2 (0: an empty record, skipped)
 *  5  uint8  ea_contentpadlen  zero bytes after the content, up to the next multiple of 8
 *  6  uint8  ea_namelength
 *  7  char   ea_name[namelength], not NUL-terminated, zeros up to roundup(7 + namelength, 8)
 *     content, then ea_contentpadlen bytes of padding
 * </pre>
 *
 * Parsing checks every length against the area (the kernel trusts none of them), so damage is an
 * {@link FfsError} (EIO), never a loop or an out-of-bounds read.
 */
final class ExtAttr {
    /** extattr.h: the fixed header before ea_name (sizeof(struct extattr) - 1). */
    static final int HEADER = 7;
    /** extattr.h EXTATTR_NAMESPACE_EMPTY: a record that holds nothing. */
    static final int NAMESPACE_EMPTY = 0;
    static final int NAMESPACE_USER = 1;
    static final int NAMESPACE_SYSTEM = 2;
    /** ea_namelength is one byte. */
    static final int MAX_NAME = 255;

    /** One attribute: its namespace, name bytes and value. */
    record Record(int namespace, byte[] name, byte[] value) {
        boolean is(int ns, byte[] n) {
            return namespace == ns && Arrays.equals(name, n);
        }

        /** ea_length of this record once written. */
        int length() {
            return baseLength(name.length) + roundup8(value.length);
        }
    }

    private ExtAttr() {
    }

    static int roundup8(int n) {
        return (n + 7) & ~7;
    }

    /** EXTATTR_BASE_LENGTH: where the content starts. */
    static int baseLength(int nameLength) {
        return roundup8(HEADER + nameLength);
    }

    /** The records of an area (empty records left out). */
    static List<Record> parse(byte[] area, int size, ByteOrder order, long ino) throws FfsError {
        List<Record> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(area, 0, size).order(order);
        int p = 0;
        while (p < size) {
            if (size - p < 8) throw bad(ino, p, "a record header of " + (size - p) + " bytes at the end");
            long len = Integer.toUnsignedLong(b.getInt(p));
            int ns = area[p + 4] & 0xff;
            int pad = area[p + 5] & 0xff;
            int nameLen = area[p + 6] & 0xff;
            if (len == 0) throw bad(ino, p, "a record of length 0");
            if (len % 8 != 0) throw bad(ino, p, "a record length " + len + " not a multiple of 8");
            if (len > size - p) throw bad(ino, p, "a record of " + len + " bytes running past the area's end (" + size + ")");
            int base = baseLength(nameLen);
            if (base > len) throw bad(ino, p, "a name of " + nameLen + " bytes running past its record (" + len + ")");
            if (pad > len - base) throw bad(ino, p, "content padding " + pad + " longer than the content");
            if (ns != NAMESPACE_EMPTY) {
                byte[] name = Arrays.copyOfRange(area, p + HEADER, p + HEADER + nameLen);
                byte[] value = Arrays.copyOfRange(area, p + base, (int) (p + len - pad));
                out.add(new Record(ns, name, value));
            }
            p += (int) len;
        }
        return out;
    }

    private static FfsError bad(long ino, int at, String what) {
        return FfsError.corrupt("inode " + ino + ": extended attribute area damaged: " + what + " (offset " + at + ")");
    }

    /** The area holding {@code records} in order. */
    static byte[] encode(List<Record> records, ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Record r : records) {
            int len = r.length();
            byte[] rec = new byte[len];
            ByteBuffer.wrap(rec).order(order).putInt(0, len);
            rec[4] = (byte) r.namespace;
            rec[5] = (byte) (roundup8(r.value.length) - r.value.length);
            rec[6] = (byte) r.name.length;
            System.arraycopy(r.name, 0, rec, HEADER, r.name.length);
            System.arraycopy(r.value, 0, rec, baseLength(r.name.length), r.value.length);
            out.writeBytes(rec);
        }
        return out.toByteArray();
    }
}
