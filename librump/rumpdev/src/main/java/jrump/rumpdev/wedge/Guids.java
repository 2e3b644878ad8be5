package jrump.rumpdev.wedge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * GUIDs as EFI stores them (UEFI Specification 2.10, Appendix A "GUID and Time Formats"): the first three
 * fields (32, 16 and 16 bits) little-endian, the last eight bytes in order.
 */
final class Guids {
    static final int SIZE = 16;

    private Guids() {
    }

    static UUID read(ByteBuffer buf, int at) {
        long data1 = Integer.toUnsignedLong(buf.order(ByteOrder.LITTLE_ENDIAN).getInt(at));
        long data2 = Short.toUnsignedLong(buf.getShort(at + 4));
        long data3 = Short.toUnsignedLong(buf.getShort(at + 6));
        long data4 = buf.order(ByteOrder.BIG_ENDIAN).getLong(at + 8);
        buf.order(ByteOrder.LITTLE_ENDIAN);
        return new UUID(data1 << 32 | data2 << 16 | data3, data4);
    }

    static boolean isZero(ByteBuffer buf, int at) {
        return buf.getLong(at) == 0 && buf.getLong(at + 8) == 0;
    }
}
