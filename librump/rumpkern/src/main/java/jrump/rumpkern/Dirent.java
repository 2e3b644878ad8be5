package jrump.rumpkern;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * struct dirent (NetBSD sys/dirent.h), what getdents fills the buffer with: d_fileno (8 bytes), d_reclen
 * (2), d_namlen (2), d_type (1), the name and a NUL, each record padded to 8 bytes, in native byte order.
 */
public record Dirent(long fileno, int type, String name) {
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    private static final int HEADER = 8 + 2 + 2 + 1;

    /** _DIRENT_RECLEN: the record length for a name of {@code namlen} bytes. */
    public static int reclen(int namlen) {
        return (HEADER + namlen + 1 + 7) & ~7;
    }

    /** Writes this record at the buffer's position; false (nothing written) when it does not fit. */
    public boolean writeTo(ByteBuffer buf) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = reclen(n.length);
        if (buf.remaining() < len) return false;
        ByteBuffer b = buf.slice().order(ByteOrder.nativeOrder());
        b.putLong(fileno).putShort((short) len).putShort((short) n.length).put((byte) type).put(n).put((byte) 0);
        while (b.position() < len) b.put((byte) 0);
        buf.position(buf.position() + len);
        return true;
    }

    /** Parses the first {@code length} bytes of a getdents buffer. */
    public static List<Dirent> parse(ByteBuffer buf, int length) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
        b.limit(b.position() + length);
        List<Dirent> out = new ArrayList<>();
        while (b.remaining() >= HEADER) {
            int start = b.position();
            long ino = b.getLong();
            int reclen = Short.toUnsignedInt(b.getShort());
            int namlen = Short.toUnsignedInt(b.getShort());
            int type = Byte.toUnsignedInt(b.get());
            if (reclen < HEADER || start + reclen > b.limit() || namlen > reclen - HEADER) {
                throw new IllegalArgumentException("malformed dirent at " + start);
            }
            byte[] n = new byte[namlen];
            b.get(n);
            out.add(new Dirent(ino, type, new String(n, StandardCharsets.UTF_8)));
            b.position(start + reclen);
        }
        return out;
    }
}
